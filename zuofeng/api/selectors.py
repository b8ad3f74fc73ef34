"""Reads for API tokens: a user sees only their own."""

from django.db.models import QuerySet

from zuofeng.accounts.models import ApiToken, User


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked", "-created_at", "-id")
