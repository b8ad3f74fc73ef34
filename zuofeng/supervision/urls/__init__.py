"""督查问责 URLs, one sub-module per area."""

from django.urls import include, path

app_name = "supervision"
urlpatterns = [
    path("", include("zuofeng.supervision.urls.rounds")),
    path("", include("zuofeng.supervision.urls.findings")),
    path("rechecks/", include("zuofeng.supervision.urls.rechecks")),
    path("cases/", include("zuofeng.supervision.urls.cases")),
    path("self/", include("zuofeng.supervision.urls.self_inspection")),
    path("lines/", include("zuofeng.supervision.urls.lines")),
]
