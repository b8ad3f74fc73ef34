"""Accounts (登录账号), roles scoped to units, and the security policy set by 安全管理员."""

import copy
import hashlib
import secrets
import time

from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models, transaction
from django.db.models import Q

from zuofeng.core.models import TimeStampedModel


class Role(models.TextChoices):
    OFFICE = "office", "作风办"
    UNIT_LEADER = "unit_leader", "单位管理员/分管领导"
    SECTION_CLERK = "section_clerk", "科室填报员"
    JUDGE = "judge", "评审专家"
    INSPECTOR = "inspector", "督查员"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


# 等保 2.0 三员分立: these three must be held by three different accounts, none of which
# holds a business role.
SEPARATED_ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


class AccountOperation(models.TextChoices):
    """The changes to an account that 三员分立 restricts (table in accounts/permissions/)."""

    GRANT = "grant", "授予角色"
    REVOKE = "revoke", "移除角色"
    RESET_PASSWORD = "reset_password", "重置密码"
    DEACTIVATE = "deactivate", "停用账号"
    ACTIVATE = "activate", "启用账号"


class User(AbstractUser):
    person = models.OneToOneField(
        "organisation.Person",
        verbose_name="人员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="account",
    )
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"

    @property
    def display_name(self) -> str:
        return self.person.name if self.person_id else (self.get_full_name() or self.username)


class RoleAssignment(TimeStampedModel):
    user = models.ForeignKey(User, verbose_name="账号", on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        help_text="作风办、督查员、评审专家可留空，表示全区",
    )
    include_subtree = models.BooleanField("含下级单位", default=False)

    class Meta:
        verbose_name = "角色分配"
        verbose_name_plural = "角色分配"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="role_assignment_unique"),
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(unit__isnull=True), name="role_assignment_unique_districtwide"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["office", "judge", "inspector", "system_admin", "security_admin", "audit_admin"])
                | Q(unit__isnull=False),
                name="role_assignment_unit_required",
            ),
        ]

    def __str__(self) -> str:
        where = self.unit.name if self.unit_id else "全区"
        return f"{self.get_role_display()}（{where}）"


class SecurityPolicy(models.Model):
    """A single row edited by 安全管理员; read on each login and request."""

    min_password_length = models.PositiveSmallIntegerField("密码最短长度", default=8)
    min_character_classes = models.PositiveSmallIntegerField("密码至少包含字符种类", default=3)
    max_failed_logins = models.PositiveSmallIntegerField("连续登录失败锁定次数", default=5)
    lockout_minutes = models.PositiveSmallIntegerField("锁定时长（分钟）", default=15)
    idle_timeout_minutes = models.PositiveSmallIntegerField("无操作自动退出（分钟）", default=30)
    audit_retention_days = models.PositiveIntegerField("审计日志保存天数", default=190)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "安全策略"
        verbose_name_plural = "安全策略"
        constraints = [
            models.CheckConstraint(condition=Q(min_password_length__gte=8), name="policy_min_length_8"),
            models.CheckConstraint(condition=Q(audit_retention_days__gte=180), name="policy_audit_six_months"),
            models.CheckConstraint(
                condition=Q(min_character_classes__gte=1, min_character_classes__lte=4), name="policy_classes_range"
            ),
        ]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        type(self).forget()
        transaction.on_commit(type(self).forget)  # and again once committed, lest a read in between kept the old row

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        type(self).forget()
        return result

    # Read on every request (idle timeout), so each process keeps the row for up to CACHE_SECONDS.
    # Saving clears this process's copy at once; other processes pick the change up within the window.
    CACHE_SECONDS = 60
    _cached: "SecurityPolicy | None" = None
    _cached_at = 0.0

    @classmethod
    def current(cls) -> "SecurityPolicy":
        """The policy row, created with the defaults on first use; a copy, so callers may change it freely."""
        cached = cls._cached
        if cached is None or time.monotonic() - cls._cached_at > cls.CACHE_SECONDS:
            cached, _ = cls.objects.get_or_create(pk=1)
            cls._cached, cls._cached_at = cached, time.monotonic()
        return copy.copy(cached)

    @classmethod
    def forget(cls) -> None:
        """Drop this process's copy (after a save, or a raw update in a test)."""
        cls._cached = None


class LoginAttempt(models.Model):
    """Failed logins per username, in the database so every app process sees the same count."""

    username = models.CharField(max_length=150, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True)
    locked_until = models.DateTimeField(null=True)


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class PasswordHistory(models.Model):
    """Hashes of an account's recent passwords, so a new password cannot repeat one of them."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        indexes = [models.Index(fields=["user", "-id"], name="password_history_recent")]


class AdminChangeState(models.TextChoices):
    PENDING = "pending", "待批准"
    APPROVED = "approved", "已批准并执行"
    REJECTED = "rejected", "已驳回"
    WITHDRAWN = "withdrawn", "已撤回"


class AdminChangeRequest(TimeStampedModel):
    """A 三员分立 change asked for by one administrator, carried out only when another approves it."""

    operation = models.CharField("操作", max_length=20, choices=AccountOperation.choices)
    target = models.ForeignKey(User, verbose_name="账号", on_delete=models.CASCADE, related_name="admin_changes")
    role = models.CharField("角色", max_length=20, choices=Role.choices, blank=True)
    # A reset carries the new password, hashed when asked for; cleared when the request closes.
    password_hash = models.CharField(max_length=128, blank=True)
    reason = models.CharField("理由", max_length=200, blank=True)
    requested_by = models.ForeignKey(User, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    requester_role = models.CharField("申请人角色", max_length=20, choices=Role.choices)
    state = models.CharField("状态", max_length=20, choices=AdminChangeState.choices, default=AdminChangeState.PENDING)
    decided_by = models.ForeignKey(
        User, verbose_name="批准人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "三员变更申请"
        verbose_name_plural = "三员变更申请"
        constraints = [
            models.UniqueConstraint(
                fields=["target", "operation", "role"],
                condition=Q(state="pending"),
                name="admin_change_one_pending",
            ),
            models.CheckConstraint(
                condition=~Q(state="approved") | Q(decided_by__isnull=False), name="admin_change_approved_by_someone"
            ),
        ]


class ApiToken(TimeStampedModel):
    """Bearer tokens for /api/; only the hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField("有效期至")
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    @staticmethod
    def new_raw() -> str:
        return "zf_" + secrets.token_urlsafe(32)

    @staticmethod
    def hash(raw: str) -> str:
        return _hash_token(raw)


class Session(AbstractBaseSession):
    """A login session (SESSION_ENGINE zuofeng.accounts.sessions) with the signed-in account beside its
    data, so a request reads both in one statement and an account's sessions are found by a filter."""

    # Set on every save from the data's _auth_user_id; null for an anonymous session (login-page messages).
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta(AbstractBaseSession.Meta):
        verbose_name = "登录会话"
        verbose_name_plural = "登录会话"

    @classmethod
    def get_session_store_class(cls):
        from zuofeng.accounts.sessions import SessionStore

        return SessionStore
