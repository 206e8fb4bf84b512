// Attendance entry (ateliers/seance_presences.html): one tap marks everyone not marked yet as present;
// the facilitator then taps only the exceptions. Without JavaScript, each row is tapped.
(function () {
  "use strict";
  var bouton = document.getElementById("tous-presents");
  var form = document.getElementById("form-presences");
  if (!bouton || !form) {
    return;
  }
  bouton.hidden = false;
  bouton.addEventListener("click", function () {
    form.querySelectorAll("fieldset").forEach(function (groupe) {
      if (!groupe.querySelector("input[type=radio]:checked")) {
        var present = groupe.querySelector("input[type=radio][value=present]");
        if (present) {
          present.checked = true;
        }
      }
    });
  });
})();
