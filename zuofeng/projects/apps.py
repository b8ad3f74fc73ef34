from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "zuofeng.projects"
    verbose_name = "突破攻坚与创新创优"
    default_auto_field = "django.db.models.BigAutoField"
