from django.urls import path

from zuofeng.supervision.views import rounds as v

urlpatterns = [
    path("rounds/", v.round_list, name="round_list"),
    path("rounds/new/", v.round_new, name="round_new"),
    path("rounds/<int:pk>/", v.round_detail, name="round_detail"),
    path("rounds/<int:pk>/report.docx", v.round_report, name="round_report"),
]
