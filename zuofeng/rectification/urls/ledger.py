"""The unit's list (整改清单): page, in-place editing, Excel template and import, search."""

from django.urls import path

from zuofeng.rectification.views import ledger as v
from zuofeng.rectification.views import search

L = "ledgers/<int:pk>/"
urlpatterns = [
    path("ledgers/", v.ledger_list, name="ledger_list"),
    path("ledgers/open/", v.ledger_open, name="ledger_open"),
    path(L, v.ledger_detail, name="ledger_detail"),
    path(L + "table/", v.ledger_table, name="ledger_table"),
    path(L + "symptoms/", v.ledger_symptoms, name="ledger_symptoms"),
    path(L + "people/", v.ledger_people, name="ledger_people"),
    path(L + "template.xlsx", v.ledger_template_download, name="ledger_template"),
    path(L + "import/", v.ledger_import_view, name="ledger_import"),
    path(L + "problems/new/", v.problem_new, name="ledger_problem_new"),
    path(L + "problems/<int:problem_id>/", v.problem_row, name="ledger_problem_row"),
    path(L + "problems/<int:problem_id>/edit/", v.problem_edit, name="ledger_problem_edit"),
    path(L + "problems/<int:problem_id>/delete/", v.problem_delete, name="ledger_problem_delete"),
    path(L + "problems/<int:problem_id>/move/<str:direction>/", v.problem_move, name="ledger_problem_move"),
    path(L + "problems/<int:problem_id>/measures/new/", v.measure_new, name="ledger_measure_new"),
    path(L + "measures/<int:measure_id>/", v.measure_row, name="ledger_measure_row"),
    path(L + "measures/<int:measure_id>/edit/", v.measure_edit, name="ledger_measure_edit"),
    path(L + "measures/<int:measure_id>/delete/", v.measure_delete, name="ledger_measure_delete"),
    path(L + "measures/<int:measure_id>/move/<str:direction>/", v.measure_move, name="ledger_measure_move"),
    path("search/", search.search, name="search"),
]
