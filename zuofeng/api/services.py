"""Writes for API tokens (接口令牌). The raw token is returned once and never stored."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zuofeng.accounts.models import ApiToken, User
from zuofeng.accounts.permissions import may
from zuofeng.audit.models import AuditResult
from zuofeng.audit.services import audit_record
from zuofeng.core import clock

MAX_ACTIVE_TOKENS = 10
TOKEN_LIFETIME = dt.timedelta(days=90)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str


def _may_revoke_tokens_of(actor: User | None, user: User) -> bool:
    # actor None is the server itself (command line, or a password reset revoking every token).
    return actor is None or actor.pk == user.pk or may(actor, "api_token.revoke_any")


def api_token_create(*, actor: User | None, user: User, name: str) -> IssuedToken:
    """Only for oneself (or from the server's command line), and only for roles that use the API."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied
    if actor is not None and not may(actor, "api_token.create"):
        audit_record(actor=actor, action="api_token.create", obj=user, result=AuditResult.DENIED)
        raise PermissionDenied("您的角色不使用接口，不能创建接口令牌。")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写“用途”，例如“数据大屏读取”。"})
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise ValidationError({"name": "“用途”不能超过 100 个字。"})
    if not user.is_active:
        raise ValidationError(f"账号“{user.username}”已停用，不能创建接口令牌。")
    if not may(user, "api_token.create"):
        raise ValidationError(f"账号“{user.username}”的角色不使用接口，不能创建接口令牌。")
    with transaction.atomic():
        active = ApiToken.objects.select_for_update().filter(user=user, revoked=False, expires_at__gt=clock.now())
        if len(active) >= MAX_ACTIVE_TOKENS:
            raise ValidationError(f"每个账号最多保留 {MAX_ACTIVE_TOKENS} 个有效令牌，请先吊销不用的令牌。")
        raw = ApiToken.new_raw()
        token = ApiToken.objects.create(
            user=user,
            name=name,
            token_hash=ApiToken.hash(raw),
            prefix=raw[:8],
            expires_at=clock.now() + TOKEN_LIFETIME,
        )
        audit_record(
            actor=actor,
            action="api_token.create",
            obj=user,
            after={"token": token.pk, "name": name, "prefix": token.prefix, "expires_at": token.expires_at.isoformat()},
        )
    return IssuedToken(token=token, raw=raw)


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """The owner, or 安全管理员 for any account's token."""
    if not _may_revoke_tokens_of(actor, token.user):
        raise PermissionDenied
    if token.revoked:
        return token
    with transaction.atomic():
        token.revoked = True
        token.save(update_fields=["revoked", "updated_at"])
        audit_record(
            actor=actor,
            action="api_token.revoke",
            obj=token.user,
            before={"token": token.pk, "name": token.name, "prefix": token.prefix, "revoked": False},
            after={"revoked": True},
        )
    return token


def api_tokens_revoke_all(*, actor: User | None, user: User, detail: str) -> int:
    """Every live token of the account (a password reset); one audit entry, the count returned."""
    ids = list(ApiToken.objects.filter(user=user, revoked=False).values_list("pk", flat=True))
    if ids:
        ApiToken.objects.filter(pk__in=ids).update(revoked=True, updated_at=clock.now())
        audit_record(actor=actor, action="api_token.revoke", obj=user, after={"tokens": ids}, detail=detail)
    return len(ids)
