"""The JSON API under /api/: one NinjaAPI, one router per domain, Chinese errors."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from zuofeng.api import (
    accounts,
    assessment,
    awards,
    campaigns,
    complaints,
    info,
    jobs,
    ledger,
    nominate,
    nominations,
    notices,
    organisation,
    projects,
    rectification,
    reminders,
    review,
    supervision,
)
from zuofeng.api.access import FORBIDDEN
from zuofeng.api.auth import SessionAuth, TokenAuth
from zuofeng.api.docs import UNAUTHENTICATED, OfflineSwagger, signed_in_only
from zuofeng.api.errors import CSRF_FAILED, INVALID, NOT_FOUND, SERVER_ERROR


class ReadableJSONRenderer(JSONRenderer):
    # Chinese stays Chinese in the body, so a person reading a response with curl can read it.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="作风效能专项活动管理平台 API",
    version="1",
    description="与网页相同的权限：单位、人员、专项活动定义（只读）；找差整改的清单、问题、措施、审核、进展和销号；评优申报的奖项、申报、意见、评分和结果；群众提的办理（派单、签收、答复等），以及按查询码公开查询办理状态。"
    "可用平台登录会话（浏览器）或接口令牌（Authorization: Bearer zf_…）调用；数据范围与页面完全一致。",
    urls_namespace="api",
    # Token first: a script sending a token must never hit the session's CSRF check.
    auth=[TokenAuth(), SessionAuth()],
    renderer=ReadableJSONRenderer(),
    # No validator badge: Swagger UI would fetch it from validator.swagger.io (no internet here).
    docs=OfflineSwagger(settings={"validatorUrl": None}),
    docs_url="/docs",
    docs_decorator=signed_in_only,
)

api.add_router("", accounts.router)
api.add_router("", organisation.router)
api.add_router("", campaigns.router)
api.add_router("/rectification", rectification.router)
api.add_router("/nominations", nominations.router)
api.add_router("/notices", notices.router)
api.add_router("/supervision", supervision.router)
api.add_router("", projects.router)  # /api/projects, /api/initiatives, /api/activities
api.add_router("/complaints", complaints.router)
api.add_router("/public", complaints.public_router)
api.add_router("/assessment", assessment.router)
# Writes added for issue 15 (every UI action has an API operation), by page area; ledger.py and
# nominate.py add to the rectification and nominations routers (shared paths), imported for that.
api.add_router("/rectification", review.router)
api.add_router("/rectification", jobs.rectification_router)
api.add_router("/nominations", jobs.nominations_router)
api.add_router("/nominations", awards.router)
api.add_router("/reminders", reminders.router)
# These two add their operations to the rectification and nominations routers (paths they share).
SHARED_ROUTER_MODULES = (ledger, nominate)
api.add_router("/bulletins", notices.bulletins_router)
api.add_router("/info", info.router)


def _error(request, status: int, detail: str, **extra):
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    response = _error(request, 401, UNAUTHENTICATED)
    response["WWW-Authenticate"] = 'Bearer realm="zuofeng"'
    return response


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc):
    return _error(request, 403, FORBIDDEN)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    message = str(exc)
    if exc.status_code == 403:
        # ninja's session auth says "CSRF check Failed"; AuthorizationError carries our own text.
        message = FORBIDDEN if message == "Forbidden" else message
        if message.startswith("CSRF"):
            message = CSRF_FAILED
    return _error(request, exc.status_code, message)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, NOT_FOUND)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return _error(request, 422, INVALID, errors=exc.errors)


@api.exception_handler(Exception)
def _server_error(request, exc):
    # Logged as Django logs an unhandled exception (same logger, so the same alerts), but the
    # caller gets the API's JSON body rather than the HTML error page.
    logging.getLogger("django.request").error(
        "Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500, "request": request}
    )
    response = _error(request, 500, SERVER_ERROR)
    response._has_been_logged = True  # Django's own log line would repeat it without the traceback
    return response
