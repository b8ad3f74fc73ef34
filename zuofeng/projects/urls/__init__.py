"""突破攻坚 and 创新创优 URLs, one sub-module per area."""

from django.urls import include, path

app_name = "projects"
urlpatterns = [
    path("", include("zuofeng.projects.urls.plan")),
    path("", include("zuofeng.projects.urls.progress")),
    path("", include("zuofeng.projects.urls.initiatives")),
    path("board/", include("zuofeng.projects.urls.board")),
]
