from django.urls import path

from zuofeng.rectification.views import dashboard as views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("items/", views.items, name="dashboard_items"),
    path("export/", views.export, name="dashboard_export"),
    path("exports/<int:pk>/", views.export_job, name="dashboard_export_job"),
    path("exports/<int:pk>/retry/", views.export_retry, name="dashboard_export_retry"),
    path("exports/<int:pk>/download/", views.export_download, name="dashboard_export_download"),
    path("word/<int:unit_id>/", views.word, name="dashboard_word"),
]
