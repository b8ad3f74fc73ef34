"""Writing a backup archive and checking one without a database.

The archive is a plain tar (the PostgreSQL dump and the row dump are compressed already, evidence
is mostly PDF and images): `manifest.json`, `db/native.*`, `db/rows.jsonl.gz`, `files/…` (the
private storage tree) and `campaigns/…` (the definition files of the campaigns in the database).
The manifest counts each table's rows, holds every member's SHA-256 and the audit chain head, and
carries an HMAC-SM3 under the audit key, so an edited manifest is noticed as well as an edited file.
"""

import gzip
import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections

from zuofeng.backups.services import snapshot as snap
from zuofeng.core import clock

FORMAT = 1
MANIFEST = "manifest.json"
CHUNK = 1 << 20


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    seconds: float
    manifest: dict


def sha256_file(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def manifest_mac(manifest: dict) -> str:
    from zuofeng.audit.hashing import audit_key, hmac_sm3_hex

    body = {key: value for key, value in manifest.items() if key != "mac"}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hmac_sm3_hex(audit_key(), text.encode())


class _Writer:
    """Adds members to the tar and notes each one's hash and size for the manifest."""

    def __init__(self, tar: tarfile.TarFile):
        self.tar = tar
        self.members: dict[str, dict] = {}

    def add_bytes(self, name: str, data: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
        self.tar.addfile(info, io.BytesIO(data))
        self.members[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}

    def add_file(self, name: str, path: Path) -> None:
        # Hashed and stored from one read, so the hash is of exactly the bytes archived.
        self.add_bytes(name, path.read_bytes())


def _private_files() -> list[tuple[str, Path]]:
    root = Path(settings.PRIVATE_STORAGE_ROOT)
    found = []
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            found.append((path.relative_to(root).as_posix(), path))
    return sorted(found)


def _campaign_sources(alias: str) -> list[dict]:
    from zuofeng.campaigns.models import Campaign

    sources = []
    for campaign in Campaign.objects.using(alias).order_by("pk"):
        path = Path(campaign.source_file) if campaign.source_file else None
        if path is not None and not path.is_absolute():
            path = Path(settings.BASE_DIR) / path
        sources.append(
            {
                "id": campaign.pk,
                "name": str(campaign),
                "source_file": campaign.source_file,
                "source_sha256": campaign.source_sha256,
                "path": str(path) if path and path.is_file() else "",
            }
        )
    return sources


def backup_write(path: str | Path) -> BackupResult:
    """Write the archive to `path` (through a temporary name, so a half-written archive never has it)."""
    started = time.monotonic()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="zuofeng-backup-") as work, tarfile.open(partial, "w") as tar:
        writer = _Writer(tar)
        work = Path(work)
        with snap.snapshot_open(work) as snapshot:
            rows = work / "rows.jsonl.gz"
            with gzip.open(rows, "wt", encoding="utf-8", compresslevel=6) as out:
                tables = snap.rows_write(snapshot, out)
            manifest = {
                "format": FORMAT,
                "created_at": clock.now().isoformat(),
                "vendor": snapshot.vendor,
                "tables": tables,
                "audit_head": snap.audit_head_read(snapshot.alias),
                "migrations": snap.migrations_applied(snapshot.alias),
                "campaigns": _campaign_sources(snapshot.alias),
            }
        writer.add_file(snap.NATIVE_NAMES[snapshot.vendor], snapshot.native)
        writer.add_file(snap.ROWS_NAME, rows)
        for campaign in manifest["campaigns"]:
            if campaign["path"]:
                stored = f"campaigns/{campaign['id']}-{Path(campaign['path']).name}"
                writer.add_file(stored, Path(campaign["path"]))
                campaign["stored"] = stored
        # Files after the database: a file written meanwhile is archived with no row pointing at it
        # (harmless); a file deleted meanwhile is named in `missing` and the restore check says so.
        missing = []
        for name, file_path in _private_files():
            try:
                writer.add_file(f"files/{name}", file_path)
            except FileNotFoundError:
                missing.append(name)
        manifest["files_missing"] = missing
        manifest["members"] = writer.members
        manifest["mac"] = manifest_mac(manifest)
        writer.add_bytes(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    os.replace(partial, path)
    connections.close_all()
    return BackupResult(path=path, size=path.stat().st_size, seconds=time.monotonic() - started, manifest=manifest)


def manifest_read(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.extractfile(MANIFEST)
        return json.loads(member.read().decode())
    except (KeyError, AttributeError, ValueError) as error:
        raise ValueError("备份文件中没有可读的清单（manifest.json）") from error


def archive_check(path: str | Path) -> tuple[dict, list[str]]:
    """Check an archive against its manifest without touching any database: the manifest's HMAC,
    every member's SHA-256 and size, and the row dump's count per table. Problems in Chinese."""
    problems: list[str] = []
    try:
        tar = tarfile.open(path, "r")  # noqa: SIM115 - closed by the `with tar` below
    except (OSError, tarfile.TarError) as error:
        return {}, [f"无法打开备份文件：{error}"]
    with tar:
        try:
            manifest = manifest_read(tar)
        except ValueError as error:
            return {}, [str(error)]
        if manifest.get("mac") != manifest_mac(manifest):
            problems.append("备份清单的签名不符（清单被改动，或审计密钥 AUDIT_HMAC_KEY 与备份时不同）")
        members = manifest.get("members", {})
        seen = set()
        for info in tar:
            if info.name == MANIFEST:
                continue
            seen.add(info.name)
            expected = members.get(info.name)
            if expected is None:
                problems.append(f"备份文件中多出清单未列的文件：{info.name}")
                continue
            digest = hashlib.sha256()
            handle = tar.extractfile(info)
            while block := handle.read(CHUNK):
                digest.update(block)
            if digest.hexdigest() != expected["sha256"] or info.size != expected["size"]:
                problems.append(f"文件 {info.name} 的 SHA-256 与备份清单不符（文件已损坏或被改动）")
        problems += [f"备份文件中缺少清单列出的文件：{name}" for name in sorted(set(members) - seen)]
        if not problems:
            problems += _rows_counts_check(tar, manifest)
    return manifest, problems


def _rows_counts_check(tar: tarfile.TarFile, manifest: dict) -> list[str]:
    counts: dict[str, int] = {}
    table = None
    with gzip.open(tar.extractfile(snap.ROWS_NAME), "rt", encoding="utf-8") as rows:
        for line in rows:
            if line.startswith("{"):
                table = json.loads(line)["table"]
                counts[table] = 0
            else:
                counts[table] += 1
    expected = manifest.get("tables", {})
    return [
        f"数据表 {name} 在行数据中有 {counts.get(name, 0)} 行，备份清单记为 {expected.get(name, 0)} 行"
        for name in sorted(set(counts) | set(expected))
        if counts.get(name, 0) != expected.get(name, 0)
    ]
