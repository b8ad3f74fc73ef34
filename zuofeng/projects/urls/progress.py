from django.urls import path

from zuofeng.projects.views import progress as views

urlpatterns = [
    path("<int:pk>/report/", views.report_create, name="report"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
