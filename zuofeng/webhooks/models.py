"""Outgoing webhooks (事件推送): where to send which events, and every delivery attempt."""

from django.db import models


class Webhook(models.Model):
    name = models.CharField("名称", max_length=100)
    url = models.URLField("接收地址", max_length=500)
    secret = models.CharField("签名密钥", max_length=64)
    events = models.JSONField("推送事件", default=list)
    is_active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "事件推送"
        verbose_name_plural = "事件推送"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class DeliveryState(models.TextChoices):
    PENDING = "pending", "待发送"
    DELIVERED = "delivered", "已送达"
    FAILED = "failed", "发送失败"


class WebhookDelivery(models.Model):
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField("事件", max_length=64)
    payload = models.JSONField("内容")
    state = models.CharField("状态", max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    last_status = models.PositiveSmallIntegerField("最近响应码", null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=300, blank=True)
    next_at = models.DateTimeField("下次尝试", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField("产生时间", auto_now_add=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)

    class Meta:
        verbose_name = "推送记录"
        verbose_name_plural = "推送记录"
        ordering = ["-id"]
