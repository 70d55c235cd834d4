/* The facilitator's per-speaker timer on the run page. Progressive enhancement: without this
 * file the page is a plain agenda with suggested times. Each [data-speaker-timer] block gets a
 * bar with a countdown (data-seconds per speaker), start/pause, next speaker, +1 min and reset;
 * the current speaker in its [data-speakers] list is highlighted. No network, no storage. */
(function () {
  "use strict";

  function format(seconds) {
    var sign = seconds < 0 ? "−" : "";
    var s = Math.abs(seconds);
    var m = Math.floor(s / 60);
    var r = s % 60;
    return sign + m + ":" + (r < 10 ? "0" : "") + r;
  }

  function button(label, className) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button--small " + (className || "secondary");
    b.textContent = label;
    return b;
  }

  function setUp(root) {
    var perSpeaker = parseInt(root.getAttribute("data-seconds"), 10) || 180;
    var speakers = Array.prototype.slice.call(root.querySelectorAll("[data-speaker]"));
    var current = -1;
    var remaining = perSpeaker;
    var ticking = null;

    var bar = document.createElement("div");
    bar.className = "speaker-timer__bar";
    var display = document.createElement("span");
    display.className = "speaker-timer__display";
    display.setAttribute("role", "timer");
    display.setAttribute("aria-live", "off");
    var start = button(root.getAttribute("data-label-start") || "Start", "");
    var next = button(root.getAttribute("data-label-next") || "Next speaker");
    var more = button(root.getAttribute("data-label-more") || "+1 min");
    var reset = button(root.getAttribute("data-label-reset") || "Reset");
    var who = document.createElement("span");
    who.className = "speaker-timer__who";
    who.setAttribute("aria-live", "polite");
    [display, start, next, more, reset, who].forEach(function (el) { bar.appendChild(el); });
    root.insertBefore(bar, root.firstChild);
    root.classList.add("is-enhanced");

    function render() {
      display.textContent = format(remaining);
      display.classList.toggle("is-over", remaining < 0);
      start.textContent = ticking ? (root.getAttribute("data-label-pause") || "Pause")
                                  : (root.getAttribute("data-label-start") || "Start");
      speakers.forEach(function (li, index) {
        li.classList.toggle("is-speaking", index === current);
        li.classList.toggle("has-spoken", index < current);
        if (index === current) { li.setAttribute("aria-current", "true"); }
        else { li.removeAttribute("aria-current"); }
      });
      var name = current >= 0 && speakers[current] ? speakers[current].querySelector("strong") : null;
      who.textContent = name ? name.textContent + " (" + (current + 1) + "/" + speakers.length + ")" : "";
      next.disabled = current >= speakers.length - 1;
    }

    function stop() {
      if (ticking) { window.clearInterval(ticking); ticking = null; }
    }

    function run() {
      if (current < 0 && speakers.length) { current = 0; }
      ticking = window.setInterval(function () { remaining -= 1; render(); }, 1000);
    }

    start.addEventListener("click", function () {
      if (ticking) { stop(); } else { run(); }
      render();
    });
    next.addEventListener("click", function () {
      if (current < speakers.length - 1) {
        current += 1;
        remaining = perSpeaker;
        if (speakers[current]) { speakers[current].scrollIntoView({ block: "nearest" }); }
      }
      render();
    });
    more.addEventListener("click", function () { remaining += 60; render(); });
    reset.addEventListener("click", function () {
      stop();
      current = -1;
      remaining = perSpeaker;
      render();
    });
    render();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-speaker-timer]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
