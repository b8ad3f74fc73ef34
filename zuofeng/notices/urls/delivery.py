from django.urls import path

from zuofeng.notices.views import delivery as views

urlpatterns = [
    path("<int:pk>/unsigned/", views.unsigned, name="unsigned"),
    path("<int:pk>/chase/", views.chase, name="chase"),
    path("<int:pk>/tree/", views.tree, name="tree"),
]
