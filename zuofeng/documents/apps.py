from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "zuofeng.documents"
    verbose_name = "文书生成"
