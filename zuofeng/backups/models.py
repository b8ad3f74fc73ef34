"""A record of each backup taken (by `manage.py backup` or the daily job), for the security administrator."""

from django.db import models


class BackupRun(models.Model):
    at = models.DateTimeField("备份时间")
    path = models.CharField("备份文件", max_length=500)
    size = models.BigIntegerField("大小（字节）", default=0)
    seconds = models.FloatField("用时（秒）", default=0)
    vendor = models.CharField("数据库", max_length=20)
    ok = models.BooleanField("校验通过", default=False)
    message = models.CharField("校验结果", max_length=500, blank=True)
    daily = models.BooleanField("每日任务", default=False)

    class Meta:
        verbose_name = "备份记录"
        verbose_name_plural = "备份记录"
        ordering = ["-at", "-id"]
