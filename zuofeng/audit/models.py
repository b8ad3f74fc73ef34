"""The append-only audit trail (审计日志), chained by SM3 hash (see docs/decisions.md)."""

from django.db import models


class AuditResult(models.TextChoices):
    SUCCESS = "success", "成功"
    DENIED = "denied", "拒绝"
    FAILED = "failed", "失败"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计日志只能追加，不能修改")

    def delete(self):
        raise PermissionError("审计日志只能追加，不能删除")


class AuditEntry(models.Model):
    at = models.DateTimeField("时间", db_index=True)
    actor_id = models.BigIntegerField("账号ID", null=True, blank=True, db_index=True)
    actor_username = models.CharField("账号", max_length=150, blank=True)
    actor_name = models.CharField("姓名", max_length=50, blank=True)
    role = models.CharField("角色", max_length=100, blank=True)
    ip = models.GenericIPAddressField("IP地址", null=True, blank=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True, db_index=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=255, blank=True)
    result = models.CharField("结果", max_length=10, choices=AuditResult.choices, default=AuditResult.SUCCESS)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    detail = models.CharField("说明", max_length=500, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # 1 = plain SM3 (written before the key existed), 2 = HMAC-SM3 (zuofeng/audit/hashing.py)
    scheme = models.PositiveSmallIntegerField("哈希方案", default=2)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志只能追加，不能删除")


class AuditHead(models.Model):
    """One row holding the newest entry's id and hash.

    Writers lock it (SELECT … FOR UPDATE) so entries from many app processes form one
    chain, and it lets audit_verify notice that the newest entries were deleted.
    """

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    count = models.BigIntegerField(default=0)
