from django.apps import AppConfig
from django.db.models.signals import post_save


class WebhooksConfig(AppConfig):
    name = "zuofeng.webhooks"
    verbose_name = "事件推送"

    def ready(self):
        from zuofeng.audit.models import AuditEntry
        from zuofeng.webhooks.services import webhook_from_audit

        post_save.connect(webhook_from_audit, sender=AuditEntry, dispatch_uid="webhooks_from_audit")
