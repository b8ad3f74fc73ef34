from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "zuofeng.assessment"
    verbose_name = "年终考核"
