from django.urls import path

from zuofeng.organisation import views

app_name = "organisation"
urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/reviewer/", views.unit_reviewer, name="unit_reviewer"),
    path("units/<int:pk>/move/", views.unit_move, name="unit_move"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("import/", views.import_view, name="import"),
    path("import/template/", views.import_template_download, name="import_template"),
]
