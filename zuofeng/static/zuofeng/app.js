// htmx swaps nothing on an error response; tell the person what happened instead of failing silently.
(function () {
  var messages = {
    0: "网络连接中断，请检查网络后重试。",
    403: "您无权办理此事项。",
    404: "该内容不存在或您无权查看。",
    409: "该条目已被他人修改，请刷新后重试。",
    413: "上传的文件过大。",
  };
  function show(text) {
    var body = document.getElementById("zf-toast-body");
    var toast = document.getElementById("zf-toast");
    if (!body || !toast || !window.bootstrap) { window.alert(text); return; }
    body.textContent = text;
    window.bootstrap.Toast.getOrCreateInstance(toast).show();
  }
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    show(messages[status] || "操作未能完成（错误代码 " + status + "），请稍后重试或联系系统管理员。");
  });
  document.addEventListener("htmx:sendError", function () { show(messages[0]); });
})();
