"""Writes for accounts: login with lockout, password change, role assignment, security policy.

Changes to accounts go through ACCOUNT_CHANGE_RULES (permissions/admin_accounts.py); the `*_apply` functions
do the change itself and are called only after that check, or by an approved 三员变更申请.
"""

import datetime as dt
import math

from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zuofeng.accounts.models import (
    SEPARATED_ADMIN_ROLES,
    AccountOperation,
    LoginAttempt,
    Role,
    RoleAssignment,
    SecurityPolicy,
    Session,
    User,
)
from zuofeng.accounts.passwords import demo_mode, is_common, password_history_record
from zuofeng.accounts.permissions import ALLOW, TWO_ADMINS, account_change_decision, account_target_kind, may
from zuofeng.audit.models import AuditResult
from zuofeng.audit.services import audit_record, model_snapshot
from zuofeng.core import clock


class LoginRefused(Exception):
    """A login that fails, with the Chinese message to show."""


def login_authenticate(*, request, username: str, password: str) -> User:
    """Check the password, counting failures per username in the database (5 → locked 15 min)."""
    from zuofeng.audit.context import client_ip

    policy = SecurityPolicy.current()
    now = clock.now()
    ip = client_ip(request) if request is not None else None
    attempt = LoginAttempt.objects.filter(username=username).first()
    if attempt and attempt.locked_until and attempt.locked_until > now:
        minutes = math.ceil((attempt.locked_until - now).total_seconds() / 60)
        audit_record(
            actor=None, username=username, action="auth.login", result=AuditResult.DENIED, ip=ip, detail="账号已锁定"
        )
        raise LoginRefused(f"连续登录失败次数过多，账号已锁定，请 {minutes} 分钟后再试。")
    user = authenticate(request, username=username, password=password)
    if user is None:
        failures = _register_failure(username=username, policy=policy, now=now)
        remaining = policy.max_failed_logins - failures
        detail = f"用户名或密码错误（连续第 {failures} 次）"
        if remaining <= 0:
            detail += f"，账号锁定 {policy.lockout_minutes} 分钟"
        audit_record(
            actor=None, username=username, action="auth.login", result=AuditResult.FAILED, ip=ip, detail=detail
        )
        if remaining <= 0:
            raise LoginRefused(
                f"连续登录失败 {policy.max_failed_logins} 次，账号已锁定 {policy.lockout_minutes} 分钟。"
            )
        raise LoginRefused(f"用户名或密码错误，再失败 {remaining} 次账号将被锁定 {policy.lockout_minutes} 分钟。")
    LoginAttempt.objects.filter(username=username).delete()
    audit_record(actor=user, action="auth.login", ip=ip)
    if is_common(password) and not demo_mode() and not user.must_change_password:
        # e.g. the published demo password on a real installation: usable once, to change it.
        user.must_change_password = True
        user.save(update_fields=["must_change_password"])
        audit_record(actor=user, action="account.must_change_password", obj=user, detail="使用常见弱口令登录")
    return user


def _register_failure(*, username: str, policy: SecurityPolicy, now: dt.datetime) -> int:
    # The row lock serialises concurrent failures, so plain arithmetic on the locked row is safe.
    with transaction.atomic():
        attempt, _ = LoginAttempt.objects.select_for_update().get_or_create(username=username)
        if attempt.locked_until and attempt.locked_until <= now:
            attempt.failures = 0  # the previous lock has expired: start counting afresh
            attempt.locked_until = None
        attempt.failures += 1
        attempt.last_failure_at = now
        if attempt.failures >= policy.max_failed_logins:
            attempt.locked_until = now + dt.timedelta(minutes=policy.lockout_minutes)
        attempt.save()
    return attempt.failures


def account_unlock(*, actor: User, username: str) -> None:
    if not (may(actor, "security.manage") or may(actor, "accounts.manage")):
        raise PermissionDenied
    LoginAttempt.objects.filter(username=username).delete()
    audit_record(actor=actor, action="auth.unlock", object_type="accounts.user", object_id=username, detail="解除锁定")


class NeedsSecondAdmin(PermissionDenied):
    """A 三员分立 change the actor may only ask for (accounts/admin_changes.py), not make."""


def _authorise_account_change(*, actor: User | None, target: User, operation: str, role: str = "") -> None:
    """The ACCOUNT_CHANGE_RULES table decides; actor None is manage.py on the server."""
    if actor is None:
        return
    kind = account_target_kind(target, operation=operation, role=role)
    decision = account_change_decision(actor, operation=operation, target_kind=kind)
    if decision == ALLOW:
        return
    detail = "须另一名不同角色的管理员批准（三员分立）" if decision == TWO_ADMINS else "无权操作该账号（三员分立）"
    audit_record(actor=actor, action=f"account.{operation}", obj=target, result=AuditResult.DENIED, detail=detail)
    if decision == TWO_ADMINS:
        raise NeedsSecondAdmin(detail)
    raise PermissionDenied(detail)


def password_change(*, actor: User, user: User, new_password: str) -> None:
    """An administrator's reset: the holder must change it at next login; tokens and sessions end."""
    if actor.pk == user.pk:
        raise PermissionDenied("请在“修改密码”页面修改自己的密码。")
    _authorise_account_change(actor=actor, target=user, operation=AccountOperation.RESET_PASSWORD)
    validate_password(new_password, user)
    password_reset_apply(actor=actor, user=user, password_hash=make_password(new_password))


def password_reset_apply(*, actor: User | None, user: User, password_hash: str, detail: str = "") -> None:
    """Set an already-validated password hash (reset, or an approved 三员 request); authorisation is the caller's."""
    from zuofeng.api.services import api_tokens_revoke_all

    with transaction.atomic():
        user.password = password_hash
        user.must_change_password = True
        user.password_changed_at = clock.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        password_history_record(user=user)
        revoked = api_tokens_revoke_all(actor=actor, user=user, detail="管理员重置密码")
        ended = sessions_end(user=user)
        audit_record(
            actor=actor,
            action="account.password_change",
            obj=user,
            detail=detail or f"管理员重置密码；吊销接口令牌 {revoked} 个，结束登录会话 {ended} 个",
        )


def sessions_end(*, user: User) -> int:
    """Log the account out everywhere (database sessions); the count of live ones is for the audit trail.

    A filter on the session's user column (accounts.sessions), not a decode of every live session."""
    ended, _ = Session.objects.filter(user=user, expire_date__gt=clock.now()).delete()
    return ended


class OldPasswordRefused(Exception):
    """A wrong old password on the change form, counted like a failed login; `locked` ends the session."""

    def __init__(self, message: str, *, locked: bool):
        super().__init__(message)
        self.locked = locked


def password_change_own(*, user: User, old_password: str, new_password: str) -> None:
    """The holder's own change: the old password is throttled with the login counter (same row, same lock)."""
    policy = SecurityPolicy.current()
    now = clock.now()
    attempt = LoginAttempt.objects.filter(username=user.username).first()
    if attempt and attempt.locked_until and attempt.locked_until > now:
        audit_record(actor=user, action="account.password_change", result=AuditResult.DENIED, detail="账号已锁定")
        raise OldPasswordRefused("连续输错原密码次数过多，账号已锁定，请稍后重新登录。", locked=True)
    if not user.check_password(old_password):
        failures = _register_failure(username=user.username, policy=policy, now=now)
        remaining = policy.max_failed_logins - failures
        detail = f"原密码错误（连续第 {failures} 次）"
        if remaining <= 0:
            detail += f"，账号锁定 {policy.lockout_minutes} 分钟"
        audit_record(actor=user, action="account.password_change", result=AuditResult.FAILED, detail=detail)
        if remaining <= 0:
            raise OldPasswordRefused(
                f"连续输错原密码 {policy.max_failed_logins} 次，"
                f"账号已锁定 {policy.lockout_minutes} 分钟，请稍后重新登录。",
                locked=True,
            )
        raise OldPasswordRefused(
            f"原密码不正确，再错 {remaining} 次账号将被锁定 {policy.lockout_minutes} 分钟。", locked=False
        )
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = now
    with transaction.atomic():
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        LoginAttempt.objects.filter(username=user.username).delete()
        audit_record(actor=user, action="account.password_change", obj=user)


def role_assign(
    *, actor: User | None, user: User, role: str, unit=None, include_subtree: bool = False
) -> RoleAssignment:
    """Give a role; refuses to merge the three separated administrator roles (三员分立)."""
    if actor is not None and not may(actor, "accounts.manage"):
        raise PermissionDenied
    _authorise_account_change(actor=actor, target=user, operation=AccountOperation.GRANT, role=role)
    return role_assign_apply(actor=actor, user=user, role=role, unit=unit, include_subtree=include_subtree)


def role_separation_check(*, user: User, role: str) -> None:
    """三员 roles are held alone: one per account and never with a business role."""
    held = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    if role in SEPARATED_ADMIN_ROLES and (held - {role}):
        raise ValidationError(f"“{Role(role).label}”须由独立账号担任，不能与其他角色兼任（三员分立）。")
    if role not in SEPARATED_ADMIN_ROLES and held & SEPARATED_ADMIN_ROLES:
        raise ValidationError("系统管理员、安全管理员、审计管理员账号不能兼任业务角色（三员分立）。")


def role_assign_apply(*, actor: User | None, user: User, role: str, unit=None, include_subtree: bool = False):
    role_separation_check(user=user, role=role)
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
    _authorise_account_change(actor=actor, target=assignment.user, operation=AccountOperation.REVOKE)
    role_revoke_apply(actor=actor, assignment=assignment)


def role_revoke_apply(*, actor: User | None, assignment: RoleAssignment) -> None:
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


# (smallest, largest, message when outside); the floors are 等保 requirements.
POLICY_LIMITS = {
    "min_password_length": (8, 64, "密码最短长度须在 8 到 64 位之间（等保要求不少于 8 位）。"),
    "min_character_classes": (3, 4, "密码至少包含的字符种类须为 3 或 4 种（等保要求不少于 3 种）。"),
    "max_failed_logins": (1, 10, "连续登录失败锁定次数须在 1 到 10 次之间。"),
    "lockout_minutes": (1, 1440, "锁定时长须在 1 到 1440 分钟之间。"),
    "idle_timeout_minutes": (1, 480, "无操作自动退出时间须在 1 到 480 分钟之间。"),
    "audit_retention_days": (180, 36500, "审计日志至少保存 180 天（六个月）。"),
}


def security_policy_update(*, actor: User, **values) -> SecurityPolicy:
    if not may(actor, "security.manage"):
        audit_record(actor=actor, action="security.policy_update", result=AuditResult.DENIED)
        raise PermissionDenied
    policy = SecurityPolicy.current()
    before = model_snapshot(policy, POLICY_FIELDS)
    errors = {}
    for name, value in values.items():
        if name not in POLICY_FIELDS:
            raise ValueError(name)
        low, high, message = POLICY_LIMITS[name]
        if not isinstance(value, int) or not low <= value <= high:
            errors[name] = message
        setattr(policy, name, value)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        policy.save()
        audit_record(
            actor=actor,
            action="security.policy_update",
            obj=policy,
            before=before,
            after=model_snapshot(policy, POLICY_FIELDS),
        )
    return policy


# --- account administration ---


def _require_accounts_manage(actor: User, action: str, obj=None) -> None:
    if not may(actor, "accounts.manage"):
        audit_record(actor=actor, action=action, obj=obj, result=AuditResult.DENIED)
        raise PermissionDenied


def user_create(*, actor: User, username: str, password: str, person=None, full_name: str = "") -> User:
    """A new account whose holder must change the administrator's password at first login."""
    # checked outside any transaction so the refusal's audit entry is not rolled back with it
    _require_accounts_manage(actor, "account.create")
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"用户名“{username}”已被使用。"})
    if person is not None and User.objects.filter(person=person).exists():
        raise ValidationError({"person": f"“{person.name}”已有账号，一人只能有一个账号。"})
    user = User(username=username, person=person, first_name=full_name, must_change_password=True)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages})
    user.set_password(password)
    user.password_changed_at = clock.now()
    with transaction.atomic():
        user.save()
        audit_record(
            actor=actor, action="account.create", obj=user, after={"username": username, "person": user.person_id}
        )
    return user


def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """停用 keeps the account and its history; it just cannot log in."""
    _require_accounts_manage(actor, "account.activate" if active else "account.deactivate", user)
    if not active and user.pk == actor.pk:
        raise ValidationError("不能停用自己正在使用的账号。")
    if user.is_active == active:
        return user
    operation = AccountOperation.ACTIVATE if active else AccountOperation.DEACTIVATE
    _authorise_account_change(actor=actor, target=user, operation=operation)
    return user_set_active_apply(actor=actor, user=user, active=active)


def user_set_active_apply(*, actor: User | None, user: User, active: bool) -> User:
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="account.activate" if active else "account.deactivate",
            obj=user,
            before={"is_active": not active},
            after={"is_active": active},
        )
    return user


# --- security administration ---


def security_page_access(*, actor: User) -> None:
    """Only 安全管理员 opens the security-policy page; refusals go into the audit trail."""
    if not may(actor, "security.manage"):
        audit_record(actor=actor, action="security.policy_view", result=AuditResult.DENIED)
        raise PermissionDenied


def login_locks_current(*, actor: User) -> list[LoginAttempt]:
    """Usernames locked out right now, newest lock first, with the account if the name exists."""
    security_page_access(actor=actor)
    locks = list(LoginAttempt.objects.filter(locked_until__gt=clock.now()).order_by("-locked_until"))
    accounts = User.objects.select_related("person").in_bulk([lock.username for lock in locks], field_name="username")
    for lock in locks:
        lock.account = accounts.get(lock.username)
    return locks
