// Progressive enhancement for the citizen form; everything works without it.
(function () {
  "use strict";
  var form = document.querySelector("form.survey");
  if (!form) return;

  // Focus the error summary so screen readers and keyboard users start there.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  // Show a "lainnya" text field only when its group's "lainnya" option is chosen.
  Array.prototype.forEach.call(form.querySelectorAll("[data-other-of]"), function (box) {
    var name = box.getAttribute("data-other-of");
    var value = box.getAttribute("data-other-value");
    var input = box.querySelector("input");
    function sync() {
      var chosen = form.querySelector('input[name="' + name + '"]:checked');
      var show = (chosen && chosen.value === value) || (input && input.value) || box.classList.contains("has-error");
      box.classList.toggle("is-hidden", !show);
    }
    Array.prototype.forEach.call(form.querySelectorAll('input[name="' + name + '"]'), function (radio) {
      radio.addEventListener("change", sync);
    });
    sync();
  });

  // One tap sends once; the server ignores a repeated key anyway.
  var button = form.querySelector("button[type=submit]");
  form.addEventListener("submit", function () {
    if (button) window.setTimeout(function () { button.disabled = true; }, 0);
  });
  window.addEventListener("pageshow", function () { if (button) button.disabled = false; });
})();
