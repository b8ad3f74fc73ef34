from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zuofeng.core"
    verbose_name = "核心"
