from django.urls import path

from zuofeng.reminders import views

app_name = "reminders"
urlpatterns = [
    path("", views.reminder_list, name="list"),
    path("<int:pk>/read/", views.reminder_read, name="read"),
]
