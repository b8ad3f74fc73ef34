from django.urls import path

from zuofeng.supervision.views import lines as v

urlpatterns = [
    path("", v.line_board, name="line_board"),
    path("manage/", v.line_manage, name="line_manage"),
    path("manage/<int:pk>/edit/", v.line_edit, name="line_edit"),
    path("manage/<int:pk>/remove/", v.line_remove, name="line_remove"),
    path("units/<int:unit_id>/", v.line_unit, name="line_unit"),
    path("units/<int:unit_id>/remind/", v.line_unit_remind, name="line_remind"),
]
