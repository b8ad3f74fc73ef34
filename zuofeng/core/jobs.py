"""The life of a background job row (ExportJob, DocumentJob): claimed, beating, finished, failed, swept, expired.

A job's task writes into a work folder of its own (`jobs/<model>-<id>/` in private storage) and
moves the finished file into place at the end, so a worker that dies leaves nothing a person could
download half-written, and the sweep removes the whole folder. Every write here is a single UPDATE
in its own (autocommit) transaction: on SQLite the web process reading progress waits on nothing
longer than one row write.

A job that stops beating is found three ways: by the next `jobs_worker` start (which also knows
at once when the process that ran it on this host is gone), by the daily job, and by its own
progress page.
"""

import datetime as dt
import os
import shutil
import socket
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.db import models

from zuofeng.core import clock
from zuofeng.core.storage import private_storage

JOB_MODELS = ("rectification.ExportJob", "documents.DocumentJob")


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    EXPIRED = "expired", "文件已删除"


FINISHED = (JobState.DONE, JobState.FAILED, JobState.EXPIRED)


class BackgroundJob(models.Model):
    """Fields every job row carries for the sweep: when it last showed progress, and where it runs."""

    heartbeat_at = models.DateTimeField("最近进展时间", null=True, blank=True)
    worker = models.CharField("执行进程", max_length=100, blank=True)

    class Meta:
        abstract = True


def job_models() -> list[type[models.Model]]:
    return [apps.get_model(label) for label in JOB_MODELS]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=settings.JOB_STALE_SECONDS)


def job_workdir(model, pk: int) -> str:
    return private_storage().path(f"jobs/{model._meta.model_name}-{pk}")


def job_claim(model, pk: int) -> bool:
    """Queued → running, once: a second delivery of the same task finds nothing to claim."""
    now = clock.now()
    claimed = model.objects.filter(pk=pk, state=JobState.QUEUED).update(
        state=JobState.RUNNING, heartbeat_at=now, worker=worker_name()
    )
    if claimed:
        os.makedirs(job_workdir(model, pk), exist_ok=True)
    return bool(claimed)


def job_beat(model, pk: int, **fields) -> None:
    """Record progress; the same short UPDATE is the heartbeat."""
    model.objects.filter(pk=pk, state=JobState.RUNNING).update(heartbeat_at=clock.now(), **fields)


def job_finish(model, pk: int, *, part: str, name: str, count: int) -> bool:
    """Move the finished file into place; False when the job was swept meanwhile (the file is dropped)."""
    storage = private_storage()
    final = storage.path(name)
    os.makedirs(os.path.dirname(final), exist_ok=True)
    try:
        os.replace(part, final)
    except FileNotFoundError:
        return False  # swept while it ran: the sweep removed the work folder
    finished = model.objects.filter(pk=pk, state=JobState.RUNNING).update(
        state=JobState.DONE, file=name, total=count, done=count, finished_at=clock.now(), heartbeat_at=clock.now()
    )
    shutil.rmtree(job_workdir(model, pk), ignore_errors=True)
    if not finished:
        storage.delete(name)
    return bool(finished)


def job_fail(model, pk: int, *, error: str) -> None:
    _remove_files(model, model.objects.get(pk=pk))
    model.objects.filter(pk=pk).exclude(state__in=FINISHED).update(
        state=JobState.FAILED, error=error, file="", finished_at=clock.now()
    )


def _remove_files(model, job) -> None:
    shutil.rmtree(job_workdir(model, job.pk), ignore_errors=True)
    if job.file:
        private_storage().delete(job.file.name)


def _pid_gone(worker: str) -> bool:
    """True when `worker` ran on this host and its process no longer exists."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


STALE_ERROR = "后台任务中断：超过 {minutes} 分钟没有进展，已停止。已生成的部分文件已删除，请重新生成。"
GONE_ERROR = "后台任务中断：执行任务的后台进程已退出。已生成的部分文件已删除，请重新生成。"


def job_sweep(model, jobs: Iterable, *, check_local_pids: bool = False) -> int:
    """Mark each running job that stopped beating (or whose local process is gone) failed; remove its files."""
    limit = clock.now() - stale_after()
    swept = 0
    for job in jobs:
        if job.state != JobState.RUNNING:
            continue
        if job.heartbeat_at is None or job.heartbeat_at < limit:
            error = STALE_ERROR.format(minutes=max(1, settings.JOB_STALE_SECONDS // 60))
        elif check_local_pids and _pid_gone(job.worker):
            error = GONE_ERROR
        else:
            continue
        # Only the row as we saw it: a job that beat in the meantime is alive and keeps running.
        if model.objects.filter(pk=job.pk, state=JobState.RUNNING, heartbeat_at=job.heartbeat_at).update(
            state=JobState.FAILED, error=error, file="", finished_at=clock.now()
        ):
            _remove_files(model, job)
            swept += 1
    return swept


def jobs_sweep(*, check_local_pids: bool = False) -> int:
    """Every job model's running jobs, for the worker start and the daily job."""
    return sum(
        job_sweep(model, model.objects.filter(state=JobState.RUNNING), check_local_pids=check_local_pids)
        for model in job_models()
    )


def jobs_expire() -> int:
    """Delete files older than the retention period; the row stays, marked expired, so the page can say so."""
    limit = clock.now() - dt.timedelta(days=settings.JOB_RETENTION_DAYS)
    expired = 0
    for model in job_models():
        for job in model.objects.filter(state=JobState.DONE, finished_at__lt=limit):
            if model.objects.filter(pk=job.pk, state=JobState.DONE).update(state=JobState.EXPIRED, file=""):
                _remove_files(model, job)
                expired += 1
    return expired
