from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "zuofeng.organisation"
    verbose_name = "组织机构"
