"""The request's user from the session's own read; idle session timeout (无操作自动退出), length set by
the security policy; a password change owed; security headers."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, logout
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage import default_storage
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.urls import Resolver404, resolve
from django.utils.crypto import constant_time_compare

from zuofeng.accounts.backends import AccountBackend
from zuofeng.accounts.models import SecurityPolicy
from zuofeng.core import clock


class SessionUserMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, the user taken from what the session store read with the
    session (accounts.sessions) instead of a second query through the backend."""

    def process_request(self, request):
        super().process_request(request)
        # The user itself, not Django's lazy proxy: IdleTimeoutMiddleware reads it on every request
        # anyway, and each attribute read through the proxy (permission checks, templates: ~200 a
        # page) cost a call more.
        request.user = _cached_user(request)


def _cached_user(request):
    if not hasattr(request, "_cached_user"):  # the attribute Django's middleware caches it in
        request._cached_user = session_user(request)
    return request._cached_user


def session_user(request):
    """django.contrib.auth.get_user (Django 5.2), step for step, with the backend's get_user(user_id)
    replaced by the account the session store read in the same statement as the session.

    Mirrored rather than called, because get_user asks the backend, which would read the user again.
    Every check stays: the session names a backend in AUTHENTICATION_BACKENDS, user_can_authenticate
    (is_active), and the session auth hash (a password changed in any process logs this session out;
    a hash made with a SECRET_KEY_FALLBACKS key is renewed). Whenever the store has no user for this
    session's user id (another backend, a session written before its user column), Django's own
    get_user answers, with its query.
    """
    session = request.session
    try:
        user_id = auth.get_user_model()._meta.pk.to_python(session[auth.SESSION_KEY])
        backend_path = session[BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    loaded = getattr(session, "loaded_user", None)
    if loaded is None or loaded.pk != user_id or backend_path not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    backend = auth.load_backend(backend_path)
    if not isinstance(backend, AccountBackend):  # the loaded user is what this backend would return
        return auth.get_user(request)
    user = loaded if backend.user_can_authenticate(loaded) else None
    if user is not None:
        session_hash = session.get(HASH_SESSION_KEY)
        session_auth_hash = user.get_session_auth_hash()
        if not (session_hash and constant_time_compare(session_hash, session_auth_hash)):
            if session_hash and any(
                constant_time_compare(session_hash, fallback) for fallback in user.get_session_auth_fallback_hash()
            ):
                session.cycle_key()
                session[HASH_SESSION_KEY] = session_auth_hash
            else:
                session.flush()
                user = None
    return user or AnonymousUser()


SESSION_KEY = "zuofeng_last_seen"
TIMEOUT_MESSAGE = "由于长时间未操作，您已自动退出，请重新登录。"
# The last-seen time is rewritten at most once a minute: writing it on every request cost an
# UPDATE of the session row per page. Idle time is therefore counted from at most a minute early.
LAST_SEEN_RESOLUTION = 60


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
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
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


MUST_CHANGE_MESSAGE = "您的密码须先修改：请在平台“修改密码”页面设置新密码后再继续使用。"
# Reachable while a password change is owed: the change page itself and logging out.
MUST_CHANGE_OPEN_URLS = ("accounts:password_change", "accounts:logout", "accounts:login")


class PasswordChangeRequiredMiddleware:
    """下次登录须修改密码, enforced on every request until the change is made, not only at login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.must_change_password and not self._open(request):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _open(request) -> bool:
        open_paths = {resolve_url(name) for name in MUST_CHANGE_OPEN_URLS}
        return request.path in open_paths or request.path.startswith(settings.STATIC_URL)

    @staticmethod
    def _refuse(request):
        change_url = resolve_url("accounts:password_change")
        if _is_api(request):
            # The API's error schema ({"detail": …}), as every other refusal there.
            return JsonResponse({"detail": MUST_CHANGE_MESSAGE}, status=403, json_dumps_params={"ensure_ascii": False})
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = change_url
            return response
        messages.warning(request, MUST_CHANGE_MESSAGE)
        return redirect(change_url)


def _is_api(request) -> bool:
    """The JSON API itself (namespace "api"), not the token pages that live under /api/tokens/."""
    try:
        return "api" in resolve(request.path_info).namespaces
    except Resolver404:
        return False


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every response; no-store on every page and file that is not static.

    Sits above WhiteNoise, so static files get the policy too but keep their long caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy)
        if not request.path.startswith(settings.STATIC_URL):
            # Pages, htmx fragments, JSON and downloads may all carry personal data: never keep
            # them in the browser's or a proxy's cache (shared office PCs).
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
