from django.apps import AppConfig


class NominationsConfig(AppConfig):
    name = "zuofeng.nominations"
    verbose_name = "评优申报"
