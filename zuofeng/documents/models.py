"""A background document job (bulk ZIP of nomination forms …): progress for the bar, file for its requester."""

from django.db import models

from zuofeng.core.jobs import FINISHED, BackgroundJob
from zuofeng.core.storage import private_storage


class DocumentJobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    EXPIRED = "expired", "文件已删除"


class DocumentJob(BackgroundJob):
    requested_by = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("类型", max_length=32)
    params = models.JSONField("条件", default=dict)
    total = models.PositiveIntegerField("总数", default=0)
    done = models.PositiveIntegerField("已完成", default=0)
    state = models.CharField("状态", max_length=16, choices=DocumentJobState.choices, default=DocumentJobState.QUEUED)
    file = models.FileField(upload_to="documents/%Y/%m/", storage=private_storage, max_length=255, blank=True)
    file_name = models.CharField("文件名", max_length=255, blank=True)
    error = models.TextField("错误信息", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "文书生成任务"
        verbose_name_plural = "文书生成任务"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name or f"{self.kind} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def percent(self) -> int:
        if self.state == DocumentJobState.DONE:
            return 100
        return min(100, 100 * self.done // self.total) if self.total else 0
