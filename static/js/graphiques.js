// The dashboard's charts: each <canvas data-serie="id"> draws the JSON of <script id="id"> (json_script),
// whose table of figures sits beside it. Chart.js is vendored (static/vendor/chartjs).
(function () {
  "use strict";
  if (typeof Chart === "undefined") {
    return;
  }
  document.querySelectorAll("canvas.graphique[data-serie]").forEach(function (toile) {
    var source = document.getElementById(toile.dataset.serie);
    if (!source) {
      return;
    }
    var serie = JSON.parse(source.textContent);
    new Chart(toile, {
      type: "bar",
      data: {
        labels: serie.mois,
        datasets: [{ label: serie.libelle, data: serie.valeurs, backgroundColor: "#1f5f8b" }],
      },
      options: {
        animation: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  });
})();
