"""The API's error bodies: always JSON {"detail": "中文说明", …} (schemas in schemas/common.py),
also for what happens outside an operation — an unknown /api/ path, a wrong method, a crash."""

from functools import wraps

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from ninja import Status

NOT_FOUND = "未找到该记录，或您无权查看。"
NO_SUCH_PATH = "接口路径不存在，请对照接口文档（/api/docs）检查地址。"
METHOD_NOT_ALLOWED = "该接口不支持此请求方法。"
SERVER_ERROR = "服务器内部错误，已记录日志；请稍后重试，或联系系统管理员。"
CSRF_FAILED = "CSRF 校验失败：请刷新页面后重试；脚本调用请改用接口令牌。"
INVALID = "请求参数不正确。"


def error_response(status: int, detail: str, **extra) -> JsonResponse:
    """An error body for code that runs outside a ninja operation (Django's error handlers)."""
    return JsonResponse({"detail": detail, **extra}, status=status, json_dumps_params={"ensure_ascii": False})


def refused(error: ValidationError, *, stale: bool = False) -> Status:
    """A service's ValidationError as the API's answer: 409 when the edit was stale, else 400 with
    the Chinese messages per field."""
    if stale:
        return Status(409, {"detail": error.messages[0], "current": getattr(error, "current", {})})
    if hasattr(error, "error_dict"):
        errors = {name: [str(m) for e in errs for m in e.messages] for name, errs in error.error_dict.items()}
        return Status(400, {"detail": "；".join(m for ms in errors.values() for m in ms), "errors": errors})
    return Status(400, {"detail": "；".join(error.messages), "errors": {}})


def json_method_not_allowed(view):
    """Ninja answers a wrong method with a plain-text 405; give it the API's JSON body (Allow kept)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            json = error_response(405, METHOD_NOT_ALLOWED)
            json["Allow"] = response["Allow"]
            return json
        return response

    return wrapper
