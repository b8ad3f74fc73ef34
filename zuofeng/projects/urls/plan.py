from django.urls import path

from zuofeng.projects.views import plan as views

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_new, name="new"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/targets/", views.target_add, name="target_add"),
    path("<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("<int:pk>/targets/<int:item_id>/remove/", views.item_remove, {"kind": "target"}, name="target_remove"),
    path(
        "<int:pk>/milestones/<int:item_id>/remove/", views.item_remove, {"kind": "milestone"}, name="milestone_remove"
    ),
    path("<int:pk>/submit/", views.project_submit, name="submit"),
    path("<int:pk>/review/", views.project_review, name="review"),
    path("<int:pk>/change/", views.change_request, name="change_request"),
    path("<int:pk>/nominate/", views.project_nominate, name="nominate"),
    path("<int:pk>/change/decide/", views.change_decide, name="change_decide"),
]
