// Barnstorm's small behaviours. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";

  // Ask before destructive actions: <form data-confirm="Close this project?">
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // htmx requests carry the CSRF token from the layout's meta tag.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) { event.detail.headers["X-CSRFToken"] = meta.content; }
  });

  // Charts: <canvas data-chart="bar" data-chart-source="id-of-json"> + <script type="application/json" id="…">
  // The JSON block holds a full Chart.js config ({type, data, options}); data-chart, when it names a
  // type, fills in a missing "type".
  function drawCharts(root) {
    if (typeof window.Chart === "undefined") { return; }
    var scope = root && root.querySelectorAll ? root : document;
    var canvases = Array.prototype.slice.call(scope.querySelectorAll("canvas[data-chart], canvas[data-chart-source]"));
    if (scope.matches && scope.matches("canvas[data-chart], canvas[data-chart-source]")) { canvases.push(scope); }
    canvases.forEach(function (canvas) {
      if (canvas.dataset.drawn) { return; }
      var source = document.getElementById(canvas.dataset.chartSource || "");
      if (!source) { return; }
      try {
        var config = JSON.parse(source.textContent);
        if (!config.type && canvas.dataset.chart) { config.type = canvas.dataset.chart; }
        config.options = config.options || {};
        config.options.maintainAspectRatio = false;
        config.options.animation = false;
        new window.Chart(canvas, config);
        canvas.dataset.drawn = "1";
      } catch (err) {
        console.warn("chart not drawn", err);
      }
    });
  }

  // The header menu is a <details>: folded on a phone; on a wide screen app.css shows its content,
  // and opening it here covers browsers without ::details-content.
  function syncMenu() {
    var menu = document.querySelector(".site-menu");
    if (menu && window.matchMedia("(min-width: 60rem)").matches) { menu.open = true; }
  }

  // A table wider than its box scrolls inside it; make that box reachable from the keyboard.
  function focusableScrollers(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("main table"), function (table) {
      if (table.scrollWidth > table.clientWidth + 1 && !table.hasAttribute("tabindex")) {
        table.setAttribute("tabindex", "0");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); syncMenu(); focusableScrollers(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawCharts(event.target); focusableScrollers(event.target); });
})();
