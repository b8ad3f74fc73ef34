"""/metrics: latency per view, task queue depth and age, failed jobs, logins and lockouts."""

import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from tests.factories import PASSWORD
from zuofeng.core import clock

pytestmark = pytest.mark.django_db


def scrape(client) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200
    return response.content.decode()


def lines(text: str, name: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(name)]


def test_request_latency_is_per_view(client, people):
    client.get("/accounts/login/")
    text = scrape(client)
    counts = lines(text, 'zuofeng_request_seconds_count{method="GET",status="2xx",view="accounts:login"}')
    assert len(counts) == 1
    assert float(counts[0].split()[-1]) >= 1


def test_logins_and_lockouts_come_from_the_audit_trail(client, people):
    from django.test import Client

    Client().post("/accounts/login/", {"username": "office", "password": PASSWORD})
    for _ in range(5):
        Client().post("/accounts/login/", {"username": "clerk_a1", "password": "wrong"})
    Client().post("/accounts/login/", {"username": "clerk_a1", "password": PASSWORD})
    text = scrape(client)
    assert lines(text, "zuofeng_logins_total") == [
        'zuofeng_logins_total{result="denied"} 1.0',
        'zuofeng_logins_total{result="failed"} 5.0',
        'zuofeng_logins_total{result="success"} 1.0',
    ]
    assert lines(text, "zuofeng_lockouts_total") == ["zuofeng_lockouts_total 1.0"]
    assert lines(text, "zuofeng_accounts_locked ") == ["zuofeng_accounts_locked 1.0"]


def test_task_queue_depth_age_and_failures(client):
    now = clock.now()
    common = {"args_kwargs": {}, "task_path": "x.y", "backend_name": "default", "priority": 0}
    for minutes in (7, 1):
        DBTaskResult.objects.create(status="READY", run_after=now - dt.timedelta(minutes=minutes), **common)
    DBTaskResult.objects.create(status="FAILED", run_after=now, **common)
    with clock.frozen(now):
        text = scrape(client)
    assert lines(text, "zuofeng_task_queue_depth") == ['zuofeng_task_queue_depth{queue="default"} 2.0']
    assert lines(text, "zuofeng_task_queue_oldest_seconds") == [
        'zuofeng_task_queue_oldest_seconds{queue="default"} 420.0'
    ]
    assert 'zuofeng_tasks_failed{kind="task"} 1.0' in text
    assert 'zuofeng_tasks_failed{kind="rectification.exportjob"} 0.0' in text
