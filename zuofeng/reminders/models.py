"""催办与提醒: one record per reminder, shown in-app and (optionally) e-mailed.

`dedupe_key` makes the daily job idempotent: running it twice on a day sends nothing twice,
even with several workers.
"""

from django.db import models


class ReminderKind(models.TextChoices):
    DEADLINE_SOON = "deadline_soon", "到期提醒"
    OVERDUE = "overdue", "逾期提醒"
    REVIEW_WAITING = "review_waiting", "待审核提醒"
    MILESTONE = "milestone", "时间节点提醒"
    MANUAL = "manual", "催办"
    NOTICE = "notice", "通知"


class Reminder(models.Model):
    recipient = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField("类型", max_length=20, choices=ReminderKind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    unit = models.ForeignKey("organisation.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sender = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="reminders_sent"
    )
    created_at = models.DateTimeField("时间", db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title
