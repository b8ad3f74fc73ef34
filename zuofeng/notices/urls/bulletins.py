from django.urls import path

from zuofeng.notices.views import bulletins as views
from zuofeng.notices.views import public

urlpatterns = [
    path("bulletins/", views.index, name="bulletins"),
    path("bulletins/new/", views.create, name="bulletin_create"),
    path("bulletins/<int:pk>/", views.detail, name="bulletin"),
    path("bulletins/<int:pk>/items/", views.item_add, name="bulletin_item_add"),
    path("bulletins/<int:pk>/from-results/", views.from_results, name="bulletin_from_results"),
    path("bulletins/<int:pk>/from-supervision/", views.from_supervision, name="bulletin_from_supervision"),
    path("bulletins/<int:pk>/send/", views.send, name="bulletin_send"),
    path("bulletins/<int:pk>/bulletin.<str:fmt>", views.document, name="bulletin_document"),
    path("bulletins/<int:pk>/publish/", views.publish, name="bulletin_publish"),
    path("bulletins/<int:pk>/withdraw/", views.withdraw, name="bulletin_withdraw"),
    path("public/", public.index, name="public"),
    path("public/<int:pk>/", public.detail, name="public_bulletin"),
]
