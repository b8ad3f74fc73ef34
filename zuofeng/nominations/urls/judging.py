"""Opinion queue, judges, scoring, ranking and selection (included under /nominations/, namespace nominations)."""

from django.urls import path

from zuofeng.nominations.views import judging as views

urlpatterns = [
    path("opinions/", views.opinion_queue, name="opinions"),
    path("opinions/<int:pk>/", views.opinion_form, name="opinion_give"),
    path("opinions/<int:pk>/scan/", views.opinion_scan, name="opinion_scan"),
    path("judging/", views.judging_home, name="judging"),
    path("judging/score/<int:pk>/", views.score_form, name="score"),
    path("judging/<int:award_id>/judges/", views.judges, name="judges"),
    path("judging/<int:award_id>/open/", views.judging_open, name="judging_open"),
    path("judging/<int:award_id>/ranking/", views.ranking, name="ranking"),
    path("judging/<int:award_id>/select/", views.results_select, name="results_select"),
]
