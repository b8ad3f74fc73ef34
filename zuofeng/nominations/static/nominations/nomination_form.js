/* 所获荣誉 rows: add and remove. Row inputs are named <field>-<n>-year|honour|body; the server reads
 * whatever indexes are present, so removed rows simply disappear. */
(function () {
  "use strict";

  function nextIndex(tbody, name) {
    var max = -1;
    tbody.querySelectorAll("input[name^='" + name + "-']").forEach(function (input) {
      var n = parseInt(input.name.split("-")[1], 10);
      if (n > max) max = n;
    });
    return max + 1;
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) {
      var name = add.getAttribute("data-add-row");
      var tbody = document.querySelector("table[data-honours='" + name + "'] tbody");
      var template = tbody.querySelector("tr[data-honour-row]");
      var row = template.cloneNode(true);
      var index = nextIndex(tbody, name);
      row.querySelectorAll("input").forEach(function (input) {
        var part = input.name.split("-").pop();
        input.name = name + "-" + index + "-" + part;
        input.value = "";
        input.classList.remove("is-invalid");
      });
      tbody.appendChild(row);
      row.querySelector("input").focus();
      return;
    }
    var remove = event.target.closest("[data-remove-row]");
    if (remove) {
      var tr = remove.closest("tr");
      var body = tr.parentNode;
      if (body.querySelectorAll("tr[data-honour-row]").length > 1) {
        tr.remove();
      } else {
        tr.querySelectorAll("input").forEach(function (input) { input.value = ""; });
      }
    }
  });
})();
