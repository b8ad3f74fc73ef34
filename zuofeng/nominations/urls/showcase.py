"""先进典型 showcase and the announcement list (included under /nominations/, namespace nominations)."""

from django.urls import path

from zuofeng.nominations.views import showcase as views

urlpatterns = [
    path("showcase/", views.showcase, name="showcase"),
    path("showcase/announcement.docx", views.announcement, name="announcement"),
    path("showcase/<int:pk>/photo/", views.photo, name="photo"),
    path("showcase/<int:pk>/photo/upload/", views.photo_upload, name="photo_upload"),
]
