from django.urls import path

from zuofeng.rectification.views import progress as views

urlpatterns = [
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/progress/", views.progress_create, name="progress_create"),
    path("measures/<int:pk>/closeout/", views.closeout_request, name="closeout_request"),
    path("measures/<int:pk>/closeout/decide/", views.closeout_decide, name="closeout_decide"),
    path("measures/<int:pk>/reopen/", views.measure_reopen, name="measure_reopen"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
]
