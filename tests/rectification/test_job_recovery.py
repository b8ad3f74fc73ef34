"""Background jobs finish, fail visibly or are retried: heartbeat, sweep, kill -9, 重新生成, retention."""

import datetime as dt
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from tests.rectification.test_dashboard_data import build
from zuofeng.core import clock
from zuofeng.core.jobs import GONE_ERROR, job_claim, job_workdir, jobs_expire, jobs_sweep
from zuofeng.rectification.models import ExportJob, ExportState
from zuofeng.rectification.services import export as export_services

ROOT = Path(__file__).resolve().parents[2]
EXPORT = "/rectification/dashboard/export/"
RUNNING_TEXT = "正在后台生成文件"
DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def job_url(job) -> str:
    return f"/rectification/dashboard/exports/{job.pk}/"


@pytest.fixture(autouse=True)
def _private(settings, tmp_path, monkeypatch):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    monkeypatch.setattr(export_services, "DIRECT_LIMIT", 1)


@pytest.fixture
def data(campaign, org, people):
    return build(campaign, org)


def _queue(person, client_for, capture=None) -> ExportJob:
    if capture is None:
        client_for(person).post(EXPORT)
    else:
        with capture(execute=True):
            client_for(person).post(EXPORT)
    return ExportJob.objects.latest("pk")


# ── issue 8: the page follows the job to its end ─────────────────────────────


@pytest.mark.django_db
def test_progress_fragment_switches_from_running_text_to_download_link_when_done(
    data, people, client_for, django_capture_on_commit_callbacks
):
    client = client_for(people.office)
    queued = _queue(people.office, client_for)
    fragment = client.get(job_url(queued), headers={"HX-Request": "true"}).content.decode()
    assert RUNNING_TEXT in fragment and 'hx-trigger="every 1s"' in fragment
    export_services.ledger_export_execute(job_id=queued.pk)
    for response in (client.get(job_url(queued), headers={"HX-Request": "true"}), client.get(job_url(queued))):
        body = response.content.decode()
        assert RUNNING_TEXT not in body
        assert "hx-trigger" not in body
        assert f'href="/rectification/dashboard/exports/{queued.pk}/download/"' in body
        assert "已完成：已导出 5 / 5 条" in body


# ── heartbeat and sweep ──────────────────────────────────────────────────


@pytest.mark.django_db
def test_job_without_heartbeat_failed_by_daily_job_partial_files_removed(data, people, client_for, settings):
    settings.JOB_STALE_SECONDS = 300
    job = _queue(people.office, client_for)
    start = timezone.make_aware(dt.datetime(2018, 10, 1, 9, 0))
    with clock.frozen(start):
        assert job_claim(ExportJob, job.pk)
    partial = Path(job_workdir(ExportJob, job.pk)) / "ledger.xlsx"
    partial.write_bytes(b"half a sheet")
    with clock.frozen(start + dt.timedelta(seconds=299)):
        assert jobs_sweep() == 0
    with clock.frozen(start + dt.timedelta(seconds=301)):
        out = io.StringIO()
        call_command("send_reminders", stdout=out)  # the daily job
    assert "中断的导出任务 1 个" in out.getvalue()
    job.refresh_from_db()
    assert (job.state, job.file.name) == (ExportState.FAILED, "")
    assert job.error == "后台任务中断：超过 5 分钟没有进展，已停止。已生成的部分文件已删除，请重新生成。"
    assert not partial.parent.exists()
    body = client_for(people.office).get(job_url(job)).content.decode()
    assert "导出失败：已导出 0 / 5 条" in body and "重新生成" in body and RUNNING_TEXT not in body


@pytest.mark.django_db
def test_progress_page_fails_a_job_that_stopped_beating(data, people, client_for, settings):
    settings.JOB_STALE_SECONDS = 60
    job = _queue(people.office, client_for)
    start = timezone.make_aware(dt.datetime(2018, 10, 1, 9, 0))
    with clock.frozen(start):
        job_claim(ExportJob, job.pk)
    with clock.frozen(start + dt.timedelta(minutes=2)):
        fragment = client_for(people.office).get(job_url(job), headers={"HX-Request": "true"}).content.decode()
    assert 'data-state="failed"' in fragment and "重新生成" in fragment and "hx-trigger" not in fragment


@pytest.mark.django_db
def test_sweep_fails_a_job_whose_local_worker_process_is_gone(data, people, client_for):
    job = _queue(people.office, client_for)
    job_claim(ExportJob, job.pk)
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    ExportJob.objects.filter(pk=job.pk).update(worker=f"{os.uname().nodename}:{finished.stdout.strip()}")
    assert jobs_sweep() == 0  # the daily job does not judge by process ids: it may run on another host
    assert jobs_sweep(check_local_pids=True) == 1
    job.refresh_from_db()
    assert (job.state, job.error) == (ExportState.FAILED, GONE_ERROR)


@pytest.mark.django_db
def test_job_swept_while_its_worker_still_ran_does_not_come_back_as_done(data, people, client_for, settings):
    job = _queue(people.office, client_for)
    real_write = export_services.ledger_xlsx_write

    def write_then_get_swept(**kwargs):
        count = real_write(**kwargs)
        ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=None)
        assert jobs_sweep() == 1
        return count

    export_services.ledger_xlsx_write = write_then_get_swept
    try:
        assert export_services.ledger_export_execute(job_id=job.pk) == 0
    finally:
        export_services.ledger_xlsx_write = real_write
    job.refresh_from_db()
    assert (job.state, job.file.name) == (ExportState.FAILED, "")
    assert list((Path(settings.PRIVATE_STORAGE_ROOT)).rglob("*.xlsx")) == []


# ── 重新生成 ─────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_retry_starts_a_new_job_with_the_same_conditions(data, people, client_for, org):
    client = client_for(people.reviewer)
    client.post(EXPORT, {"root": org.section_a1.pk})
    failed = ExportJob.objects.get()
    ExportJob.objects.filter(pk=failed.pk).update(state=ExportState.FAILED, error="导出失败：磁盘已满")
    response = client.post(f"{job_url(failed)}retry/")
    again = ExportJob.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == job_url(again)
    assert (again.pk != failed.pk, again.params, again.state) == (True, failed.params, ExportState.QUEUED)
    assert again.requested_by == people.reviewer


@pytest.mark.django_db
def test_retry_is_the_requesters_and_checked_against_access_today(data, people, client_for, org):
    client_for(people.own_clerk).post(EXPORT, {"root": org.section_a1.pk})
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(state=ExportState.FAILED)
    assert client_for(people.reviewer).post(f"{job_url(job)}retry/").status_code == 404
    assert client_for(people.own_clerk).get(f"{job_url(job)}retry/").status_code == 405
    # the clerk moved to the sibling section: the old scope is no longer theirs
    people.own_clerk.role_assignments.update(unit=org.section_a2)
    assert client_for(people.own_clerk).post(f"{job_url(job)}retry/").status_code == 404
    assert ExportJob.objects.count() == 1


@pytest.mark.django_db
def test_running_or_done_job_is_not_retried(data, people, client_for, django_capture_on_commit_callbacks):
    job = _queue(people.office, client_for, django_capture_on_commit_callbacks)
    assert job.state == ExportState.DONE
    assert client_for(people.office).post(f"{job_url(job)}retry/").status_code == 403
    assert ExportJob.objects.count() == 1


# ── retention ──────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_daily_job_deletes_files_past_retention_and_page_offers_retry(
    data, people, client_for, django_capture_on_commit_callbacks, settings
):
    job = _queue(people.office, client_for, django_capture_on_commit_callbacks)
    path = Path(settings.PRIVATE_STORAGE_ROOT) / job.file.name
    assert path.exists() and settings.JOB_RETENTION_DAYS == 7
    with clock.frozen(job.finished_at + dt.timedelta(days=6, hours=23)):
        assert jobs_expire() == 0
    with clock.frozen(job.finished_at + dt.timedelta(days=7, minutes=1)):
        call_command("send_reminders", stdout=open(os.devnull, "w"))  # noqa: SIM115
    job.refresh_from_db()
    assert (job.state, job.file.name, path.exists()) == (ExportState.EXPIRED, "", False)
    client = client_for(people.office)
    body = client.get(job_url(job)).content.decode()
    assert "导出文件已在生成 7 天后删除。需要时请重新生成。" in body and "重新生成" in body
    assert client.get(f"{job_url(job)}download/").status_code == 404
    assert client.post(f"{job_url(job)}retry/").status_code == 302


# ── the worker keeps going ───────────────────────────────────────────────


@pytest.mark.django_db(transaction=True)
def test_worker_error_does_not_stop_the_next_job(data, people, client_for, settings):
    from django_tasks_db.models import DBTaskResult

    from zuofeng.rectification.tasks.export import ledger_export_run

    settings.TASKS = DB_BACKEND
    broken = ledger_export_run.enqueue(999_999)  # no such job: the task raises DoesNotExist
    job = _queue(people.office, client_for)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    results = {str(r.id): r.status for r in DBTaskResult.objects.all()}
    assert results[broken.id] == "FAILED"
    assert sorted(results.values()) == ["FAILED", "SUCCESSFUL"]
    job.refresh_from_db()
    assert (job.state, job.done) == (ExportState.DONE, 5)


# ── kill -9 of a real worker ─────────────────────────────────────────────


@pytest.fixture
def shared_db(transactional_db, tmp_path):
    """The test database where a `manage.py db_worker` child process can reach it: the PostgreSQL
    test database as it is; SQLite's in-memory test database copied to a file, which then
    replaces this thread's connection until the test ends."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        user, host, port = settings_dict["USER"], settings_dict["HOST"], settings_dict["PORT"] or 5432
        login = f"{user}:{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else user
        yield f"postgres://{login}@{host or 'localhost'}:{port}/{settings_dict['NAME']}"
        return
    import sqlite3

    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    original = connections["default"]
    shared = original.__class__({**settings_dict, "NAME": str(path)}, "default")
    connections["default"] = shared
    try:
        yield f"sqlite:///{path}"
    finally:
        shared.close()
        connections["default"] = original


def _child_env(database_url: str, settings) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(
        DATABASE_URL=database_url,
        PRIVATE_STORAGE_ROOT=str(settings.PRIVATE_STORAGE_ROOT),
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        SLOW_ROW_SECONDS="1.5",
        DEBUG="0",
        LOG_LEVEL="WARNING",
    )
    return env


def _wait_for(condition, *, timeout: float, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError("等待超时")


def _job(pk: int) -> ExportJob:
    return ExportJob.objects.get(pk=pk)


def test_killed_worker_job_is_failed_by_next_worker_start_and_can_be_regenerated(
    shared_db, data, people, client_for, settings, tmp_path
):
    settings.TASKS = DB_BACKEND
    env = _child_env(shared_db, settings)
    client = client_for(people.office)
    client.post(EXPORT)
    job = ExportJob.objects.get()
    log = open(tmp_path / "worker.log", "w+")  # noqa: SIM115
    worker = subprocess.Popen(
        [sys.executable, "tests/rectification/slow_worker.py"], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    try:
        # Watch the progress page the way a person would while the worker writes progress.
        polls = []
        while _job(job.pk).done < 2:
            polls.append(client.get(job_url(job), headers={"HX-Request": "true"}).status_code)
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            time.sleep(0.1)
        running = _job(job.pk)
        workdir = Path(job_workdir(ExportJob, job.pk))
        assert (running.state, running.worker.split(":")[1]) == (ExportState.RUNNING, str(worker.pid))
        assert any(workdir.iterdir())  # the sheet's spooled rows, half written
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert set(polls) == {200} and len(polls) > 3
    assert "database is locked" not in (tmp_path / "worker.log").read_text()
    assert _job(job.pk).state == ExportState.RUNNING  # nobody has noticed yet

    started = time.monotonic()
    restart = subprocess.Popen(
        [sys.executable, "manage.py", "jobs_worker", "--", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    _wait_for(lambda: _job(job.pk).state == ExportState.FAILED, timeout=60)
    recovery = time.monotonic() - started
    assert restart.wait(timeout=60) == 0
    print(f"\nkill -9 recovery: {recovery:.2f} s from jobs_worker start to the job marked failed ({connection.vendor})")
    failed = _job(job.pk)
    assert (failed.error, failed.file.name) == (GONE_ERROR, "")
    assert not workdir.exists()
    body = client.get(job_url(job)).content.decode()
    assert "导出失败：" in body and "重新生成" in body and RUNNING_TEXT not in body

    # 重新生成, and a fresh worker finishes it.
    again_url = client.post(f"{job_url(job)}retry/")["Location"]
    again = ExportJob.objects.latest("pk")
    assert again_url == job_url(again)
    rerun = subprocess.run(
        [sys.executable, "manage.py", "jobs_worker", "--", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert rerun.returncode == 0, rerun.stderr
    done = _job(again.pk)
    assert (done.state, done.done, done.total) == (ExportState.DONE, 5, 5)
    assert "下载" in client.get(again_url).content.decode()
    log.close()
