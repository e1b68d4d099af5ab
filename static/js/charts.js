// Draws the dashboard's charts from the JSON beside each canvas (json_script); no inline
// scripts (CSP). Every chart has a table with the same figures for screen readers.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return;
  }
  // Colours with enough contrast against white, told apart by more than hue alone.
  const COLOURS = ["#1f6f43", "#c05f00", "#2f5fa7", "#7a3e9d", "#8a6d00"];
  const PATTERN_WIDTHS = [0, 2, 4, 1, 3];

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chartSource);
    if (!source) {
      return;
    }
    const spec = JSON.parse(source.textContent);
    const datasets = spec.datasets.map((dataset, index) => ({
      label: dataset.label,
      data: dataset.data,
      backgroundColor: COLOURS[index % COLOURS.length],
      borderColor: "#212529",
      borderWidth: PATTERN_WIDTHS[index % PATTERN_WIDTHS.length],
    }));
    const valueAxis = {
      beginAtZero: true,
      stacked: spec.stacked,
      ticks: { precision: 0 },
    };
    if (spec.percent) {
      valueAxis.max = 100;
      valueAxis.ticks = { callback: (value) => value + " %" };
    }
    const labelAxis = { stacked: spec.stacked };
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: spec.horizontal
          ? { x: valueAxis, y: labelAxis }
          : { x: labelAxis, y: valueAxis },
        plugins: {
          legend: { display: datasets.length > 1, position: "bottom" },
          title: { display: false },
        },
      },
    });
    canvas.dataset.chartDrawn = "true";
  }

  function drawAll() {
    document.querySelectorAll("canvas[data-chart-source]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
