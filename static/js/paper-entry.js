// Paper-form entry: after a valid score (1-4) is typed, move to the next score field.
// Progressive enhancement only: without JavaScript, Tab does the same.
(function () {
  "use strict";
  var scores = Array.prototype.slice.call(document.querySelectorAll(".paper-score"));
  scores.forEach(function (input, index) {
    input.addEventListener("input", function () {
      if (/^[1-4]$/.test(input.value) && index + 1 < scores.length) {
        scores[index + 1].focus();
        scores[index + 1].select();
      }
    });
  });
  var errors = document.getElementById("form-errors");
  if (errors) {
    errors.focus();
  } else {
    var first = scores.length ? scores[0] : document.querySelector(".paper-form input:not([type=hidden])");
    if (first) { first.focus(); }
  }
})();
