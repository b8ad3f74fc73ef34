from django.urls import path

from zuofeng.projects.views import initiatives as views

urlpatterns = [
    path("initiatives/", views.initiative_list, name="initiatives"),
    path("initiatives/new/", views.initiative_new, name="initiative_new"),
    path("initiatives/<int:pk>/", views.initiative_detail, name="initiative"),
    path("initiatives/<int:pk>/evidence/", views.initiative_evidence_add, name="initiative_evidence_add"),
    path("initiatives/<int:pk>/promote/", views.initiative_promote, name="initiative_promote"),
    path("initiatives/<int:pk>/adopt/", views.initiative_adopt, name="initiative_adopt"),
    path("initiatives/<int:pk>/nominate/", views.initiative_nominate, name="initiative_nominate"),
    path("activities/", views.activity_list, name="activities"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("people/<int:pk>/", views.person_record, name="person_record"),
]
