"""评优申报 URLs, one sub-module per area."""

from django.urls import include, path

app_name = "nominations"
urlpatterns = [
    path("", include("zuofeng.nominations.urls.judging")),
    path("", include("zuofeng.nominations.urls.showcase")),
    path("", include("zuofeng.nominations.urls.board")),
    path("", include("zuofeng.nominations.urls.docs")),
    path("", include("zuofeng.nominations.urls.nominate")),
]
