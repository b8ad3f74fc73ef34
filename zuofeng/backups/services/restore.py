"""Restoring an archive into an empty database and empty private storage, then proving it.

Same database kind: the native dump (SQLite's backup API into the open connection, or pg_restore).
Another kind (SQLite to PostgreSQL when a pilot grows), or `portable=True`: migrate the empty
database to the migrations the backup was taken at, then load the row dump in one transaction
with the roll-up triggers lifted (their counts are rows of the dump themselves), set the audit
head (it may only move forward, and the fresh one is at zero) and reset the id sequences.

Either way the result is then checked against the manifest: the rows of every table, the SHA-256
of every restored file, the audit chain recomputed and its head equal to the manifest's.
"""

import gzip
import json
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from zuofeng.backups.services import snapshot as snap
from zuofeng.backups.services.archive import archive_check, sha256_file

BATCH = 1000


class RestoreRefused(Exception):
    """The archive or the target is not fit to restore; the message says why, in Chinese."""


@dataclass
class RestoreReport:
    path: str = "native"
    tables: int = 0
    rows: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _tables_present() -> list[str]:
    names = connection.introspection.table_names()
    return [name for name in names if not name.startswith("sqlite_")]


def _target_check() -> None:
    tables = _tables_present()
    if tables:
        raise RestoreRefused(f"目标数据库不是空库（已有 {len(tables)} 张表）：请新建一个空数据库再恢复")
    root = Path(settings.PRIVATE_STORAGE_ROOT)
    if root.exists() and any(root.iterdir()):
        raise RestoreRefused(f"私有文件目录 {root} 不是空的：请指定一个空目录再恢复")


def _native_restore(tar: tarfile.TarFile, manifest: dict, work: Path) -> None:
    name = snap.NATIVE_NAMES[manifest["vendor"]]
    tar.extract(name, work, filter="data")
    native = work / name
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(native)
        source.backup(connection.connection)
        source.close()
        return
    env, args = snap.pg_env_args(connection.settings_dict)
    connection.close()
    command = [snap.pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    done = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
        [*command, *args, native],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RestoreRefused(f"pg_restore 失败：{done.stderr.strip()[:400]}")


def _migrations_check(manifest: dict) -> None:
    on_disk = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    backed_up = set(manifest.get("migrations", []))
    if on_disk != backed_up:
        differ = sorted(on_disk ^ backed_up)
        raise RestoreRefused(
            "备份时的数据库结构（迁移）与本程序不一致，无法跨数据库恢复："
            f"{'、'.join(differ[:5])}{' 等' if len(differ) > 5 else ''}；请用与备份时相同版本的程序恢复"
        )


def _rows_load(tar: tarfile.TarFile) -> int:
    """Insert every row of the dump; returns how many."""
    from zuofeng.audit.models import AuditHead

    loaded = 0
    model, fields, batch = None, [], []

    def flush():
        nonlocal batch
        if model is not None and batch:
            model._base_manager.bulk_create(batch, batch_size=BATCH)
        batch = []

    with gzip.open(tar.extractfile(snap.ROWS_NAME), "rt", encoding="utf-8") as rows:
        for line in rows:
            values = json.loads(line)
            if isinstance(values, dict):
                flush()
                model = apps.get_model(values["model"])
                by_attname = {f.attname: f for f in model._meta.concrete_fields}
                fields = [by_attname[name] for name in values["fields"]]
                if model is AuditHead:
                    model = None  # set after the load: the fresh head may only move forward
                continue
            loaded += 1
            if model is None:
                head = dict(zip([f.attname for f in fields], values, strict=True))
                AuditHead.objects.filter(pk=1).update(
                    last_id=head["last_id"], last_hash=head["last_hash"], count=head["count"]
                )
                continue
            batch.append(model(**{f.attname: f.to_python(v) for f, v in zip(fields, values, strict=True)}))
            if len(batch) >= BATCH:
                flush()
        flush()
    return loaded


def _portable_restore(tar: tarfile.TarFile, manifest: dict) -> int:
    from zuofeng.rectification import rollup_triggers

    _migrations_check(manifest)
    call_command("migrate", interactive=False, verbosity=0)
    models = snap.models_dumped()
    with transaction.atomic():
        rollup_triggers.remove(connection)
        with connection.cursor() as cursor:
            # What migrate itself wrote (content types, permissions, singletons) gives way to the backup's rows.
            for model in models:
                if model._meta.db_table not in ("audit_auditentry", "audit_audithead"):
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
        loaded = _rows_load(tar)
        rollup_triggers.install(connection)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    return loaded


def _files_restore(tar: tarfile.TarFile, manifest: dict) -> int:
    root = Path(settings.PRIVATE_STORAGE_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    count = 0
    for info in tar:
        if info.name.startswith("files/") and info.isfile():
            target = (root / info.name.removeprefix("files/")).resolve()
            if not target.is_relative_to(root.resolve()):
                raise RestoreRefused(f"备份文件中的路径越出私有文件目录：{info.name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(info) as source, open(target, "wb") as out:
                while block := source.read(1 << 20):
                    out.write(block)
            count += 1
    return count


def restore_verify(manifest: dict) -> list[str]:
    """Compare what is now in the database and storage with the manifest; every difference in Chinese."""
    from zuofeng.audit.verify import audit_verify

    problems = []
    for model in snap.models_dumped():
        table = model._meta.db_table
        have, want = model._base_manager.count(), manifest["tables"].get(table, 0)
        if have != want:
            problems.append(f"数据表 {table} 恢复后有 {have} 行，备份清单记为 {want} 行")
    root = Path(settings.PRIVATE_STORAGE_ROOT)
    for name, expected in sorted(manifest["members"].items()):
        if not name.startswith("files/"):
            continue
        path = root / name.removeprefix("files/")
        if not path.is_file():
            problems.append(f"文件 {name} 恢复后缺失")
        elif sha256_file(path) != expected["sha256"]:
            problems.append(f"文件 {name} 恢复后的 SHA-256 与备份清单不符")
    problems += [f"备份时文件 {name} 已被删除，未能备份" for name in manifest.get("files_missing", [])]
    # The anchor file belongs to the machine, not the backup: the chain is proved against the manifest.
    chain = audit_verify(anchor=None)
    if not chain.ok:
        problems.append(f"审计链校验未通过：{chain.message}")
    head = manifest["audit_head"]
    if (chain.count, chain.last_id, chain.last_hash) != (head["count"], head["last_id"], head["last_hash"]):
        problems.append(
            f"审计链头与备份清单不符：恢复后为第 {chain.last_id} 条（共 {chain.count} 条），"
            f"清单记为第 {head['last_id']} 条（共 {head['count']} 条）"
        )
    return problems


def backup_restore(path: str | Path, *, portable: bool = False) -> RestoreReport:
    """Check the archive, restore it into the empty database and storage, and verify the result."""
    manifest, problems = archive_check(path)
    if problems:
        raise RestoreRefused("备份文件校验未通过，未做任何恢复：" + "；".join(problems[:10]))
    _target_check()
    report = RestoreReport()
    with tarfile.open(path, "r") as tar, tempfile.TemporaryDirectory(prefix="zuofeng-restore-") as work:
        if portable or manifest["vendor"] != connection.vendor:
            report.path = "portable"
            _portable_restore(tar, manifest)
        else:
            _native_restore(tar, manifest, Path(work))
        report.files = _files_restore(tar, manifest)
    report.tables = len(manifest["tables"])
    report.rows = sum(manifest["tables"].values())
    report.problems = restore_verify(manifest)
    return report
