"""Pasting rows from Excel or Word into a unit's list."""

from django.urls import path

from zuofeng.rectification.views import paste as v

urlpatterns = [
    path("ledgers/<int:pk>/paste/", v.ledger_paste_view, name="ledger_paste"),
]
