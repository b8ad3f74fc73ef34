"""Backup → empty database and storage → restore → verified: counts, file hashes, audit chain and head."""

import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.db import connection

from zuofeng.audit.models import AuditEntry
from zuofeng.audit.services import audit_record
from zuofeng.audit.verify import audit_verify
from zuofeng.backups.models import BackupRun
from zuofeng.backups.services.archive import archive_check, backup_write
from zuofeng.backups.services.restore import RestoreRefused, backup_restore
from zuofeng.backups.services.runs import backup_take
from zuofeng.rectification.models import Evidence, Measure

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def database_empty() -> None:
    """What a new server starts from: no tables at all (the test database is dropped in place)."""
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        sqlite3.connect(":memory:").backup(connection.connection)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")


def storage_empty(root: Path) -> None:
    for path in sorted(root.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def move_to_new_server(archive: Path, root: Path, **options):
    database_empty()
    storage_empty(root)
    return backup_restore(archive, **options)


@pytest.mark.parametrize("portable", [False, True], ids=["native", "portable"])
def test_backup_restore_verify_with_evidence(evidence, people, private_root, tmp_path, portable):
    before_files = files_of(private_root)
    head = audit_verify(anchor=None)
    archive = tmp_path / "backup.tar"

    result = backup_write(archive)
    report = move_to_new_server(archive, private_root, portable=portable)

    assert report.problems == []
    assert report.path == ("portable" if portable else "native")
    assert report.files == 2
    assert files_of(private_root) == before_files
    assert result.manifest["audit_head"] == {"count": head.count, "last_id": head.last_id, "last_hash": head.last_hash}
    assert result.manifest["tables"]["rectification_evidence"] == 2
    assert sorted(e.original_name for e in Evidence.objects.all()) == ["整改报告.pdf", "窗口照片.png"]
    assert Measure.objects.get().percent == 40
    # The restored system goes on writing: ids continue after the restored ones and the chain grows.
    audit_record(actor=people.office, action="auth.login", detail="恢复后第一次登录")
    assert AuditEntry.objects.order_by("-id").first().id == head.last_id + 1
    assert audit_verify(anchor=None).ok


def test_corrupted_file_in_archive_makes_restore_refuse(evidence, private_root, tmp_path):
    archive = tmp_path / "backup.tar"
    backup_write(archive)
    broken = tmp_path / "broken.tar"
    name = f"files/{evidence[0].file.name}"
    with tarfile.open(archive) as source, tarfile.open(broken, "w") as target:
        for info in source:
            data = source.extractfile(info).read()
            if info.name == name:
                data = data[:-1] + bytes([data[-1] ^ 1])  # one bit flipped, same size
            target.addfile(info, io.BytesIO(data))

    database_empty()
    storage_empty(private_root)
    with pytest.raises(RestoreRefused) as refused:
        backup_restore(broken)

    assert str(refused.value) == (
        f"备份文件校验未通过，未做任何恢复：文件 {name} 的 SHA-256 与备份清单不符（文件已损坏或被改动）"
    )
    assert connection.introspection.table_names() == []
    assert list(private_root.rglob("*")) == []


def test_edited_manifest_is_noticed(evidence, tmp_path):
    archive = tmp_path / "backup.tar"
    backup_write(archive)
    edited = tmp_path / "edited.tar"
    with tarfile.open(archive) as source, tarfile.open(edited, "w") as target:
        for info in source:
            data = source.extractfile(info).read()
            if info.name == "manifest.json":
                manifest = json.loads(data)
                manifest["tables"]["rectification_evidence"] = 3
                data = json.dumps(manifest).encode()
                info.size = len(data)
            target.addfile(info, io.BytesIO(data))

    _, problems = archive_check(edited)

    assert problems == ["备份清单的签名不符（清单被改动，或审计密钥 AUDIT_HMAC_KEY 与备份时不同）"]


def test_restore_refuses_a_database_in_use(evidence, tmp_path):
    archive = tmp_path / "backup.tar"
    backup_write(archive)
    tables = len(connection.introspection.table_names())

    with pytest.raises(RestoreRefused) as refused:
        backup_restore(archive)

    assert str(refused.value).startswith(f"目标数据库不是空库（已有 {tables} 张表）")


def test_restore_names_a_row_count_that_does_not_match(evidence, private_root, tmp_path, monkeypatch):
    from zuofeng.backups.services import restore

    archive = tmp_path / "backup.tar"
    backup_write(archive)
    real_check = restore.archive_check

    def manifest_claiming_more(path):
        manifest, problems = real_check(path)
        manifest["tables"]["rectification_evidence"] = 5
        return manifest, problems

    monkeypatch.setattr(restore, "archive_check", manifest_claiming_more)
    report = move_to_new_server(archive, private_root)

    assert report.problems == ["数据表 rectification_evidence 恢复后有 2 行，备份清单记为 5 行"]


def test_backup_take_records_the_run_for_the_security_administrator(evidence, tmp_path):
    run = backup_take(path=tmp_path / "b.tar")

    assert BackupRun.objects.get() == run
    assert (run.ok, run.size) == (True, (tmp_path / "b.tar").stat().st_size)
    assert run.message == "备份文件已读回核对：清单签名、文件哈希、各表行数一致"
    assert AuditEntry.objects.filter(action="backup.create").count() == 1


def test_daily_backup_keeps_the_newest_copies(evidence, settings, tmp_path):
    import datetime as dt

    from zuofeng.backups.services.runs import backup_daily

    settings.BACKUP_DIR = str(tmp_path / "daily")
    settings.BACKUP_KEEP = 2
    for day in (1, 2, 3):
        backup_daily(now=dt.datetime(2018, 10, day, 2, 0, tzinfo=dt.UTC))

    kept = sorted(p.name for p in (tmp_path / "daily").iterdir())
    assert kept == ["zuofeng-20181002T020000Z.tar", "zuofeng-20181003T020000Z.tar"]
    assert BackupRun.objects.filter(daily=True, ok=True).count() == 3


SQLITE_SOURCE = """
from zuofeng.audit.services import audit_record
from zuofeng.core.storage import private_storage
from zuofeng.organisation.models import Unit
from django.core.files.base import ContentFile
unit = Unit.objects.create(name="武进区财政局", short_name="区财政局", code="D01", path="0001", sort_key="0001")
audit_record(actor=None, action="unit.create", obj=unit)
private_storage().save("evidence/2018/报告.pdf", ContentFile(b"%PDF-1.4 test"))
"""


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="restores a SQLite backup into PostgreSQL")
def test_sqlite_backup_restores_into_postgresql(private_root, tmp_path):
    import os

    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'pilot.sqlite3'}",
        "PRIVATE_STORAGE_ROOT": str(tmp_path / "pilot-private"),
        "DEBUG": "1",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for step in (["migrate", "-v0"], ["shell", "-c", SQLITE_SOURCE], ["backup", str(tmp_path / "pilot.tar")]):
        subprocess.run([*manage, *step], env=env, check=True, capture_output=True, cwd=ROOT)

    database_empty()
    report = backup_restore(tmp_path / "pilot.tar")

    assert (report.path, report.problems, report.files) == ("portable", [], 1)
    assert (private_root / "evidence/2018/报告.pdf").read_bytes() == b"%PDF-1.4 test"
    from zuofeng.organisation.models import Unit

    assert list(Unit.objects.values_list("name", flat=True)) == ["武进区财政局"]
    assert Unit.objects.create(name="区商务局", code="D02", path="0002", sort_key="0002").pk == 2


def test_daily_job_takes_the_backup_when_a_folder_is_set(evidence, settings, tmp_path):
    from zuofeng.reminders.daily import daily_jobs_run

    settings.BACKUP_DIR = str(tmp_path / "daily")
    counts = daily_jobs_run()

    assert counts["backup_ok"] == 1
    assert len(list((tmp_path / "daily").glob("zuofeng-*.tar"))) == 1
