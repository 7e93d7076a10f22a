/* Quick exit (S33): the button, or Shift pressed three times in a row.
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

  var presses = 0;
  var last = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") {
      presses = 0; // only Shift, Shift, Shift in a row counts, never typing
      return;
    }
    if (event.repeat) {
      return;
    }
    var now = Date.now();
    presses = now - last < 1500 ? presses + 1 : 1;
    last = now;
    if (presses >= 3) {
      leave();
    }
  });

  // A page restored from the back/forward cache is asked again from the
  // server, which answers with the log-in page once the session has ended.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      window.location.reload();
    }
  });

  var hints = document.querySelectorAll(".quick-exit__hint");
  for (var i = 0; i < hints.length; i += 1) {
    hints[i].hidden = false;
  }
})();
