// The signature pad of handovers and returns (static/vendor/signature_pad). The drawing is written as a
// PNG data URL into the hidden field "signature" when the form is submitted; empty pad, empty field.
(function () {
  "use strict";
  var bloc = document.querySelector("[data-signature]");
  if (!bloc || typeof SignaturePad === "undefined") return;
  var canvas = bloc.querySelector("canvas");
  var champ = bloc.querySelector("input[name=signature]");
  var formulaire = bloc.closest("form");
  var pad = new SignaturePad(canvas);

  function dimensionner() {
    var ratio = Math.max(window.devicePixelRatio || 1, 1);
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    canvas.getContext("2d").scale(ratio, ratio);
    pad.clear();
  }
  window.addEventListener("resize", dimensionner);
  dimensionner();

  bloc.querySelector("[data-signature-effacer]").addEventListener("click", function () {
    pad.clear();
    champ.value = "";
  });
  formulaire.addEventListener("submit", function () {
    champ.value = pad.isEmpty() ? "" : pad.toDataURL("image/png");
  });
})();
