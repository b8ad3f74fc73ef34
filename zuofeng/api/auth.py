"""Who is calling: a Django session (browser, htmx) or a bearer token (scripts, other systems)."""

import datetime as dt

from django.conf import settings
from ninja.security import APIKeyCookie, HttpBearer

from zuofeng.accounts.models import ApiToken, User
from zuofeng.core import clock

TOKEN_PREFIX = "zf_"  # noqa: S105 - a marker, not a secret
# Writing last_used_at on every call would make each read a write; a minute is precise enough.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def user_for_token(raw: str) -> User | None:
    """The active owner of a live token, or None; only the sha256 of the token is ever looked up."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "user__person")
        .filter(token_hash=ApiToken.hash(raw), revoked=False)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str) -> User | None:
        user = user_for_token(token)
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
        return user
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        return user
    return None
