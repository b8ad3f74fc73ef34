// 审核整改清单: "全部选为通过" ticks every 通过 choice.
(function () {
  var button = document.getElementById("approve-all");
  if (!button) { return; }
  button.addEventListener("click", function () {
    document.querySelectorAll('input[type=radio][value="approved"]').forEach(function (radio) { radio.checked = true; });
  });
})();
