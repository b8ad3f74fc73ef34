from django.urls import path

from zuofeng.supervision.views import cases as v

urlpatterns = [
    path("", v.case_list, name="case_list"),
    path("new/", v.case_new, name="case_new"),
    path("<int:pk>/", v.case_detail, name="case_detail"),
    path("<int:pk>/statement/", v.case_statement_file, name="case_statement"),
    path("<int:pk>/decide/", v.case_decide, name="case_decide"),
]
