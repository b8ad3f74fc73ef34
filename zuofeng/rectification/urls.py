"""找差整改 URLs, one sub-module per area so each reads in one sitting."""

from django.urls import include, path

app_name = "rectification"
urlpatterns = [
    path("", include("zuofeng.rectification.urls_ledger")),
    path("review/", include("zuofeng.rectification.urls_review")),
    path("", include("zuofeng.rectification.urls_progress")),
    path("dashboard/", include("zuofeng.rectification.urls_dashboard")),
]
