// Show the print button on the poster and print on click; without JavaScript, use the browser menu.
document.querySelectorAll(".js-print").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
