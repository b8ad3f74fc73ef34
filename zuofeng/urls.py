from django.urls import include, path

from zuofeng.accounts import views as account_views
from zuofeng.core import views as core_views
from zuofeng.core.converters import bound_int_paths
from zuofeng.monitoring import views as monitoring_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", monitoring_views.readyz, name="readyz"),
    path("metrics", monitoring_views.metrics, name="metrics"),
    path("accounts/", include("zuofeng.accounts.urls")),
    path("organisation/", include("zuofeng.organisation.urls")),
    path("campaigns/", include("zuofeng.campaigns.urls")),
    path("audit/", include("zuofeng.audit.urls")),
    path("rectification/", include("zuofeng.rectification.urls")),
    path("reminders/", include("zuofeng.reminders.urls")),
    path("nominations/", include("zuofeng.nominations.urls")),
    path("notices/", include("zuofeng.notices.urls")),
    path("supervision/", include("zuofeng.supervision.urls")),
    path("projects/", include("zuofeng.projects.urls")),
    path("complaints/", include("zuofeng.complaints.urls")),
    path("assessment/", include("zuofeng.assessment.urls")),
    path("webhooks/", include("zuofeng.webhooks.urls")),
    path("api/", include("zuofeng.api.urls")),
]
bound_int_paths(urlpatterns)  # no id past bigint reaches a view (see zuofeng/core/converters.py)

handler403 = "zuofeng.core.views.forbidden"
handler404 = "zuofeng.core.views.not_found"
handler500 = "zuofeng.core.views.server_error"
