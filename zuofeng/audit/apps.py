from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "zuofeng.audit"
    verbose_name = "审计"
