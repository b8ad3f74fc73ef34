from django.urls import path

from zuofeng.notices.views import drafting as views

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.edit, name="new"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/attachments/<int:attachment_id>/remove/", views.attachment_remove, name="attachment_remove"),
    path("<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/delete/", views.delete, name="delete"),
]
