"""What /readyz checks: can this process serve and will the system's background work get done.

Each check answers ok (bool) and a Chinese detail; /readyz is 503 when any is not ok.
"""

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

from zuofeng.core import clock


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        return Check(False, f"数据库无法连接：{error.__class__.__name__}")
    return Check(True, f"数据库可用（{connection.vendor}）")


def check_worker() -> Check:
    from zuofeng.monitoring.models import WorkerHeartbeat

    last = WorkerHeartbeat.objects.order_by("-beat_at").first()
    if last is None:
        return Check(False, "后台任务进程从未报到（请启动 manage.py jobs_worker）")
    age = (clock.now() - last.beat_at).total_seconds()
    if age > settings.WORKER_HEARTBEAT_STALE_SECONDS:
        return Check(False, f"后台任务进程已 {int(age)} 秒未报到（{last.worker}）")
    return Check(True, f"后台任务进程 {int(age)} 秒前报到（{last.worker}）")


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_disk() -> Check:
    usage = shutil.disk_usage(_existing(Path(settings.PRIVATE_STORAGE_ROOT)))
    free_mb = usage.free // (1024 * 1024)
    if free_mb < settings.READY_MIN_FREE_MB:
        return Check(False, f"私有文件所在磁盘仅剩 {free_mb} MB，低于 {settings.READY_MIN_FREE_MB} MB")
    return Check(True, f"私有文件所在磁盘剩余 {free_mb} MB")


def check_audit() -> Check:
    """The last verification is the newest anchor: the daily job writes one only when the chain is whole."""
    from zuofeng.audit.anchor import anchor_latest

    anchor = anchor_latest()
    if anchor is None:
        return Check(False, "审计链尚未校验过（每日任务校验后写入锚点）")
    if not anchor.valid:
        return Check(False, "审计链锚点文件的最新一行校验不符")
    age = clock.now() - dt.datetime.fromisoformat(anchor.at)
    if age > dt.timedelta(hours=settings.READY_AUDIT_MAX_AGE_HOURS):
        hours = int(age.total_seconds() // 3600)
        return Check(False, f"审计链最近一次校验通过是 {hours} 小时前（每日任务未运行，或校验未通过）")
    return Check(True, f"审计链最近一次校验通过：共 {anchor.count} 条")


CHECKS = {"database": check_database, "worker": check_worker, "disk": check_disk, "audit": check_audit}


def readiness() -> dict[str, Check]:
    results = {"database": check_database()}
    if not results["database"].ok:
        return results  # the other checks read the database
    results.update({name: check() for name, check in CHECKS.items() if name != "database"})
    return results
