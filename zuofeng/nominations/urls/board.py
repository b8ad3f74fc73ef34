"""The office's board (included under /nominations/, namespace nominations)."""

from django.urls import path

from zuofeng.nominations.views import board as views

urlpatterns = [
    path("board/", views.board, name="board"),
    path("board/<int:award_id>/remind/", views.remind, name="board_remind"),
    path("board/extend/", views.extend, name="board_extend"),
]
