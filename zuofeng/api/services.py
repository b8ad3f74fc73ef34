"""Writes for API tokens (接口令牌). The raw token is returned once and never stored."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zuofeng.accounts.models import ApiToken, User
from zuofeng.accounts.permissions import may
from zuofeng.audit.services import audit_record

MAX_ACTIVE_TOKENS = 10


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str


def _may_manage_tokens_of(actor: User | None, user: User) -> bool:
    # actor None is the command line (manage.py api_token_create), run by whoever holds the server.
    return actor is None or actor.pk == user.pk or may(actor, "accounts.manage")


def api_token_create(*, actor: User | None, user: User, name: str) -> IssuedToken:
    if not _may_manage_tokens_of(actor, user):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写“用途”，例如“数据大屏读取”。"})
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise ValidationError({"name": "“用途”不能超过 100 个字。"})
    if not user.is_active:
        raise ValidationError(f"账号“{user.username}”已停用，不能创建接口令牌。")
    with transaction.atomic():
        active = ApiToken.objects.select_for_update().filter(user=user, revoked=False)
        if len(active) >= MAX_ACTIVE_TOKENS:
            raise ValidationError(f"每个账号最多保留 {MAX_ACTIVE_TOKENS} 个有效令牌，请先吊销不用的令牌。")
        raw = ApiToken.new_raw()
        token = ApiToken.objects.create(user=user, name=name, token_hash=ApiToken.hash(raw), prefix=raw[:8])
        audit_record(
            actor=actor,
            action="api_token.create",
            obj=user,
            after={"token": token.pk, "name": name, "prefix": token.prefix},
        )
    return IssuedToken(token=token, raw=raw)


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if not _may_manage_tokens_of(actor, token.user):
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
