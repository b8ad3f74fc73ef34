from django.urls import URLPattern, include, path

from zuofeng.api import views
from zuofeng.api.api import api
from zuofeng.api.errors import json_method_not_allowed

token_patterns = [
    path("", views.token_list, name="list"),
    path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
    path("all/", views.token_admin, name="admin"),
    path("all/<int:pk>/revoke/", views.token_admin_revoke, name="admin_revoke"),
]

# Not named app_name/namespace: a module-level app_name would namespace this whole URL module.
_patterns, _app, _namespace = api.urls
api_patterns = [URLPattern(p.pattern, json_method_not_allowed(p.callback), p.default_args, p.name) for p in _patterns]

urlpatterns = [
    path("tokens/", include((token_patterns, "api_tokens"))),
    path("", include((api_patterns, _app), namespace=_namespace)),
]
