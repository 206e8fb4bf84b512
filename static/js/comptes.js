// Accounts page: show only the scope of the chosen role; print the link to hand over.
(function () {
  "use strict";
  const form = document.getElementById("form-compte");
  if (form) {
    const afficher = () => {
      const choisi = form.querySelector("input[name=role]:checked");
      form.querySelectorAll("[data-perimetre-du-role]").forEach((bloc) => {
        bloc.hidden = !choisi || bloc.dataset.perimetreDuRole !== choisi.value;
      });
    };
    form.addEventListener("change", (evenement) => {
      if (evenement.target.name === "role") afficher();
    });
    afficher();
  }
  document.querySelectorAll("[data-imprimer]").forEach((bouton) => {
    bouton.addEventListener("click", () => window.print());
  });
})();
