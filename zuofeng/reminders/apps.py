from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "zuofeng.reminders"
    verbose_name = "催办与提醒"
