"""Nomination documents (included under /nominations/, namespace nominations)."""

from django.urls import path

from zuofeng.nominations.views import docs as views

urlpatterns = [
    path("<int:pk>/docx/", views.nomination_docx, name="docx"),
    path("<int:pk>/pdf/", views.nomination_pdf, name="pdf"),
    path("awards/<int:award_id>/documents/", views.award_documents, name="award_documents"),
    path("awards/<int:award_id>/blank.docx", views.blank_form, {"fmt": "docx"}, name="blank_docx"),
    path("awards/<int:award_id>/blank.pdf", views.blank_form, {"fmt": "pdf"}, name="blank_pdf"),
    path("awards/<int:award_id>/summary.xlsx", views.summary_xlsx, name="summary_xlsx"),
    path("awards/<int:award_id>/zip/", views.zip_request, name="zip_request"),
    path("exports/<int:job_id>/", views.export_job, name="export_job"),
    path("exports/<int:job_id>/retry/", views.export_retry, name="export_retry"),
    path("exports/<int:job_id>/download/", views.export_download, name="export_download"),
]
