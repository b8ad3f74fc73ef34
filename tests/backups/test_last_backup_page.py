"""The security administrator sees the last backup's time, size and check on the 安全策略 page; nobody else."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from zuofeng.backups.models import BackupRun
from zuofeng.backups.selectors import backup_last_seen

pytestmark = pytest.mark.django_db


def run(**fields) -> BackupRun:
    values = {"at": dt.datetime(2018, 10, 1, 18, 0, tzinfo=dt.UTC), "path": "/var/backups/zuofeng-1.tar"}
    return BackupRun.objects.create(**{**values, "size": 3_174_400, "seconds": 5.0, "vendor": "postgresql", **fields})


def test_security_page_shows_the_newest_backup(people, client_for):
    run(ok=True, message="旧的")
    run(
        at=dt.datetime(2018, 10, 2, 18, 0, tzinfo=dt.UTC),
        ok=False,
        daily=True,
        message="文件 files/a.pdf 的 SHA-256 与备份清单不符",
    )

    page = client_for(people.secadmin).get("/accounts/security/").content.decode()
    card = page[page.index('data-testid="last-backup"') :]

    assert "2018年10月3日 02:00（每日任务）" in card
    assert "3.0\xa0MB，用时 5.0 秒" in card  # filesizeformat joins with a no-break space
    assert "未通过</span> 文件 files/a.pdf 的 SHA-256 与备份清单不符" in card
    assert "旧的" not in card


def test_security_page_without_backups_says_how_to_start(people, client_for):
    page = client_for(people.secadmin).get("/accounts/security/").content.decode()
    assert "还没有备份记录。设置 BACKUP_DIR 后每日任务自动备份" in page


@pytest.mark.parametrize("who", ["own_clerk", "reviewer", "office", "judge", "sysadmin", "auditor"])
def test_others_do_not_see_backups(people, who):
    run(ok=True)
    with pytest.raises(PermissionDenied):
        backup_last_seen(actor=getattr(people, who))
