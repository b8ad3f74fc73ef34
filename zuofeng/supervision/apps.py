from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zuofeng.supervision"
    verbose_name = "督查问责"
