from django.urls import path

from zuofeng.supervision.views import rechecks as v

urlpatterns = [
    path("", v.recheck_list, name="recheck_list"),
    path("new/", v.recheck_new, name="recheck_new"),
    path("<int:pk>/", v.recheck_detail, name="recheck_detail"),
    path("<int:pk>/items/<int:item_pk>/verify/", v.recheck_item_verify, name="recheck_verify"),
    path("<int:pk>/items/<int:item_pk>/reopen/", v.recheck_item_reopen, name="recheck_reopen"),
]
