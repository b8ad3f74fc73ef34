"""The worker's heartbeat: a daemon thread beside db_worker updates one row every few seconds.

db_worker has no hook that runs while it waits for tasks, and a job's own heartbeat (core/jobs.py)
exists only while a job runs; an idle but healthy worker must still show it is alive.
"""

import threading

from django.conf import settings
from django.db import connection

from zuofeng.core import clock
from zuofeng.core.jobs import worker_name


def heartbeat_beat(*, worker: str | None = None, started_at=None) -> None:
    from zuofeng.monitoring.models import WorkerHeartbeat

    now = clock.now()
    WorkerHeartbeat.objects.update_or_create(
        worker=worker or worker_name(), defaults={"beat_at": now}, create_defaults={"beat_at": now, "started_at": now}
    )


def heartbeat_start(stop: threading.Event | None = None) -> threading.Thread:
    """Beat now and then every WORKER_HEARTBEAT_SECONDS until `stop` is set (or the process ends)."""
    stop = stop or threading.Event()
    heartbeat_beat()

    def run():
        while not stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
            try:
                heartbeat_beat()
            except Exception:  # noqa: S110 - a missed beat shows on /readyz; the worker goes on
                pass
            finally:
                connection.close()

    thread = threading.Thread(target=run, name="worker-heartbeat", daemon=True)
    thread.start()
    return thread
