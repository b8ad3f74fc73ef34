"""The interactive API page, served only from local static files.

Ninja falls back to a CDN copy of Swagger UI when "ninja" is not an installed app; users'
intranets have no internet, so in that case the page is switched off instead.
"""

from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from ninja.openapi.docs import Swagger

from zuofeng.api.auth import request_user

UNAUTHENTICATED = "未登录或令牌无效：请先登录平台，或在请求头中提供有效的接口令牌（Authorization: Bearer zf_…）。"


class OfflineSwagger(Swagger):
    def render_page(self, request, api, **kwargs):
        if "ninja" not in settings.INSTALLED_APPS:
            return JsonResponse(
                {"detail": "接口文档页面未启用（需在 INSTALLED_APPS 中加入 ninja 以使用本地文件）。"}, status=404
            )
        return super().render_page(request, api, **kwargs)


def unauthenticated_response() -> JsonResponse:
    response = JsonResponse({"detail": UNAUTHENTICATED}, status=401, json_dumps_params={"ensure_ascii": False})
    response["WWW-Authenticate"] = 'Bearer realm="zuofeng"'
    return response


def signed_in_only(view):
    """The schema and docs describe the system's internals, so they need a caller like every endpoint."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request_user(request)
        if user is None:
            return unauthenticated_response()
        request.user = user
        return view(request, *args, **kwargs)

    return wrapper
