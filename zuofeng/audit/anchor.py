"""The chain's head, written outside the database (审计链锚点).

A person with write access to the database can cut the newest entries and wind the head back, or
empty the trail, and the chain left behind is still consistent. The daily job therefore appends
the verified head (count, last id, hash) to a file that only grows (settings.AUDIT_ANCHOR_FILE,
made append-only with `chattr +a`), and tells the audit administrators the same numbers as a
reminder. audit_verify compares the chain with the newest line. Each line carries an HMAC with
the audit key, so a line typed in by hand is noticed too.
"""

import datetime as dt
import json
import os
from dataclasses import dataclass

from django.conf import settings

from zuofeng.audit.hashing import audit_key, hmac_sm3_hex
from zuofeng.core import clock


@dataclass(frozen=True)
class Anchor:
    at: str
    count: int
    last_id: int
    hash: str
    valid: bool = True  # False when the line's own HMAC does not match


def _mac(fields: dict) -> str:
    text = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hmac_sm3_hex(audit_key(), text.encode())


def anchor_append(*, count: int, last_id: int, last_hash: str) -> Anchor:
    """One line at the end of the anchor file; O_APPEND, so it can only ever be added to."""
    fields = {"at": clock.now().astimezone(dt.UTC).isoformat(), "count": count, "last_id": last_id, "hash": last_hash}
    line = json.dumps({**fields, "mac": _mac(fields)}, ensure_ascii=False, sort_keys=True) + "\n"
    path = settings.AUDIT_ANCHOR_FILE
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return Anchor(**fields)


def anchor_latest() -> Anchor | None:
    """The newest line, or None before the first daily run."""
    try:
        with open(settings.AUDIT_ANCHOR_FILE, encoding="utf-8") as handle:
            lines = [line for line in handle if line.strip()]
    except FileNotFoundError:
        return None
    if not lines:
        return None
    try:
        data = json.loads(lines[-1])
        fields = {"at": data["at"], "count": int(data["count"]), "last_id": int(data["last_id"]), "hash": data["hash"]}
    except (ValueError, KeyError, TypeError):
        return Anchor(at="", count=0, last_id=0, hash="", valid=False)
    return Anchor(**fields, valid=data.get("mac") == _mac(fields))


def anchor_label(anchor: Anchor) -> str:
    """When the anchor was written, in Beijing time, for messages."""
    if not anchor.at:
        return "最新锚点"
    from zuofeng.core.cn import cn_datetime

    return f"{cn_datetime(dt.datetime.fromisoformat(anchor.at))}的锚点"
