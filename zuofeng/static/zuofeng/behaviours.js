// Behaviours declared with data- attributes, so that no template needs an inline script or an
// on…= handler (Content-Security-Policy: script-src 'self', see docs/decisions.md).
(function () {
  // <form data-confirm="…"> asks before submitting; data-disable-on-submit stops a double submit.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented) { return; }
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); return; }
    if (form.hasAttribute("data-disable-on-submit")) {
      form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
    }
  });
  // <button data-confirm="…"> asks before its click submits the form; <a data-history-back> goes back.
  document.addEventListener("click", function (event) {
    if (!event.target.closest) { return; }
    var button = event.target.closest("button[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
    var back = event.target.closest("a[data-history-back]");
    if (back && window.history.length > 1) { event.preventDefault(); window.history.back(); }
  });
  // hx-trigger filters ("click[…]") need eval, which the policy forbids; data-click-ignore="selector"
  // drops an element's request when the click landed inside a matching element instead.
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt, trigger = event.detail.triggeringEvent;
    var selector = elt && elt.getAttribute ? elt.getAttribute("data-click-ignore") : null;
    if (selector && trigger && trigger.target && trigger.target.closest && trigger.target.closest(selector)) {
      event.preventDefault();
    }
  });
  // data-remove-after-request: the element removes itself once its htmx request has finished.
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-remove-after-request")) { elt.remove(); }
  });
})();
