from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "zuofeng.notices"
    verbose_name = "公文与信息"
