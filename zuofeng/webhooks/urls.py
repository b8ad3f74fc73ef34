from django.urls import path

from zuofeng.webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("", views.webhook_list, name="list"),
    path("<int:pk>/active/", views.webhook_active, name="active"),
]
