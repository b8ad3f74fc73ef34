from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "zuofeng.campaigns"
    verbose_name = "专项活动"
