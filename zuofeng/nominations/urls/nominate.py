"""我的申报 (included under /nominations/, namespace nominations)."""

from django.urls import path

from zuofeng.nominations.views import nominate as views

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/<int:award_id>/", views.create, name="new"),
    path("new/<int:award_id>/autosave/", views.create_autosave, name="new_autosave"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/autosave/", views.autosave, name="autosave"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/scan/", views.scan, name="scan"),
]
