"""Reads for API tokens: a user sees their own; 安全管理员 sees every account's (never a secret)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from zuofeng.accounts.models import ApiToken, User
from zuofeng.accounts.permissions import may


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked", "-created_at", "-id")


def api_token_list_all(*, actor: User) -> QuerySet[ApiToken]:
    if not may(actor, "api_token.revoke_any"):
        raise PermissionDenied
    return ApiToken.objects.select_related("user", "user__person").order_by("revoked", "-created_at", "-id")
