"""/readyz: database, the worker's heartbeat, disk space for private files, the audit chain's last check."""

import datetime as dt
import shutil
from collections import namedtuple

import pytest

from zuofeng.audit.anchor import anchor_append
from zuofeng.core import clock
from zuofeng.monitoring.heartbeat import heartbeat_beat, heartbeat_start
from zuofeng.monitoring.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2018, 10, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def healthy(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.READY_MIN_FREE_MB = 1
    with clock.frozen(NOW - dt.timedelta(hours=20)):
        anchor_append(count=0, last_id=0, last_hash="0" * 64)
    with clock.frozen(NOW - dt.timedelta(seconds=20)):
        heartbeat_beat(worker="app1:4242")


def ready(client):
    with clock.frozen(NOW):
        response = client.get("/readyz")
    return response.status_code, response.json()


def test_ready_when_every_check_passes(client, healthy):
    status, body = ready(client)
    assert status == 200
    assert body["ready"] is True
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["worker"] == {"ok": True, "detail": "后台任务进程 20 秒前报到（app1:4242）"}
    assert body["checks"]["audit"] == {"ok": True, "detail": "审计链最近一次校验通过：共 0 条"}
    assert body["checks"]["disk"]["ok"] is True


def test_silent_worker_is_not_ready(client, healthy):
    WorkerHeartbeat.objects.update(beat_at=NOW - dt.timedelta(minutes=5))
    status, body = ready(client)
    assert status == 503
    assert body["checks"]["worker"] == {"ok": False, "detail": "后台任务进程已 300 秒未报到（app1:4242）"}


def test_never_started_worker_is_not_ready(client, healthy):
    WorkerHeartbeat.objects.all().delete()
    status, body = ready(client)
    assert (status, body["checks"]["worker"]["detail"]) == (503, "后台任务进程从未报到（请启动 manage.py jobs_worker）")


def test_old_audit_verification_is_not_ready(client, healthy):
    with clock.frozen(NOW + dt.timedelta(days=2)):
        heartbeat_beat(worker="app1:4242")
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["audit"] == {
        "ok": False,
        "detail": "审计链最近一次校验通过是 68 小时前（每日任务未运行，或校验未通过）",
    }


def test_full_disk_is_not_ready(client, healthy, monkeypatch):
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10 << 30, 10 << 30, 300 << 20))
    monkeypatch.setattr("django.conf.settings.READY_MIN_FREE_MB", 1024)
    status, body = ready(client)
    assert (status, body["checks"]["disk"]) == (
        503,
        {"ok": False, "detail": "私有文件所在磁盘仅剩 300 MB，低于 1024 MB"},
    )


def test_outside_the_allow_list_readyz_and_metrics_are_not_there(client, healthy, settings):
    settings.MONITORING_ALLOW = ["10.0.0.0/8"]
    assert client.get("/readyz", REMOTE_ADDR="192.0.2.7").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/healthz", REMOTE_ADDR="192.0.2.7").status_code == 200  # stays open and cheap


@pytest.mark.django_db(transaction=True)
def test_worker_heartbeat_thread_beats_until_stopped(settings):
    import threading

    settings.WORKER_HEARTBEAT_SECONDS = 0.05
    stop = threading.Event()
    thread = heartbeat_start(stop)
    first = WorkerHeartbeat.objects.get().beat_at
    for _ in range(100):
        if WorkerHeartbeat.objects.get().beat_at > first:
            break
        stop.wait(0.05)
    stop.set()
    thread.join(2)
    assert WorkerHeartbeat.objects.get().beat_at > first
    assert not thread.is_alive()
