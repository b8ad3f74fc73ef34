"""Taking a backup on purpose (the command) or by the daily job, and keeping the newest N."""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.db import connection

from zuofeng.audit.services import audit_record
from zuofeng.backups.models import BackupRun
from zuofeng.backups.services.archive import archive_check, backup_write
from zuofeng.core import clock

DAILY_PREFIX = "zuofeng-"
DAILY_SUFFIX = ".tar"


def backup_take(*, path: str | Path, daily: bool = False) -> BackupRun:
    """Write the archive, read it back against its manifest, and record both for the security administrator."""
    result = backup_write(path)
    _manifest, problems = archive_check(result.path)
    run = BackupRun.objects.create(
        at=clock.now(),
        path=str(result.path),
        size=result.size,
        seconds=round(result.seconds, 2),
        vendor=connection.vendor,
        ok=not problems,
        message=("；".join(problems) if problems else "备份文件已读回核对：清单签名、文件哈希、各表行数一致")[:500],
        daily=daily,
    )
    audit_record(
        actor=None,
        action="backup.create",
        obj=run,
        after={"path": run.path, "size": run.size, "ok": run.ok},
        detail=run.message[:200],
    )
    return run


def backups_prune(folder: Path, keep: int) -> list[Path]:
    """Delete the daily archives beyond the newest `keep`; returns what was deleted."""
    archives = sorted(folder.glob(f"{DAILY_PREFIX}*{DAILY_SUFFIX}"))
    old = archives[: max(len(archives) - keep, 0)]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def backup_daily(*, now: dt.datetime | None = None) -> BackupRun | None:
    """The daily job's backup into BACKUP_DIR, keeping BACKUP_KEEP copies; nothing when BACKUP_DIR is unset."""
    if not settings.BACKUP_DIR:
        return None
    folder = Path(settings.BACKUP_DIR)
    stamp = (now or clock.now()).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    try:
        run = backup_take(path=folder / f"{DAILY_PREFIX}{stamp}{DAILY_SUFFIX}", daily=True)
    except Exception as error:  # the failure itself is what the security administrator must see
        return BackupRun.objects.create(
            at=clock.now(),
            path=str(folder),
            vendor=connection.vendor,
            ok=False,
            daily=True,
            message=f"备份失败：{error}"[:500],
        )
    backups_prune(folder, settings.BACKUP_KEEP)
    return run
