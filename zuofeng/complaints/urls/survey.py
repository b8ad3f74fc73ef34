from django.urls import path

from zuofeng.complaints.views import survey

urlpatterns = [
    path("surveys/", survey.periods, name="survey_periods"),
    path("surveys/<int:pk>/", survey.period_detail, name="survey_period"),
    path("surveys/<int:pk>/close", survey.period_close, name="survey_close"),
    path("surveys/<int:pk>/units/<int:unit_pk>/qr.svg", survey.qr_svg, name="survey_qr"),
    path("surveys/<int:pk>/units/<int:unit_pk>/poster.pdf", survey.poster_pdf, name="survey_poster"),
    path("surveys/responses/<int:pk>/decide", survey.response_decide, name="survey_decide"),
    path("s/<slug:token>/", survey.answer, name="survey_answer"),
]
