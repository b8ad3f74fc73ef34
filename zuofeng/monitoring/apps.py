from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "zuofeng.monitoring"
    verbose_name = "运行监测"
