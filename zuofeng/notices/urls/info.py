from django.urls import path

from zuofeng.notices.views import info as views

urlpatterns = [
    path("info/", views.index, name="info"),
    path("info/report/", views.report, name="info_report"),
    path("info/<int:pk>/decide/", views.decide, name="info_decide"),
    path("info/briefing/", views.compile_briefing, name="briefing_compile"),
]
