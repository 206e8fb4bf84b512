/* Step 1: the seventh valid character of a code shows its door at once (Enter does too: it submits the
   code's form). Step 2: the door's title takes the focus, for screen readers. After a ballot is recorded,
   its undo button goes away when the undo time is over (the server refuses it after that anyway). */
(function () {
  const VALIDE = /^[2-9A-HJ-NP-Z]{7}$/;
  document.body.addEventListener("input", function (e) {
    const champ = e.target;
    if (champ.name !== "code" || !champ.closest("[data-code-form]")) return;
    const code = champ.value.toUpperCase().replace(/[\s\-–—._\/]+/g, "");
    if (VALIDE.test(code) && champ.dataset.envoye !== code) {
      champ.dataset.envoye = code;
      champ.closest("form").requestSubmit();
    }
  });
  function preparer() {
    const zone = document.getElementById("zone-saisie");
    const badge = zone && zone.dataset.immeuble && document.querySelector('[data-onglet="' + zone.dataset.immeuble + '"]');
    if (badge) badge.textContent = zone.dataset.votants + "/" + zone.dataset.inscrits;  // the tab follows the entries
    const porte = document.querySelector("#etape-saisie .porte");
    if (porte) porte.focus();
    document.querySelectorAll("[data-defaire]").forEach(function (f) {
      if (f.dataset.minuterie) return;
      f.dataset.minuterie = "1";
      setTimeout(function () { f.remove(); }, Number(f.dataset.defaire) * 1000);
    });
  }
  preparer();
  document.body.addEventListener("htmx:afterSettle", preparer);
})();

/* Scan a ballot's QR code with the phone's camera, where the browser can (BarcodeDetector); else type it. */
(function () {
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  function montrer() { document.querySelectorAll("[data-scanner]").forEach(function (b) { b.hidden = false; }); }
  montrer();
  document.body.addEventListener("htmx:afterSettle", montrer);
  document.body.addEventListener("click", async function (e) {
    const bouton = e.target.closest("[data-scanner]");
    if (!bouton) return;
    e.preventDefault();
    const form = bouton.closest("form"), video = form.querySelector("video");
    let flux;
    try {
      flux = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (err) { return; }
    video.srcObject = flux; video.hidden = false; await video.play();
    const detecteur = new BarcodeDetector({ formats: ["qr_code"] });
    const fin = function () { flux.getTracks().forEach(function (t) { t.stop(); }); video.hidden = true; };
    const chercher = async function () {
      if (video.hidden) return;
      const trouves = await detecteur.detect(video).catch(function () { return []; });
      if (trouves.length) {
        let texte = trouves[0].rawValue;
        try { texte = new URL(texte).searchParams.get("code") || texte; } catch (err) { /* a bare code */ }
        form.querySelector("input[name=code]").value = texte;
        fin();
        form.requestSubmit();  // show the door; nothing is recorded before the choice is tapped
        return;
      }
      requestAnimationFrame(chercher);
    };
    chercher();
  });
})();
