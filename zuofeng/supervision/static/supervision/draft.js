// A finding's draft lives in the browser (localStorage) until the server has saved it: an inspector in a
// weak-signal room who loses the connection on 保存 keeps what was typed. Photos cannot be kept (files
// are not storable); the note under the form says so. The saved page clears the draft by its key.
(function () {
  "use strict";
  var saved = document.querySelector("[data-draft-saved]");
  if (saved && saved.dataset.draftSaved) {
    try { localStorage.removeItem(saved.dataset.draftSaved); } catch (e) { /* storage disabled */ }
  }
  var form = document.querySelector("form[data-draft-key]");
  if (!form) return;
  var key = form.dataset.draftKey;
  var SKIP = { csrfmiddlewaretoken: true, photos: true };

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !SKIP[el.name] && el.type !== "file" && el.type !== "submit";
    });
  }
  function store() {
    var data = {};
    fields().forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) data[el.name] = el.value;
      } else {
        data[el.name] = el.value;
      }
    });
    try { localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* full or disabled */ }
  }
  function restore() {
    var raw = null;
    try { raw = localStorage.getItem(key); } catch (e) { return; }
    if (!raw) return;
    var data;
    try { data = JSON.parse(raw); } catch (e) { return; }
    // A page returned with errors already shows what was posted; only an empty form is filled from the draft.
    if (form.querySelector(".invalid-feedback")) return;
    fields().forEach(function (el) {
      if (!(el.name in data)) return;
      if (el.type === "radio" || el.type === "checkbox") el.checked = el.value === data[el.name];
      else el.value = data[el.name];
    });
    var notice = document.querySelector("[data-draft-notice]");
    if (notice) notice.classList.remove("d-none");
    reloadRelated(data.related);
  }
  // The 相关问题或措施 list depends on the unit: a restored unit loads its list (htmx, on change) and the
  // draft's choice is put back once the list has arrived.
  function reloadRelated(pending) {
    var unit = form.querySelector("select[name=unit]");
    if (!unit || !unit.value) return;
    if (pending) {
      document.body.addEventListener("htmx:afterSettle", function put() {
        var select = form.querySelector("select[name=related]");
        if (!select || !select.querySelector('option[value="' + pending + '"]')) return;
        select.value = pending;
        store();
        document.body.removeEventListener("htmx:afterSettle", put);
      });
    }
    unit.dispatchEvent(new Event("change", { bubbles: true }));
  }
  restore();
  form.addEventListener("input", store);
  form.addEventListener("change", store);
  form.addEventListener("submit", store);
})();
