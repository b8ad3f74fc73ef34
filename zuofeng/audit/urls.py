from django.urls import path

from zuofeng.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("<int:pk>/", views.entry_detail, name="detail"),
    path("export/", views.entry_export, name="export"),
    path("verify/", views.chain_verify, name="verify"),
]
