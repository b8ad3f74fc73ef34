"""The trail cannot be rewritten quietly: keyed hashes (HMAC-SM3), the head anchored outside the
database by the daily job, and no `flush` in production."""

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.audit.helpers import tamper
from zuofeng.audit import hashing
from zuofeng.audit.anchor import anchor_append, anchor_latest
from zuofeng.audit.models import AuditEntry, AuditHead
from zuofeng.audit.services import audit_record
from zuofeng.audit.verify import audit_anchor_daily, audit_verify
from zuofeng.core import clock
from zuofeng.reminders.models import Reminder

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
MORNING = timezone.make_aware(dt.datetime(2018, 10, 1, 8, 0))


def _chain(n: int) -> list[AuditEntry]:
    return [audit_record(actor=None, action="test.step", detail=f"第{i}步") for i in range(1, n + 1)]


def _recompute_from(first_id: int, *, detail: str, digest) -> None:
    """What an intruder with database access does: change a row, recompute every hash after it,
    and move the head along, so that each link still matches."""
    rows = list(AuditEntry.objects.order_by("id").values(*hashing.HASHED_FIELDS))
    previous = hashing.GENESIS
    for row in rows:
        if row["id"] >= first_id:
            if row["id"] == first_id:
                row["detail"] = detail
            row["prev_hash"] = previous
            new_hash = digest(row)
            tamper(
                "UPDATE audit_auditentry SET detail = %s, prev_hash = %s, hash = %s, scheme = %s WHERE id = %s",
                [row["detail"], previous, new_hash, row["scheme"], row["id"]],
            )
            previous = new_hash
        else:
            previous = AuditEntry.objects.get(pk=row["id"]).hash
    tamper("UPDATE audit_audithead SET last_hash = %s WHERE id = 1", [previous])


def _verify_command() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except SystemExit as stop:
        return stop.code, err.getvalue().strip()
    return 0, out.getvalue().strip()


# ── keyed hashes ────────────────────────────────────────────────────────


def test_new_entries_are_hmac_sm3_with_the_key(settings):
    entry = _chain(1)[0]
    assert entry.scheme == hashing.SCHEME_HMAC_SM3
    values = AuditEntry.objects.values(*hashing.HASHED_FIELDS).get(pk=entry.pk)
    assert entry.hash == hashing.hmac_sm3_hex(settings.AUDIT_HMAC_KEY.encode(), hashing.canonical(values))
    assert entry.hash != hashing.sm3_hex(hashing.canonical(values))


def test_chain_recomputed_with_plain_sm3_is_detected():
    _chain(4)
    _recompute_from(2, detail="伪造", digest=lambda row: hashing.sm3_hex(hashing.canonical(row)))
    assert _verify_command() == (1, "第 2 条记录内容被修改（哈希不符）")


def test_chain_recomputed_with_a_guessed_key_is_detected():
    _chain(4)
    _recompute_from(3, detail="伪造", digest=lambda row: hashing.hmac_sm3_hex(b"guess", hashing.canonical(row)))
    assert audit_verify().message == "第 3 条记录内容被修改（哈希不符）"


def test_chain_recomputed_as_old_unkeyed_entries_is_detected():
    _chain(4)

    def downgrade(row):
        row["scheme"] = hashing.SCHEME_SM3
        return hashing.sm3_hex(hashing.canonical(row))

    _recompute_from(3, detail="伪造", digest=downgrade)
    assert audit_verify().message == ("第 3 条记录使用了无密钥的旧哈希方案，却排在有密钥的记录之后（疑似重算伪造）")


def test_entries_hashed_before_the_key_existed_still_verify():
    """Scheme 1 entries (plain SM3, before this release) stay valid in front of keyed ones."""
    blank = dict.fromkeys(("actor_username", "actor_name", "role", "object_type", "object_id", "object_repr"), "")
    old = {
        **blank,
        "id": 1,
        "at": MORNING,
        "action": "old.entry",
        "result": "success",
        "detail": "密钥启用前",
        "prev_hash": hashing.GENESIS,
        "scheme": hashing.SCHEME_SM3,
    }
    assert b'"scheme"' not in hashing.canonical(old)  # byte for byte what the first releases hashed
    old_hash = hashing.entry_hash(old)
    assert old_hash == hashing.sm3_hex(hashing.canonical(old))
    AuditEntry(**{**old, "hash": old_hash}).save(force_insert=True)
    AuditHead.objects.update_or_create(pk=1, defaults={"last_id": 1, "last_hash": old_hash, "count": 1})
    newer = audit_record(actor=None, action="new.entry")
    assert (newer.scheme, newer.prev_hash) == (hashing.SCHEME_HMAC_SM3, old_hash)
    assert audit_verify().message == "审计链完整：共 2 条"


# ── the anchor outside the database ─────────────────────────────────────


def _truncate_newest(keep: int) -> None:
    """Cut the newest entries and wind the head back: the chain left behind is consistent."""
    kept = AuditEntry.objects.get(pk=keep)
    tamper("DELETE FROM audit_auditentry WHERE id > %s", [keep])
    tamper("UPDATE audit_audithead SET last_id = %s, last_hash = %s, count = %s WHERE id = 1", [keep, kept.hash, keep])


def test_truncated_newest_entries_are_caught_by_the_anchor(settings):
    _chain(5)
    with clock.frozen(MORNING):
        anchor = anchor_append(count=5, last_id=5, last_hash=AuditEntry.objects.get(pk=5).hash)
    _truncate_newest(3)
    assert audit_verify(anchor=None).ok  # without the anchor the cut does not show
    result = audit_verify()
    assert (result.ok, result.count, result.anchor) == (False, 3, anchor)
    assert _verify_command() == (
        1,
        "审计日志只有 3 条，少于2018年10月1日 08:00的锚点记录的 5 条（最新记录被截断或日志被清空）",
    )


def test_flushed_trail_is_caught_by_the_anchor():
    _chain(3)
    with clock.frozen(MORNING):
        audit_anchor_daily()
    call_command("flush", "--no-input", verbosity=0)
    assert AuditEntry.objects.count() == 0
    assert audit_verify().message == (
        "审计日志只有 0 条，少于2018年10月1日 08:00的锚点记录的 3 条（最新记录被截断或日志被清空）"
    )


def test_chain_rebuilt_under_the_anchor_with_the_key_is_caught():
    """Even someone holding the key but not the anchor file cannot rewrite anchored entries."""
    _chain(4)
    with clock.frozen(MORNING):
        anchor_append(count=4, last_id=4, last_hash=AuditEntry.objects.get(pk=4).hash)
    _recompute_from(2, detail="伪造", digest=hashing.entry_hash)
    assert audit_verify().message == "第 4 条记录与2018年10月1日 08:00的锚点不符（审计链被改写或重算）"


def test_anchor_file_only_grows_and_a_hand_written_line_is_caught(settings):
    _chain(2)
    anchor_append(count=1, last_id=1, last_hash=AuditEntry.objects.get(pk=1).hash)
    anchor_append(count=2, last_id=2, last_hash=AuditEntry.objects.get(pk=2).hash)
    lines = Path(settings.AUDIT_ANCHOR_FILE).read_text().splitlines()
    assert [json.loads(line)["count"] for line in lines] == [1, 2]
    assert anchor_latest().valid and audit_verify().ok
    with open(settings.AUDIT_ANCHOR_FILE, "a") as handle:
        handle.write(json.dumps({"at": "2018-10-02T00:00:00+00:00", "count": 0, "last_id": 0, "hash": "", "mac": "0"}))
    assert audit_verify().message == "锚点文件的最新一行校验不符（锚点文件被改动）"


# ── the daily job ───────────────────────────────────────────────────────


def test_daily_job_anchors_the_head_and_tells_the_audit_administrator(people, settings):
    _chain(3)
    with clock.frozen(MORNING):
        out = io.StringIO()
        call_command("send_reminders", stdout=out)
    assert out.getvalue().endswith("审计链完整，已写入锚点。\n")
    head = AuditHead.objects.get(pk=1)
    anchor = anchor_latest()
    assert (anchor.count, anchor.last_id, anchor.hash, anchor.valid) == (3, 3, AuditEntry.objects.get(pk=3).hash, True)
    assert head.count >= 3  # the daily job may itself have written entries after verifying
    notice = Reminder.objects.get(recipient=people.auditor)
    assert notice.title == "审计链锚点：共 3 条"
    assert f"链头为第 3 条，哈希 {anchor.hash}" in notice.body
    assert not Reminder.objects.exclude(recipient=people.auditor).filter(title__startswith="审计链").exists()


def test_daily_job_alerts_the_audit_administrator_when_the_chain_is_broken(people, settings):
    _chain(3)
    tamper("UPDATE audit_auditentry SET detail = %s WHERE id = %s", ["改过了", 2])
    with clock.frozen(MORNING):
        out = io.StringIO()
        call_command("send_reminders", stdout=out)
    assert out.getvalue().endswith("审计链校验失败，已提醒审计管理员。\n")
    alert = Reminder.objects.get(recipient=people.auditor)
    assert alert.title == "审计链校验失败"
    assert alert.body.startswith("第 2 条记录内容被修改（哈希不符）。")
    assert not Path(settings.AUDIT_ANCHOR_FILE).exists()  # a broken chain is never anchored


# ── production ──────────────────────────────────────────────────────────


def test_flush_refused_in_production(settings):
    _chain(2)
    settings.ZUOFENG_PRODUCTION = True
    with pytest.raises(CommandError, match="生产环境禁止执行 flush：它会清空全部数据，包括审计日志。"):
        call_command("flush", "--no-input", verbosity=0)
    assert AuditEntry.objects.count() == 2


def _settings_in_production(**extra) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("AUDIT_HMAC_KEY", "DEBUG")}
    # A valid 群众提 identity key (its own refusal is tested in tests/complaints/test_identity_key.py).
    env.update(ZUOFENG_PRODUCTION="1", SECRET_KEY="s" * 50, COMPLAINTS_IDENTITY_KEY="k" * 43 + "=", **extra)
    code = "import django; django.setup(); from django.conf import settings; print(len(settings.AUDIT_HMAC_KEY))"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)


def test_production_refuses_to_start_without_a_real_audit_key():
    for missing in ({}, {"AUDIT_HMAC_KEY": "short"}, {"AUDIT_HMAC_KEY": "dev-only-audit-hmac-key-not-for-production"}):
        started = _settings_in_production(**missing)
        assert started.returncode != 0
        assert "生产环境必须设置 AUDIT_HMAC_KEY 环境变量（至少 32 个字符的随机密钥）" in started.stderr
    started = _settings_in_production(AUDIT_HMAC_KEY="a" * 64)
    assert (started.returncode, started.stdout.strip()) == (0, "64")
