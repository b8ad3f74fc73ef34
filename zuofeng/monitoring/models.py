"""The task worker's sign of life, read by /readyz."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per worker process (host:pid), touched every WORKER_HEARTBEAT_SECONDS while it runs."""

    worker = models.CharField("后台任务进程", max_length=100, unique=True)
    started_at = models.DateTimeField("启动时间")
    beat_at = models.DateTimeField("最近报到时间", db_index=True)

    class Meta:
        verbose_name = "后台任务进程报到"
        verbose_name_plural = "后台任务进程报到"
