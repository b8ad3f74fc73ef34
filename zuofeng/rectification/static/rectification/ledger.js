// 整改清单 page. No inline scripts: everything the page does in the browser is here.
// - the source-detail label follows the chosen source; 长期坚持 clears the deadline;
// - keyboard entry: Enter saves the open row (Shift+Enter is a new line in a text box; Enter that
//   confirms a Chinese input method's candidate is left to the input method), Esc cancels it, and a
//   newly opened form gets the focus, so the next row is typed without touching the mouse;
// - 责任人 typeahead: name or pinyin initials, ↑/↓ to move, Enter or a click to pick.
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-detail-labels]")) {
      var labels = JSON.parse(el.dataset.detailLabels);
      var label = document.querySelector('label[for="' + el.dataset.detailTarget + '"]');
      if (label) label.textContent = labels[el.value] || "来源说明";
    }
    if (el.matches && el.matches('input[name$="-is_ongoing"]')) {
      var deadline = el.form && el.form.querySelector('input[name$="-deadline"]');
      if (deadline) {
        if (el.checked) deadline.value = "";
        deadline.disabled = el.checked;
      }
    }
  });

  // 提交审核 is sent once, however often it is clicked.
  document.addEventListener("submit", function (event) {
    if (!event.target.matches("[data-submit-once]")) return;
    var button = event.target.querySelector("button");
    setTimeout(function () { if (button) button.disabled = true; }, 0);
  });

  // --- focus the form that just opened (or its first field in error) --------------------------
  function focusNewForm() {
    var form = document.querySelector("form.zf-entry:not([data-focused])");
    if (!form) return;
    form.setAttribute("data-focused", "");
    var field = form.querySelector(".is-invalid") ||
      form.querySelector("input:not([type=hidden]):not([disabled]), select, textarea");
    if (field) {
      field.focus();
      if (field.scrollIntoView) field.scrollIntoView({ block: "nearest" });
    }
  }
  document.addEventListener("htmx:afterSettle", focusNewForm);

  // --- Enter saves, Esc cancels ----------------------------------------------------------------
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    var form = el.closest && el.closest("form.zf-entry");
    if (!form || event.defaultPrevented) return;
    if (event.isComposing || event.keyCode === 229) return; // the input method is choosing characters
    if (event.key === "Escape") {
      var cancel = form.querySelector("[data-cancel]");
      if (cancel) { event.preventDefault(); cancel.click(); }
      return;
    }
    if (event.key !== "Enter" || event.ctrlKey || event.altKey || event.metaKey) return;
    if (el.tagName === "BUTTON" || el.tagName === "A") return; // Enter presses what has the focus
    if (el.tagName === "TEXTAREA" && event.shiftKey) return;
    event.preventDefault();
    form.requestSubmit(form.querySelector("[data-save]") || undefined);
  });

  // --- 责任人 typeahead --------------------------------------------------------------------------
  function parts(input) {
    var box = input.closest(".zf-typeahead");
    return {
      box: box,
      list: box.querySelector("[role=listbox]"),
      hidden: box.querySelector('input[type=hidden][name$="-responsible_person"]'),
      unit: input.form && input.form.querySelector('select[name$="-responsible_unit"]'),
    };
  }
  function options(list) { return Array.prototype.slice.call(list.querySelectorAll("[role=option]")); }
  function setOpen(input, list, open) {
    list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) input.removeAttribute("aria-activedescendant");
  }
  function activate(input, list, index) {
    var all = options(list);
    all.forEach(function (option, i) {
      option.classList.toggle("active", i === index);
      option.setAttribute("aria-selected", i === index ? "true" : "false");
      if (!option.id) option.id = list.id + "-" + i;
    });
    if (all[index]) {
      input.setAttribute("aria-activedescendant", all[index].id);
      all[index].scrollIntoView({ block: "nearest" });
    }
  }
  function pick(input, option) {
    var p = parts(input);
    p.hidden.value = option.dataset.person;
    p.hidden.dataset.unit = option.dataset.unit;
    input.value = option.dataset.name;
    notice(p.box, "");
    // A person from another unit of the tree brings their unit along (no reload: they fit it).
    var unitWanted = option.dataset.unit === p.box.dataset.homeUnit && p.unit && p.unit.value === "" ? "" : option.dataset.unit;
    if (p.unit && p.unit.value !== unitWanted) p.unit.value = unitWanted;
    setOpen(input, p.list, false);
  }
  function notice(box, text) {
    var el = box.querySelector("[data-testid=person-notice]");
    el.textContent = text;
    el.hidden = !text;
  }
  // 责任单位 changed: a chosen person who still belongs to it stays; one who does not is cleared,
  // and the box says so (the same words the server uses when it refuses such a save).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches('select[name$="-responsible_unit"]')) return;
    var input = select.form && select.form.querySelector("[data-people-url]");
    if (!input) return;
    var p = parts(input);
    var unit = select.value || p.box.dataset.homeUnit;
    if (!p.hidden.value || !p.hidden.dataset.unit || p.hidden.dataset.unit === unit) { notice(p.box, ""); return; }
    notice(p.box, p.box.dataset.mismatch.replace("{name}", input.value));
    p.hidden.value = "";
    p.hidden.dataset.unit = "";
    input.value = "";
  });

  var timer = null;
  var serial = 0;
  function search(input) {
    var p = parts(input);
    var url = new URL(input.dataset.peopleUrl, window.location.href);
    url.searchParams.set("q", input.value);
    if (p.unit && p.unit.value) url.searchParams.set("unit", p.unit.value);
    var mine = ++serial;
    fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (mine !== serial || document.activeElement !== input) return; // a later keystroke won
        p.list.innerHTML = html;
        var any = p.list.children.length > 0;
        setOpen(input, p.list, any);
        if (options(p.list).length) activate(input, p.list, 0);
      });
  }
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-people-url]")) return;
    var typed = parts(input);
    typed.hidden.value = ""; // typed over a pick: it is a name again until one is picked
    typed.hidden.dataset.unit = "";
    clearTimeout(timer);
    if (input.value.trim() === "") { setOpen(input, parts(input).list, false); return; }
    timer = setTimeout(function () { search(input); }, 150);
  });
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-people-url]") || event.isComposing) return;
    var list = parts(input).list;
    var all = options(list);
    var current = all.findIndex(function (o) { return o.classList.contains("active"); });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (list.hidden) { search(input); return; }
      var step = event.key === "ArrowDown" ? 1 : -1;
      activate(input, list, Math.max(0, Math.min(all.length - 1, current + step)));
    } else if (event.key === "Enter" && !list.hidden && all[Math.max(current, 0)]) {
      event.preventDefault(); // picks; the row is saved by the next Enter
      pick(input, all[Math.max(current, 0)]);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault(); // closes the list, not the row
      setOpen(input, list, false);
    }
  }, true);
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest(".zf-suggest [role=option]");
    if (!option) return;
    event.preventDefault(); // keep the focus in the box
    pick(option.closest(".zf-typeahead").querySelector("[data-people-url]"), option);
  });
  document.addEventListener("focusout", function (event) {
    var input = event.target;
    if (input.matches && input.matches("[data-people-url]")) setOpen(input, parts(input).list, false);
  });
})();
