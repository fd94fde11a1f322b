// Print button on the consent form (no inline scripts: CSP).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print-page]")) { window.print(); }
});
