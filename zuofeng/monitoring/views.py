"""/readyz and /metrics, for the district's monitoring; /healthz stays in core and stays cheap."""

from django.http import Http404, HttpResponse, JsonResponse
from prometheus_client import CONTENT_TYPE_LATEST

from zuofeng.monitoring.access import monitoring_allowed
from zuofeng.monitoring.metrics import metrics_text
from zuofeng.monitoring.readiness import readiness


def readyz(request):
    if not monitoring_allowed(request):
        raise Http404  # not there for anyone outside the allow-list
    checks = readiness()
    ready = all(check.ok for check in checks.values())
    body = {"ready": ready, "checks": {name: {"ok": c.ok, "detail": c.detail} for name, c in checks.items()}}
    return JsonResponse(body, status=200 if ready else 503, json_dumps_params={"ensure_ascii": False})


def metrics(request):
    if not monitoring_allowed(request):
        raise Http404
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)
