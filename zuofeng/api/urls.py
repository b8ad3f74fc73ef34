from django.urls import include, path

from zuofeng.api import views
from zuofeng.api.api import api

token_patterns = [
    path("", views.token_list, name="list"),
    path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
    path("all/", views.token_admin, name="admin"),
    path("all/<int:pk>/revoke/", views.token_admin_revoke, name="admin_revoke"),
]

urlpatterns = [
    path("tokens/", include((token_patterns, "api_tokens"))),
    path("", api.urls),
]
