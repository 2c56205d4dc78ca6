// Progressive enhancement only: every page is complete without this file.
// - shows the viewer's local time beside each exact UTC time;
// - ticks the next launch's countdown every second when its time is exact, and stops
//   (never counting up) once that target time passes;
// - pauses the dashboard's 60-second refreshes while the tab is hidden, and
//   refreshes once when it becomes visible again.
// Words come from the page, in its language (data-label, data-passed-text, data-day-unit),
// and dates are written the way the page's language writes them (<html lang>).
(function () {
  "use strict";

  function pageLanguage() { return document.documentElement.lang || undefined; }

  function showLocalTimes(root) {
    root.querySelectorAll("[data-local]").forEach(function (el) {
      var when = new Date(el.getAttribute("data-local"));
      if (isNaN(when)) return;
      var text;
      try {
        text = when.toLocaleString(pageLanguage(), { dateStyle: "medium", timeStyle: "short" });
      } catch (e) {  // a lang the browser cannot format in
        text = when.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
      }
      el.textContent = text + " " + (el.getAttribute("data-label") || "your time");
      el.hidden = false;
    });
  }

  function pad(n) { return String(n).padStart(2, "0"); }

  function tickCountdowns() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var target = new Date(el.getAttribute("data-countdown"));
      // Hours and minutes only for a time known to the minute; a day or a month is the
      // server's text ("in 42 days", "in September 2026") and stays as it is.
      if (isNaN(target) || (el.getAttribute("data-precision") || "exact") !== "exact") return;
      var seconds = Math.round((target - Date.now()) / 1000);
      if (seconds <= 0) {
        // A target is not an event: once its time passes, say so instead of counting up.
        el.textContent = el.getAttribute("data-passed-text") || "Target passed: launch not confirmed yet";
        el.removeAttribute("data-countdown");
        el.className = "countdown-passed";
        return;
      }
      var days = Math.floor(seconds / 86400);
      seconds -= days * 86400;
      var unit = el.getAttribute("data-day-unit") || "d";
      var text = "T− " + (days ? days + " " + unit + " " : "") + pad(Math.floor(seconds / 3600)) + ":" +
        pad(Math.floor(seconds % 3600 / 60)) + ":" + pad(seconds % 60);
      el.textContent = text;
      el.setAttribute("data-ticking", "true");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    showLocalTimes(document);
    tickCountdowns();
    setInterval(tickCountdowns, 1000);

    document.body.addEventListener("htmx:afterSwap", function (event) {
      showLocalTimes(event.detail.elt.parentNode || document);
      tickCountdowns();
    });
    // A hidden tab polls nothing: cancel the periodic request before it is sent.
    document.body.addEventListener("htmx:beforeRequest", function (event) {
      var trigger = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
      if (document.hidden && event.detail.elt.hasAttribute("data-poll") && (!trigger || trigger.type !== "submit")) {
        event.preventDefault();
      }
    });
    document.addEventListener("visibilitychange", function () {
      if (document.hidden || !window.htmx) return;
      document.querySelectorAll("[data-poll]").forEach(function (el) { window.htmx.trigger(el, "poll-now"); });
    });
  });
})();
