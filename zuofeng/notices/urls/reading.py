from django.urls import path

from zuofeng.notices.views import reading as views

urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/copies/<int:delivery_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/copies/<int:delivery_id>/forward/", views.forward, name="forward"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<int:pk>/notice.docx", views.download, {"fmt": "docx"}, name="docx"),
    path("<int:pk>/notice.pdf", views.download, {"fmt": "pdf"}, name="pdf"),
]
