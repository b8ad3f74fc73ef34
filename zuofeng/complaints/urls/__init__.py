"""群众提 URLs, one sub-module per area: public (no login), handling (office and units) and survey (满意度测评)."""

from django.urls import include, path

app_name = "complaints"
urlpatterns = [
    path("", include("zuofeng.complaints.urls.public")),
    path("", include("zuofeng.complaints.urls.handling")),
    path("", include("zuofeng.complaints.urls.survey")),
]
