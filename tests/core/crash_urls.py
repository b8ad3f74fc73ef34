"""The site's URL conf plus one page and one API-looking path that crash, for the 500 handlers."""

from django.urls import path

from zuofeng.urls import handler403, handler404, handler500, urlpatterns


def crash(request):
    raise RuntimeError("boom")


urlpatterns = [path("crash/", crash), path("api/crash", crash), *urlpatterns]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
