"""年终考核: results, a unit's breakdown, adjustments, 异议, exports."""

from django.urls import path

from zuofeng.assessment.views import scores

urlpatterns = [
    path("", scores.index, name="index"),
    path("compute/", scores.compute, name="compute"),
    path("runs/<int:pk>/", scores.run_progress, name="run"),
    path("runs/<int:pk>/publish/", scores.publish, name="publish"),
    path("runs/<int:pk>/scores.xlsx", scores.export_xlsx, name="export_xlsx"),
    path("runs/<int:pk>/notice.docx", scores.export_docx, name="export_docx"),
    path("scores/<int:pk>/", scores.score_detail, name="score"),
    path("scores/<int:pk>/objections/", scores.objection_new, name="objection_new"),
    path("objections/<int:pk>/answer/", scores.objection_answer, name="objection_answer"),
    path("items/<int:pk>/records/", scores.item_records_view, name="item_records"),
    path("items/<int:pk>/adjust/", scores.item_adjust_view, name="item_adjust"),
]
