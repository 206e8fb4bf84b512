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
        form.querySelector("button[name=choix]").focus();
        return;
      }
      requestAnimationFrame(chercher);
    };
    chercher();
  });
})();
