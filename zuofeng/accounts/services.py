"""Writes for accounts: login with lockout, password change, role assignment, security policy."""

import datetime as dt

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from zuofeng.accounts.models import SEPARATED_ADMIN_ROLES, LoginAttempt, Role, RoleAssignment, SecurityPolicy, User
from zuofeng.accounts.permissions import may
from zuofeng.audit.models import AuditResult
from zuofeng.audit.services import audit_record, model_snapshot
from zuofeng.core import clock


class LoginRefused(Exception):
    """A login that fails, with the Chinese message to show."""


def login_authenticate(*, request, username: str, password: str) -> User:
    """Check the password, counting failures per username in the database (5 → locked 15 min)."""
    policy = SecurityPolicy.current()
    now = clock.now()
    attempt = LoginAttempt.objects.filter(username=username).first()
    if attempt and attempt.locked_until and attempt.locked_until > now:
        minutes = max(1, int((attempt.locked_until - now).total_seconds() // 60) + 1)
        audit_record(actor=None, username=username, action="auth.login", result=AuditResult.DENIED, detail="账号已锁定")
        raise LoginRefused(f"连续登录失败次数过多，账号已锁定，请 {minutes} 分钟后再试。")
    user = authenticate(request, username=username, password=password)
    if user is None:
        failures = _register_failure(username=username, policy=policy, now=now)
        remaining = policy.max_failed_logins - failures
        audit_record(
            actor=None, username=username, action="auth.login", result=AuditResult.FAILED, detail="用户名或密码错误"
        )
        if remaining <= 0:
            raise LoginRefused(
                f"连续登录失败 {policy.max_failed_logins} 次，账号已锁定 {policy.lockout_minutes} 分钟。"
            )
        raise LoginRefused(f"用户名或密码错误，再失败 {remaining} 次账号将被锁定 {policy.lockout_minutes} 分钟。")
    LoginAttempt.objects.filter(username=username).delete()
    audit_record(actor=user, action="auth.login")
    return user


def _register_failure(*, username: str, policy: SecurityPolicy, now: dt.datetime) -> int:
    with transaction.atomic():
        attempt, _ = LoginAttempt.objects.select_for_update().get_or_create(username=username)
        if attempt.locked_until and attempt.locked_until <= now:
            attempt.failures = 0  # the previous lock has expired: start counting afresh
            attempt.locked_until = None
        attempt.failures = F("failures") + 1
        attempt.last_failure_at = now
        attempt.save()
        attempt.refresh_from_db()
        if attempt.failures >= policy.max_failed_logins:
            attempt.locked_until = now + dt.timedelta(minutes=policy.lockout_minutes)
            attempt.save(update_fields=["locked_until"])
    return attempt.failures


def account_unlock(*, actor: User, username: str) -> None:
    if not (may(actor, "security.manage") or may(actor, "accounts.manage")):
        raise PermissionDenied
    LoginAttempt.objects.filter(username=username).delete()
    audit_record(actor=actor, action="auth.unlock", object_type="accounts.user", object_id=username, detail="解除锁定")


def password_change(*, actor: User, user: User, new_password: str) -> None:
    if actor.pk != user.pk and not may(actor, "accounts.manage"):
        raise PermissionDenied
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = actor.pk != user.pk
    user.password_changed_at = clock.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit_record(actor=actor, action="account.password_change", obj=user)


def role_assign(
    *, actor: User | None, user: User, role: str, unit=None, include_subtree: bool = False
) -> RoleAssignment:
    """Give a role; refuses to merge the three separated administrator roles (三员分立)."""
    if actor is not None and not may(actor, "accounts.manage"):
        raise PermissionDenied
    held = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    if role in SEPARATED_ADMIN_ROLES and (held - {role}):
        raise ValidationError(f"“{Role(role).label}”须由独立账号担任，不能与其他角色兼任（三员分立）。")
    if role not in SEPARATED_ADMIN_ROLES and held & SEPARATED_ADMIN_ROLES:
        raise ValidationError("系统管理员、安全管理员、审计管理员账号不能兼任业务角色（三员分立）。")
    if role in (Role.UNIT_LEADER, Role.SECTION_CLERK) and unit is None:
        raise ValidationError({"unit": f"“{Role(role).label}”必须指定单位。"})
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, unit=unit, defaults={"include_subtree": include_subtree}
    )
    if created:
        audit_record(
            actor=actor, action="role.assign", obj=user, after={"role": role, "unit": getattr(unit, "pk", None)}
        )
    return assignment


def role_revoke(*, actor: User, assignment: RoleAssignment) -> None:
    if not may(actor, "accounts.manage"):
        raise PermissionDenied
    before = {"role": assignment.role, "unit": assignment.unit_id}
    user = assignment.user
    assignment.delete()
    audit_record(actor=actor, action="role.revoke", obj=user, before=before)


POLICY_FIELDS = [
    "min_password_length",
    "min_character_classes",
    "max_failed_logins",
    "lockout_minutes",
    "idle_timeout_minutes",
    "audit_retention_days",
]


def security_policy_update(*, actor: User, **values) -> SecurityPolicy:
    if not may(actor, "security.manage"):
        audit_record(actor=actor, action="security.policy_update", result=AuditResult.DENIED)
        raise PermissionDenied
    policy = SecurityPolicy.current()
    before = model_snapshot(policy, POLICY_FIELDS)
    for name, value in values.items():
        if name not in POLICY_FIELDS:
            raise ValueError(name)
        setattr(policy, name, value)
    if policy.min_password_length < 8:
        raise ValidationError({"min_password_length": "密码最短长度不能少于 8 位（等保要求）。"})
    if policy.audit_retention_days < 180:
        raise ValidationError({"audit_retention_days": "审计日志至少保存 180 天（六个月）。"})
    policy.save()
    audit_record(
        actor=actor,
        action="security.policy_update",
        obj=policy,
        before=before,
        after=model_snapshot(policy, POLICY_FIELDS),
    )
    return policy
