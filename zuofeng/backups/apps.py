from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "zuofeng.backups"
    verbose_name = "备份与恢复"
