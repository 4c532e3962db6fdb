/* Draws every [data-chart] / [data-heatmap] element with Plotly (served locally from the plotly package). */
(function () {
  function draw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.drawn) { return; }
      var spec = JSON.parse(document.getElementById(el.dataset.chart).textContent);
      var traces = spec.traces.map(function (t) {
        var trace = { x: spec.x, y: t.y, name: t.name, type: t.type };
        if (t.type === "scatter") { trace.mode = "lines+markers"; }
        if (t.axis === "y2") { trace.yaxis = "y2"; }
        return trace;
      });
      var layout = { height: 300, margin: { l: 60, r: 50, t: 10, b: 40 }, legend: { orientation: "h" },
        yaxis2: { overlaying: "y", side: "right", rangemode: "tozero", tickformat: "d" }, yaxis: { rangemode: "tozero" },
        xaxis: { type: spec.x.length && spec.x[0].length === 10 ? "date" : "-", tickformat: "%d.%m" } };
      Plotly.newPlot(el, traces, layout, { displayModeBar: false, responsive: true });
      el.dataset.drawn = "1";
    });
    document.querySelectorAll("[data-heatmap]").forEach(function (el) {
      if (el.dataset.drawn) { return; }
      var spec = JSON.parse(JSON.parse(document.getElementById(el.dataset.heatmap).textContent));
      var days = (document.documentElement.lang || "ru").indexOf("en") === 0
        ? ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] : ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"];
      var hours = Array.from({ length: 24 }, function (_, h) { return h + ":00"; });
      Plotly.newPlot(el, [{ z: spec.z, x: hours, y: days, type: "heatmap", colorscale: [[0, "#f8fafc"], [1, "#1d4ed8"]] }],
        { height: 260, margin: { l: 40, r: 10, t: 10, b: 40 }, yaxis: { autorange: "reversed" } },
        { displayModeBar: false, responsive: true });
      el.dataset.drawn = "1";
    });
  }
  window.salescopeCharts = draw;
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
