// Triangle: small progressive enhancements. No inline scripts anywhere (CSP).
document.addEventListener("htmx:afterSwap", function (event) {
  // Move focus to the swapped region so keyboard and screen-reader users notice the change.
  var target = event.detail.target;
  if (target && target.dataset.focusAfterSwap !== undefined) {
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    target.focus();
  }
});
document.addEventListener("click", function (event) {
  var el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.dataset.confirm)) { event.preventDefault(); }
});
