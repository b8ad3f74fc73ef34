"""Idle session timeout (无操作自动退出), length set by the security policy."""

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

from zuofeng.accounts.models import SecurityPolicy

SESSION_KEY = "zuofeng_last_seen"


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(SESSION_KEY)
            limit = SecurityPolicy.current().idle_timeout_minutes * 60
            if last_seen is not None and now - last_seen > limit:
                from zuofeng.audit.services import audit_record

                user = request.user
                logout(request)
                audit_record(actor=user, action="auth.idle_logout", detail="长时间未操作，自动退出")
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                messages.info(request, "由于长时间未操作，您已自动退出，请重新登录。")
                return redirect(f"/accounts/login/?next={request.path}")
            request.session[SESSION_KEY] = now
        return self.get_response(request)
