/* A warning two minutes before the session ends, with a way to stay
 * logged in (issue 12). Optional: without this script the warning stays
 * hidden, and text sent after the end is kept for the next log-in anyway.
 *
 * The page says how many seconds are left (data-hs-session-left). The
 * clock is checked often rather than trusted to one long timer, because
 * phones pause timers in the background. The warning never reloads the
 * page: what was typed stays where it is. */
(function () {
  "use strict";

  var WARN_BEFORE = 120; // seconds
  var CHECK_EVERY = 5000; // milliseconds

  function start(dialog) {
    var left = parseInt(dialog.getAttribute("data-hs-session-left"), 10);
    if (isNaN(left)) {
      return;
    }
    var endsAt = Date.now() + left * 1000;
    var stay = dialog.querySelector("[data-hs-session='stay']");
    var parts = {
      soon: dialog.querySelector("[data-hs-session='soon']"),
      last: dialog.querySelector("[data-hs-session='last']"),
      ended: dialog.querySelector("[data-hs-session='ended']")
    };
    var shown = null;
    var before = null;

    function say(which) {
      Object.keys(parts).forEach(function (name) {
        if (parts[name]) {
          parts[name].hidden = name !== which;
        }
      });
      if (stay) {
        stay.hidden = which !== "soon";
      }
    }

    function show(which) {
      if (shown === which) {
        return;
      }
      say(which);
      if (shown === null) {
        // Focus moves once, when the warning appears; later changes are announced.
        before = document.activeElement;
        dialog.hidden = false;
        dialog.focus();
      }
      shown = which;
    }

    function hide() {
      shown = null;
      dialog.hidden = true;
      // Back to where the person was typing.
      if (before && typeof before.focus === "function" && document.contains(before)) {
        before.focus();
      }
      before = null;
    }

    function check() {
      var remaining = (endsAt - Date.now()) / 1000;
      if (remaining <= 0) {
        show("ended");
      } else if (remaining <= WARN_BEFORE && shown !== "last") {
        show("soon");
      }
    }

    if (stay) {
      stay.addEventListener("submit", function (event) {
        if (!window.fetch) {
          return; // the form is sent as usual
        }
        event.preventDefault();
        window
          .fetch(stay.action, {
            method: "POST",
            body: new FormData(stay),
            headers: { Accept: "application/json" },
            credentials: "same-origin",
            redirect: "manual"
          })
          .then(function (response) {
            if (!response.ok) {
              throw new Error("not signed in");
            }
            return response.json();
          })
          .then(function (answer) {
            endsAt = Date.now() + answer.left * 1000;
            if (answer.left <= WARN_BEFORE) {
              show("last"); // the 12-hour limit: staying is not possible
            } else {
              hide();
            }
          })
          .catch(function () {
            endsAt = Date.now();
            show("ended");
          });
      });
    }

    window.setInterval(check, CHECK_EVERY);
    document.addEventListener("visibilitychange", check);
    check();
  }

  function init() {
    var dialog = document.getElementById("hs-session-warning");
    if (dialog) {
      start(dialog);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
