// Draws the dashboard's trend: the measure as a line, its 95% interval as a band.
// Points below the minimum sample are gaps, never plotted as if they were figures.
(function () {
  "use strict";
  function draw() {
    var canvas = document.getElementById("trend-chart");
    var data = document.getElementById("trend-data");
    if (!canvas || !data || typeof Chart === "undefined") return;
    var points = JSON.parse(data.textContent);
    var words = JSON.parse(document.getElementById("trend-labels").textContent);
    var value = function (p, key) { return p.suppressed || p[key] === null ? null : p[key]; };
    new Chart(canvas, {
      type: "line",
      data: {
        labels: points.map(function (p) { return p.label; }),
        datasets: [
          { label: words.band, data: points.map(function (p) { return value(p, "high"); }),
            borderWidth: 0, pointRadius: 0, fill: "+1", backgroundColor: "rgba(11,110,79,0.15)" },
          { label: "_low", data: points.map(function (p) { return value(p, "low"); }),
            borderWidth: 0, pointRadius: 0, fill: false },
          { label: words.value, data: points.map(function (p) { return value(p, "value"); }),
            borderColor: "#0b6e4f", backgroundColor: "#0b6e4f", pointRadius: 3, spanGaps: false, fill: false }
        ]
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { labels: { filter: function (item) { return item.text !== "_low"; } } },
          tooltip: {
            filter: function (item) { return item.datasetIndex === 2; },
            callbacks: {
              afterLabel: function (ctx) {
                var p = points[ctx.dataIndex];
                return p.low === null ? "n = " + p.n : "[" + p.low.toFixed(1) + ", " + p.high.toFixed(1) + "] · n = " + p.n;
              }
            }
          }
        }
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
