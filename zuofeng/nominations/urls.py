"""评优申报 URLs, one sub-module per area."""

from django.urls import include, path

app_name = "nominations"
urlpatterns = [
    path("", include("zuofeng.nominations.urls_judging")),
    path("", include("zuofeng.nominations.urls_showcase")),
    path("", include("zuofeng.nominations.urls_board")),
    path("", include("zuofeng.nominations.urls_docs")),
    path("", include("zuofeng.nominations.urls_nominate")),
]
