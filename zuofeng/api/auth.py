"""Who is calling: a Django session (browser, htmx) or a bearer token (scripts, other systems)."""

import datetime as dt

from django.conf import settings
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from zuofeng.accounts.middleware import MUST_CHANGE_MESSAGE
from zuofeng.accounts.models import ApiToken, LoginAttempt, User
from zuofeng.accounts.permissions import may
from zuofeng.core import clock

TOKEN_PREFIX = "zf_"  # noqa: S105 - a marker, not a secret
# Writing last_used_at on every call would make each read a write; a minute is precise enough.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def user_for_token(raw: str) -> User | None:
    """The owner of a live token, or None; only the sha256 of the token is ever looked up.

    Live: not revoked, not expired, its owner active, not locked out by failed logins and still
    holding a role that uses the API. An owner who must change their password is returned (the
    caller answers 403 with the reason, see TokenAuth).
    """
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    now = clock.now()
    token = (
        ApiToken.objects.select_related("user", "user__person")
        .filter(token_hash=ApiToken.hash(raw), revoked=False, expires_at__gt=now)
        .first()
    )
    if token is None or not may(token.user, "api_token.create"):
        return None
    if LoginAttempt.objects.filter(username=token.user.username, locked_until__gt=now).exists():
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None and user.must_change_password:
            raise HttpError(403, MUST_CHANGE_MESSAGE)
        if user is not None:
            # Code below the API (selectors, audit) reads request.user, as it does for the UI.
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """Django's own login session; unsafe methods must carry the CSRF token (checked by the base class)."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


def request_user(request) -> User | None:
    """For views outside ninja operations (the schema and docs pages): token first, then session."""
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() == "bearer" and (user := user_for_token(raw.strip())) is not None:
        return None if user.must_change_password else user
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        return user
    return None
