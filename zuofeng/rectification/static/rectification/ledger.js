// 整改清单 page: the source-detail label follows the chosen source; 长期坚持 clears the deadline.
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
