from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zuofeng.api"
    verbose_name = "接口"
