from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "zuofeng.rectification"
    verbose_name = "找差整改"
