"""Idle session timeout (无操作自动退出), length set by the security policy."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.messages.storage import default_storage
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, resolve_url

from zuofeng.accounts.models import SecurityPolicy
from zuofeng.core import clock

SESSION_KEY = "zuofeng_last_seen"
TIMEOUT_MESSAGE = "由于长时间未操作，您已自动退出，请重新登录。"


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = clock.now().timestamp()
            last_seen = request.session.get(SESSION_KEY)
            limit = SecurityPolicy.current().idle_timeout_minutes * 60
            if last_seen is not None and now - last_seen > limit:
                return self._timed_out(request)
            request.session[SESSION_KEY] = now
        return self.get_response(request)

    def _timed_out(self, request):
        from zuofeng.audit.services import audit_record

        user = request.user
        logout(request)
        audit_record(actor=user, action="auth.idle_logout", detail="长时间未操作，自动退出")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "会话已超时，请重新登录。"}, status=401)
        login_url = resolve_url(settings.LOGIN_URL)
        target = f"{login_url}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            # htmx would swap the login page into a fragment; ask it to load the whole page instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
        else:
            response = redirect(target)
        _notify(request, response, TIMEOUT_MESSAGE)
        return response


def _notify(request, response, text: str) -> None:
    """Leave the message for the login page, also when this runs before MessageMiddleware."""
    storage = getattr(request, "_messages", None)
    if storage is not None:
        messages.info(request, text)
        return
    storage = default_storage(request)
    storage.add(messages.INFO, text)
    storage.update(response)
