"""审核把关 URLs (under /rectification/review/)."""

from django.urls import path

from zuofeng.rectification.views import review as views

urlpatterns = [
    path("", views.review_queue, name="review_queue"),
    path("ledgers/<int:pk>/", views.ledger_review, name="ledger_review"),
    path("ledgers/<int:pk>/submit/", views.ledger_submit, name="ledger_submit"),
    path("ledgers/<int:pk>/history/", views.ledger_history, name="ledger_history"),
    path("changes/new/<int:measure_id>/", views.change_new, name="change_new"),
    path("changes/<int:pk>/", views.change_decide, name="change_decide"),
    path("milestone/", views.milestone, name="milestone"),
    path("milestone/chase/", views.milestone_chase, name="milestone_chase"),
]
