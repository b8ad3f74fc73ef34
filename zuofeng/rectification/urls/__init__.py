"""找差整改 URLs, one sub-module per area so each reads in one sitting."""

from django.urls import include, path

app_name = "rectification"
urlpatterns = [
    path("", include("zuofeng.rectification.urls.ledger")),
    path("", include("zuofeng.rectification.urls.paste")),
    path("review/", include("zuofeng.rectification.urls.review")),
    path("", include("zuofeng.rectification.urls.progress")),
    path("dashboard/", include("zuofeng.rectification.urls.dashboard")),
]
