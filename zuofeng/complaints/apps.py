from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "zuofeng.complaints"
    verbose_name = "群众提"
