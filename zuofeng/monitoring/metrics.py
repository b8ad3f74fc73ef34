"""Prometheus metrics: request latency per view (measured in the process), and the rest read from the
database at scrape time (task queue, failed jobs, logins and lockouts), so every app process reports
the same numbers however many gunicorn workers there are.

Latency histograms live in each process: under gunicorn set PROMETHEUS_MULTIPROC_DIR (an empty
folder, emptied at start) and the scrape merges every worker's (docs/deploy.md).
"""

import os
import time

from django.db.models import Count, Min
from prometheus_client import CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

REQUEST_SECONDS = Histogram(
    "zuofeng_request_seconds",
    "Time to answer a request, per view (URL name) and method",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


class MetricsMiddleware:
    """First in MIDDLEWARE, so the time includes every other middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or match._func_path) if match else "unresolved"
        REQUEST_SECONDS.labels(view, request.method, f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started
        )
        return response


class DatabaseCollector:
    """Numbers every process reads alike from the database."""

    def collect(self):
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        from zuofeng.accounts.models import LoginAttempt
        from zuofeng.audit.models import AuditEntry
        from zuofeng.core import clock
        from zuofeng.core.jobs import JobState, job_models

        now = clock.now()
        depth = GaugeMetricFamily("zuofeng_task_queue_depth", "Tasks waiting to run, per queue", labels=["queue"])
        age = GaugeMetricFamily(
            "zuofeng_task_queue_oldest_seconds", "Age of the oldest task due to run, per queue", labels=["queue"]
        )
        waiting = (
            DBTaskResult.objects.filter(status=TaskResultStatus.READY)
            .values("queue_name")
            .annotate(n=Count("id"), oldest=Min("run_after"))
        )
        for row in waiting:
            depth.add_metric([row["queue_name"]], row["n"])
            due = row["oldest"] if row["oldest"] and row["oldest"] <= now else now
            age.add_metric([row["queue_name"]], (now - due).total_seconds())
        yield depth
        yield age
        failed = GaugeMetricFamily("zuofeng_tasks_failed", "Background tasks that ended in failure", labels=["kind"])
        failed.add_metric(["task"], DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count())
        for model in job_models():
            failed.add_metric([model._meta.label_lower], model.objects.filter(state=JobState.FAILED).count())
        yield failed
        logins = CounterMetricFamily(
            "zuofeng_logins", "Login attempts by result (from the audit trail)", labels=["result"]
        )
        by_result = (
            AuditEntry.objects.filter(action="auth.login").values("result").annotate(n=Count("id")).order_by("result")
        )
        for row in by_result:
            logins.add_metric([row["result"]], row["n"])
        yield logins
        lockouts = AuditEntry.objects.filter(action="auth.login", detail__contains="账号锁定").count()
        yield CounterMetricFamily("zuofeng_lockouts", "Accounts locked after repeated failures", value=lockouts)
        yield GaugeMetricFamily(
            "zuofeng_accounts_locked",
            "Usernames locked right now",
            value=LoginAttempt.objects.filter(locked_until__gt=now).count(),
        )


def metrics_text() -> bytes:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_SECONDS)
    registry.register(DatabaseCollector())
    return generate_latest(registry)
