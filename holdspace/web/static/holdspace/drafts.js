/* Drafts of long forms (issue 12). Optional: without this script nothing is
 * sent and every form works as before.
 *
 * A form with a text area is sent to the draft address every 30 seconds
 * while it changes, and when the page is hidden or left, so that a closed tab
 * or a lost connection loses at most half a minute. Nothing is sent when the
 * page is left by sending a form (saving it deletes the draft), nor when
 * nothing changed since the page was opened. Only forms sent to the page
 * they are on take part: those pages fill the draft in again. */
(function () {
  "use strict";

  var EVERY = 30000; // milliseconds
  var FOR_FIELD = "hs_draft_for";

  function snapshot(form) {
    var parts = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && name !== "csrfmiddlewaretoken") {
        parts.push(name + "=" + value);
      }
    });
    return parts.join("&");
  }

  function watch(form, url, state) {
    var last = snapshot(form);

    function send(leavingPage) {
      if (state.submitting) {
        return;
      }
      var now = snapshot(form);
      if (now === last) {
        return;
      }
      last = now;
      var body = new FormData(form);
      body.append(FOR_FIELD, window.location.pathname);
      if (leavingPage && navigator.sendBeacon) {
        navigator.sendBeacon(url, body);
        return;
      }
      if (!window.fetch) {
        return;
      }
      window
        .fetch(url, { method: "POST", body: body, credentials: "same-origin", redirect: "manual" })
        .then(function (response) {
          if (response.status !== 204) {
            last = null; // not kept (logged out?): try again next time
          }
        })
        .catch(function () {
          last = null; // no connection: try again next time
        });
    }

    window.setInterval(function () {
      send(false);
    }, EVERY);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        send(true);
      }
    });
    window.addEventListener("pagehide", function () {
      send(true);
    });
  }

  // Only forms that are sent to the page itself: those pages fill a draft in again.
  function toThisPage(form) {
    var target = form.getAttribute("action");
    return !target || new URL(target, window.location.href).pathname === window.location.pathname;
  }

  function init() {
    var marker = document.getElementById("hs-drafts");
    if (!marker) {
      return;
    }
    var url = marker.getAttribute("data-hs-draft-url");
    var state = { submitting: false };
    document.addEventListener(
      "submit",
      function () {
        state.submitting = true;
      },
      true
    );
    document.querySelectorAll("main form[method='post']").forEach(function (form) {
      if (form.querySelector("textarea") && toThisPage(form) && !form.hasAttribute("data-hs-no-draft")) {
        watch(form, url, state);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
