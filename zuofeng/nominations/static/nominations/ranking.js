// 排名与评定: confirm the number selected against the award's quota before submitting.
(function () {
  var form = document.getElementById("select-form");
  if (!form) { return; }
  form.addEventListener("submit", function (event) {
    var n = form.querySelectorAll('input[name="selected"]:checked').length;
    var quota = form.dataset.winners, unit = form.dataset.counter;
    var text = quota ? "确认入选 " + n + " " + unit + "（名额 " + quota + " " + unit + "）" : "确认入选 " + n + " " + unit;
    if (quota && n > Number(quota)) { text += "\n已超过名额 " + (n - Number(quota)) + " " + unit + "！"; }
    if (!window.confirm(text)) { event.preventDefault(); }
  });
})();
