"""系统性问题: clusters of similar problems across units."""

from django.urls import path

from zuofeng.assessment.views import clusters

urlpatterns = [
    path("", clusters.cluster_list, name="clusters"),
    path("compute/", clusters.cluster_compute, name="cluster_compute"),
    path("runs/<int:pk>/", clusters.cluster_run, name="cluster_run"),
    path("<int:pk>/", clusters.cluster_detail, name="cluster"),
    path("<int:pk>/note/", clusters.cluster_note, name="cluster_note"),
]
