"""One consistent view of the database, written twice: the native dump and the portable rows.

SQLite: the online backup API copies the file page by page inside one read transaction; in WAL
mode readers never block writers, so the web and the worker go on writing meanwhile. PostgreSQL:
a REPEATABLE READ transaction exports its snapshot and `pg_dump --snapshot` dumps exactly that
view, so the native dump, the row dump and the counts in the manifest are of the same instant;
pg_dump's ACCESS SHARE locks stop only schema changes, never writers.

The snapshot is read through a database alias of its own (`SNAPSHOT_ALIAS`): for SQLite it is the
copied file, for PostgreSQL a second connection holding the exported snapshot.
"""

import contextlib
import datetime as dt
import decimal
import json
import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import connections, transaction

SNAPSHOT_ALIAS = "backup_snapshot"
NATIVE_NAMES = {"sqlite": "db/native.sqlite3", "postgresql": "db/native.pgdump"}
ROWS_NAME = "db/rows.jsonl.gz"


@dataclass(frozen=True)
class Snapshot:
    alias: str
    vendor: str
    native: Path


def models_dumped() -> list:
    """Every table Django manages, m2m link tables included; the order does not matter because every
    foreign key is DEFERRABLE INITIALLY DEFERRED on both databases and the load is one transaction."""
    models = apps.get_models(include_auto_created=True)
    return sorted((m for m in models if m._meta.managed and not m._meta.proxy), key=lambda m: m._meta.db_table)


def pg_tool(name: str) -> str:
    """The full path of pg_dump / pg_restore (Debian's postgresql-client)."""
    found = shutil.which(name)
    if not found:
        raise FileNotFoundError(f"找不到 {name}：请安装 postgresql-client（apt-get install postgresql-client）")
    return found


def pg_env_args(settings_dict: dict) -> tuple[dict, list[str]]:
    """The environment and connection arguments for pg_dump / pg_restore from Django's settings."""
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    return env, [*args, "-d", settings_dict["NAME"]]


def _alias_add(settings_dict: dict) -> None:
    connections.settings[SNAPSHOT_ALIAS] = settings_dict
    # Connect explicitly: Django's test cases refuse lazy connections to aliases they were not told about.
    connections[SNAPSHOT_ALIAS].connect()


def _alias_drop() -> None:
    with contextlib.suppress(Exception):
        connections[SNAPSHOT_ALIAS].close()
    with contextlib.suppress(AttributeError, KeyError):
        del connections[SNAPSHOT_ALIAS]
    connections.settings.pop(SNAPSHOT_ALIAS, None)


@contextlib.contextmanager
def snapshot_open(workdir: Path) -> Iterator[Snapshot]:
    """Take the snapshot into `workdir`; inside the block read it through `Snapshot.alias`."""
    default = connections["default"]
    vendor = default.vendor
    native = workdir / NATIVE_NAMES.get(vendor, "db/unsupported")
    native.parent.mkdir(parents=True, exist_ok=True)
    if vendor not in NATIVE_NAMES:
        raise ValueError(f"不支持备份 {vendor} 数据库")
    try:
        if vendor == "sqlite":
            default.ensure_connection()
            target = sqlite3.connect(native)
            with target:
                default.connection.backup(target)
            target.close()
            _alias_add({**default.settings_dict, "NAME": str(native), "OPTIONS": {}, "CONN_MAX_AGE": 0})
            yield Snapshot(SNAPSHOT_ALIAS, vendor, native)
        else:
            _alias_add({**default.settings_dict, "CONN_MAX_AGE": 0})
            with transaction.atomic(using=SNAPSHOT_ALIAS):
                with connections[SNAPSHOT_ALIAS].cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    cursor.execute("SELECT pg_export_snapshot()")
                    snapshot_id = cursor.fetchone()[0]
                env, args = pg_env_args(default.settings_dict)
                dump = [pg_tool("pg_dump"), "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot_id}"]
                subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                    [*dump, "-f", native, *args],
                    env=env,
                    check=True,
                    capture_output=True,
                )
                yield Snapshot(SNAPSHOT_ALIAS, vendor, native)
    finally:
        _alias_drop()


def _value_out(field, obj):
    value = field.value_from_object(obj)
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()  # full precision: the audit hash covers the microseconds
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return field.value_to_string(obj)


def rows_write(snapshot: Snapshot, out) -> dict[str, int]:
    """Each table as a header line (table, model, columns) followed by one JSON array per row; the counts."""
    counts: dict[str, int] = {}
    for model in models_dumped():
        fields = model._meta.concrete_fields
        table = model._meta.db_table
        header = {"table": table, "model": model._meta.label, "fields": [f.attname for f in fields]}
        out.write(json.dumps(header, ensure_ascii=False) + "\n")
        count = 0
        for obj in model._base_manager.using(snapshot.alias).order_by("pk").iterator(chunk_size=2000):
            out.write(json.dumps([_value_out(f, obj) for f in fields], ensure_ascii=False) + "\n")
            count += 1
        counts[table] = count
    return counts


def migrations_applied(alias: str) -> list[str]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def audit_head_read(alias: str) -> dict:
    from zuofeng.audit.hashing import GENESIS
    from zuofeng.audit.models import AuditHead

    head = AuditHead.objects.using(alias).filter(pk=1).first()
    if head is None:
        return {"count": 0, "last_id": 0, "last_hash": GENESIS}
    return {"count": head.count, "last_id": head.last_id, "last_hash": head.last_hash}
