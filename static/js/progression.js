// Progress bars: their width comes from data-progression (a style attribute would be refused by the
// Content-Security-Policy); set on load and on every htmx swap of a job's status.
(function () {
  "use strict";
  function regler(racine) {
    racine.querySelectorAll("[data-progression]").forEach(function (barre) {
      var valeur = Math.max(0, Math.min(100, parseInt(barre.getAttribute("data-progression"), 10) || 0));
      barre.style.width = valeur + "%";
    });
  }
  regler(document);
  document.body.addEventListener("htmx:afterSettle", function (e) { regler(e.target); });
})();
