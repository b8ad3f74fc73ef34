from django.urls import path

from zuofeng.supervision.views import findings as v

urlpatterns = [
    path("rounds/<int:pk>/findings/new/", v.finding_new, name="finding_new"),
    path("rounds/<int:pk>/findings/related/", v.finding_related, name="finding_related"),
    path("findings/<int:pk>/", v.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/decide/", v.finding_decide, name="finding_decide"),
    path("photos/<int:pk>/", v.photo_download, name="photo"),
]
