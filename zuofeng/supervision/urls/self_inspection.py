from django.urls import path

from zuofeng.supervision.views import self_inspection as v

urlpatterns = [
    path("", v.self_board, name="self_board"),
    path("remind/", v.self_remind, name="self_remind"),
    path("units/<int:unit_id>/", v.self_report, name="self_report"),
    path("units/<int:unit_id>/problems/", v.self_add_problem, name="self_add_problem"),
    path("units/<int:unit_id>/review/", v.self_review, name="self_review"),
]
