/* Quick exit (S33): the button, or Shift pressed three times within 5 seconds
 * (as GOV.UK's "Exit this page"), with three dots that fill and a spoken count.
 * Hides the page at once, ends the server session, forgets local storage and
 * replaces this page in the history with a neutral site. Without JavaScript
 * the button is a plain form that does the same on the server. */
(function () {
  "use strict";
  var form = document.getElementById("hs-quick-exit");
  if (!form) {
    return;
  }
  var target = form.getAttribute("data-exit-url") || "about:blank";
  var leaving = false;

  function forgetLocally() {
    try { window.sessionStorage.clear(); } catch (ignored) { /* storage may be blocked */ }
    try { window.localStorage.clear(); } catch (ignored) { /* storage may be blocked */ }
  }

  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    if (leaving) {
      return;
    }
    leaving = true;
    document.documentElement.style.visibility = "hidden";
    forgetLocally();
    var go = function () { window.location.replace(target); };
    var ended;
    try {
      ended = window.fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        keepalive: true,
        redirect: "manual"
      });
    } catch (ignored) {
      go();
      return;
    }
    // Wait briefly for the server to end the session, but never long.
    var timer = window.setTimeout(go, 700);
    ended.then(function () { window.clearTimeout(timer); go(); }, function () { window.clearTimeout(timer); go(); });
  }

  form.addEventListener("submit", leave);

  // Shift counts only when pressed on its own: Shift+A gives a keyup for A
  // with shiftKey set, then one for Shift, which is ignored. Any other key,
  // or 5 seconds without a press, starts the count again.
  var WINDOW = 5000;
  var presses = 0;
  var lastWasModified = false;
  var timer = null;
  var clearMessage = null;
  var progress = form.querySelector(".quick-exit__progress");
  var dots = form.querySelectorAll(".quick-exit__dot");
  var status = form.querySelector(".quick-exit__status");

  function announce(text) {
    if (clearMessage) {
      window.clearTimeout(clearMessage);
      clearMessage = null;
    }
    if (status) {
      status.textContent = text || "";
    }
  }

  function show() {
    if (progress) {
      progress.hidden = presses === 0;
    }
    for (var d = 0; d < dots.length; d += 1) {
      dots[d].classList.toggle("quick-exit__dot--on", d < presses);
    }
  }

  function reset(expired) {
    if (timer) {
      window.clearTimeout(timer);
      timer = null;
    }
    var had = presses > 0;
    presses = 0;
    show();
    if (had && expired) {
      announce(form.getAttribute("data-expired"));
      clearMessage = window.setTimeout(function () { announce(""); }, WINDOW);
    } else if (had) {
      announce("");
    }
  }

  document.addEventListener("keyup", function (event) {
    if (event.key === "Shift" && !lastWasModified) {
      presses += 1;
      show();
      if (presses >= 3) {
        reset(false);
        announce(form.getAttribute("data-leaving"));
        leave();
      } else {
        announce(form.getAttribute("data-pressed-" + presses));
        if (timer) {
          window.clearTimeout(timer);
        }
        timer = window.setTimeout(function () { reset(true); }, WINDOW);
      }
    } else if (presses > 0) {
      reset(false);
    }
    lastWasModified = event.shiftKey;
  }, true);

  // A page restored from the back/forward cache is asked again from the
  // server, which answers with the log-in page once the session has ended.
  window.addEventListener("pageshow", function (event) {
    reset(false);
    if (event.persisted) {
      window.location.reload();
    }
  });

  var hints = document.querySelectorAll(".quick-exit__hint");
  for (var i = 0; i < hints.length; i += 1) {
    hints[i].hidden = false;
  }
})();
