"""年终考核 and 系统性问题 (included under /assessment/, namespace assessment)."""

from django.urls import include, path

app_name = "assessment"

urlpatterns = [
    path("", include("zuofeng.assessment.urls.scores")),
    path("clusters/", include("zuofeng.assessment.urls.clusters")),
]
