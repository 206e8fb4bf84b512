// The reception desk, keyboard first. Without this script the search is a plain GET form.
//   "/"            focus the search from any desk page
//   ↓ ↑            move through the results (↑ from the first one goes back to the search box)
//   Enter          open the highlighted result; in the search box, the first result once it matches
//   Esc            empty the search box; on a household page, back to an empty desk for the next person
(function () {
  "use strict";

  var champ = document.getElementById("recherche-q");
  var formulaire = document.getElementById("recherche");
  var resultats = document.getElementById("resultats");
  var barre = document.getElementById("barre-accueil");
  if (!champ || !formulaire || !resultats || !barre) return;
  var urlAccueil = barre.getAttribute("data-accueil-url");
  var surAccueil = window.location.pathname === urlAccueil;
  var ouvrirQuandPret = false;

  function enSaisie(element) {
    return element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));
  }

  function liens() {
    return Array.prototype.slice.call(resultats.querySelectorAll("a.resultat"));
  }

  function resultatsAJour() {
    var contenu = document.getElementById("resultats-contenu");
    return contenu !== null && contenu.getAttribute("data-q") === champ.value.trim();
  }

  function ouvrirPremier() {
    var premier = liens()[0];
    if (premier) window.location.assign(premier.href);
  }

  function vider() {
    champ.value = "";
    resultats.innerHTML = "";
    champ.focus();
    // Let htmx see the empty value, so that typing the same name again searches again.
    champ.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function personneSuivante() {
    if (surAccueil) vider();
    else window.location.assign(urlAccueil);
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    var actif = document.activeElement;
    if (e.key === "/" && !enSaisie(actif)) {
      e.preventDefault();
      champ.focus();
      champ.select();
      return;
    }
    if (e.key === "Escape") {
      if (actif === champ && champ.value !== "") {
        e.preventDefault();
        vider();
      } else if (actif === champ || !enSaisie(actif)) {
        e.preventDefault();
        personneSuivante();
      }
      return;
    }
    var liste = liens();
    var position = liste.indexOf(actif);
    if (actif !== champ && position === -1) return;
    if (e.key === "ArrowDown" && liste.length) {
      e.preventDefault();
      liste[Math.min(position + 1, liste.length - 1)].focus();
    } else if (e.key === "ArrowUp" && position !== -1) {
      e.preventDefault();
      if (position === 0) champ.focus();
      else liste[position - 1].focus();
    }
  });

  champ.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || e.isComposing || !window.htmx) return;
    e.preventDefault();
    if (champ.value.trim() === "") return;
    if (resultatsAJour()) {
      ouvrirPremier();
    } else {
      ouvrirQuandPret = true;
      window.htmx.trigger(champ, "search");
    }
  });

  // The "Search" button refreshes the results in place (without htmx, the plain GET form shows them).
  formulaire.addEventListener("submit", function (e) {
    if (!window.htmx) return;
    e.preventDefault();
    window.htmx.trigger(champ, "search");
    champ.focus();
  });

  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail.target !== resultats) return;
    if (ouvrirQuandPret && resultatsAJour()) {
      ouvrirQuandPret = false;
      ouvrirPremier();
    }
  });

  // A form sent back with errors: the cursor goes to the first field to correct; on a form page, to its
  // first field.
  var aCorriger = document.querySelector("main .is-invalid");
  var premier = document.querySelector("form[data-premier-champ] input:not([type=hidden]), form[data-premier-champ] select");
  // After an action (a message says what was done), the cursor is back in the search box for the next
  // person: said here as well as by "autofocus", which a browser may skip (a focus already somewhere, a
  // page shown again from its back-forward cache).
  function retourRecherche() {
    if (champ.hasAttribute("data-retour-recherche") || window.location.pathname === urlAccueil) {
      champ.focus({ preventScroll: false });
    }
  }
  if (aCorriger) {
    var details = aCorriger.closest("details");
    if (details) details.open = true;
    aCorriger.focus();
  } else if (premier) {
    premier.focus();
  } else {
    retourRecherche();
  }
  window.addEventListener("pageshow", function (e) {
    if (e.persisted && !aCorriger && !premier) retourRecherche();
  });
})();
