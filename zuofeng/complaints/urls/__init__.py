"""群众提 URLs, one sub-module per area: public (no login) and handling (office and units)."""

from django.urls import include, path

app_name = "complaints"
urlpatterns = [
    path("", include("zuofeng.complaints.urls.public")),
    path("", include("zuofeng.complaints.urls.handling")),
]
