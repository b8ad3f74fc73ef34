from django.urls import path

from zuofeng.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("<slug:slug>/", views.campaign_detail, name="detail"),
    path("<slug:slug>/forms/<slug:key>.docx", views.award_form, name="award_form"),
]
