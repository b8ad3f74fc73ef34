from django.urls import path

from zuofeng.projects.views import board as views

urlpatterns = [
    path("", views.board, name="board"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("areas/<int:area_id>/summary.docx", views.area_summary_docx, name="area_summary"),
]
