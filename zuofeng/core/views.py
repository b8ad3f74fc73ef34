"""Site-wide views: the error pages (403, 404, 500, CSRF failure) and the health probe.

Under /api/ (except the token page, which is a web page) every error is the API's JSON body,
so a script never has to parse an HTML page.
"""

from django.db import connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from zuofeng.api import errors as api_errors
from zuofeng.api.access import FORBIDDEN

API_PREFIX = "/api/"
API_PAGES = ("/api/tokens/",)  # web pages under /api/ keep the web error pages


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX) and not request.path.startswith(API_PAGES)


def forbidden(request, exception=None):
    if _is_api(request):
        return api_errors.error_response(403, FORBIDDEN)
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    if _is_api(request):
        return api_errors.error_response(404, api_errors.NO_SUCH_PATH)
    # Our own Http404s carry a Chinese reason worth showing (a page number out of range, say);
    # Django's own ("No Unit matches the given query.") are English and say nothing to a user.
    reason = str(exception or "")
    if not any("\u4e00" <= ch <= "\u9fff" for ch in reason):
        reason = ""
    return render(request, "404.html", {"reason": reason}, status=404)


def server_error(request):
    """Rendered without a request context: no session, no user, no database, so the page still
    shows when the database is what failed."""
    if _is_api(request):
        return api_errors.error_response(500, api_errors.SERVER_ERROR)
    return HttpResponseServerError(loader.get_template("500.html").render())


def csrf_failure(request, reason=""):
    if _is_api(request):
        return api_errors.error_response(403, api_errors.CSRF_FAILED)
    return render(request, "403_csrf.html", status=403)


def healthz(request):
    """For nginx / load balancers: the process is up and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
