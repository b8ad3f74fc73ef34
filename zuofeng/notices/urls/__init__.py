"""公文 URLs, one sub-module per area (included under /notices/, namespace notices)."""

from django.urls import include, path

app_name = "notices"
urlpatterns = [
    path("", include("zuofeng.notices.urls.drafting")),
    path("", include("zuofeng.notices.urls.reading")),
    path("", include("zuofeng.notices.urls.delivery")),
    path("", include("zuofeng.notices.urls.bulletins")),
    path("", include("zuofeng.notices.urls.info")),
]
