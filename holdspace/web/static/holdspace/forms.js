/* Forms (issue 12), all optional: without this script every form works.
 * - The error summary takes focus when a refused form comes back, and its
 *   links bring the question's label into view along with the field.
 * - A text with a limit counts its characters from 75 % of the limit, as
 *   the server counts them (code points; a line break is sent as two).
 * - Fields that only apply to one radio option stay hidden until it is
 *   chosen (GOV.UK's conditional reveal). The server ignores them otherwise.
 *   Unlike GOV.UK, no aria-expanded: ARIA does not allow it on a radio, and
 *   axe (holdspace/tests/test_browser_pages.py) refuses it. */
(function () {
  "use strict";

  function summaries() {
    var summary = document.querySelector("[data-hs-error-summary]");
    if (summary) {
      summary.focus();
    }
    document.querySelectorAll("[data-hs-error-summary] a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var input = document.getElementById(link.getAttribute("href").slice(1));
        if (!input) {
          return;
        }
        event.preventDefault();
        var group = input.closest("fieldset");
        var label = group ? group.querySelector("legend") : document.querySelector("label[for='" + input.id + "']");
        (label || input).scrollIntoView();
        input.focus({ preventScroll: true });
      });
    });
  }

  function length(text) {
    var newlines = (text.match(/\n/g) || []).length;
    return Array.from(text).length + newlines;
  }

  function counts() {
    var lang = document.documentElement.lang || "en";
    document.querySelectorAll("[data-hs-count-for]").forEach(function (count) {
      var input = document.getElementById(count.getAttribute("data-hs-count-for"));
      var limit = input ? parseInt(input.getAttribute("data-hs-limit"), 10) : NaN;
      if (!input || isNaN(limit)) {
        return;
      }
      // Said aloud a moment after typing stops, not at every key.
      var spoken = document.createElement("div");
      spoken.className = "visually-hidden";
      spoken.setAttribute("aria-live", "polite");
      count.parentNode.insertBefore(spoken, count.nextSibling);
      var timer = null;
      function words(left) {
        var n = Math.abs(left);
        var key = (left < 0 ? "data-over-" : "data-left-") + (n === 1 ? "one" : "other");
        return count.getAttribute(key).replace("{n}", new Intl.NumberFormat(lang).format(n));
      }
      function update(event) {
        var used = length(input.value);
        var text = used >= limit * 0.75 ? words(limit - used) : "";
        count.textContent = text;
        count.classList.toggle("char-count--over", used > limit);
        window.clearTimeout(timer);
        if (event) {
          timer = window.setTimeout(function () { spoken.textContent = text; }, 1000);
        }
      }
      input.addEventListener("input", update);
      update(null);
    });
  }

  function reveals() {
    document.querySelectorAll("[data-hs-radios]").forEach(function (group) {
      var radios = group.querySelectorAll("input[type='radio']");
      function sync() {
        group.querySelectorAll("[data-hs-controls]").forEach(function (item) {
          var radio = item.querySelector("input[type='radio']");
          var panel = document.getElementById(item.getAttribute("data-hs-controls"));
          if (!radio || !panel) {
            return;
          }
          radio.setAttribute("aria-controls", panel.id);
          // A field with a problem stays in view, whatever is chosen.
          var hide = !radio.checked && !panel.querySelector(".errorlist");
          panel.classList.toggle("conditional--hidden", hide);
        });
      }
      radios.forEach(function (radio) { radio.addEventListener("change", sync); });
      sync();
    });
  }

  function start() {
    reveals();
    counts();
    summaries();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
