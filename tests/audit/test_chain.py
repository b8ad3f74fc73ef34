import datetime as dt
import io

import pytest
from django.core.management import call_command

from tests.audit.helpers import tamper
from zuofeng.audit import hashing
from zuofeng.audit.hashing import GENESIS, entry_hash
from zuofeng.audit.models import AuditEntry, AuditHead
from zuofeng.audit.services import audit_record, model_snapshot
from zuofeng.audit.verify import audit_verify
from zuofeng.core import clock

pytestmark = pytest.mark.django_db


def _chain(n: int = 5) -> list[AuditEntry]:
    return [audit_record(actor=None, action="test.step", detail=f"第{i}步", after={"i": i}) for i in range(1, n + 1)]


def _verify_command() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", "--batch-size", "2", stdout=out, stderr=err)
    except SystemExit as stop:
        return stop.code, out.getvalue().strip(), err.getvalue().strip()
    return 0, out.getvalue().strip(), err.getvalue().strip()


def test_audit_verify_intact_chain_reports_count():
    _chain(5)
    result = audit_verify(batch_size=2)
    assert (result.ok, result.count, result.message) == (True, 5, "审计链完整：共 5 条")
    assert _verify_command() == (0, "审计链完整：共 5 条", "")


def test_audit_verify_empty_trail_is_complete():
    assert audit_verify().message == "审计链完整：共 0 条"


def test_audit_record_links_each_entry_to_the_previous():
    first, second = _chain(2)
    assert (first.id, first.prev_hash) == (1, GENESIS)
    assert (second.id, second.prev_hash) == (2, first.hash)
    head = AuditHead.objects.get(pk=1)
    assert (head.last_id, head.last_hash, head.count) == (2, second.hash, 2)


def test_audit_verify_edited_row_names_it():
    _chain(5)
    tamper("UPDATE audit_auditentry SET detail = %s WHERE id = %s", ["改过了", 3])
    result = audit_verify(batch_size=2)
    assert (result.ok, result.broken_id, result.count) == (False, 3, 2)
    assert result.message == "第 3 条记录内容被修改（哈希不符）"
    assert _verify_command() == (1, "", "第 3 条记录内容被修改（哈希不符）")


def test_audit_verify_edited_json_names_it():
    _chain(3)
    tamper("UPDATE audit_auditentry SET after = %s WHERE id = %s", ['{"i": 99}', 2])
    assert audit_verify().message == "第 2 条记录内容被修改（哈希不符）"


def test_audit_verify_deleted_middle_row_names_the_next():
    _chain(5)
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [3])
    assert _verify_command() == (1, "", "第 4 条记录之前缺少记录（链接断开，疑似删除）")


def test_audit_verify_deleted_first_row_names_the_next():
    _chain(3)
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [1])
    assert audit_verify().message == "第 2 条记录之前缺少记录（链接断开，疑似删除）"


def test_audit_verify_deleted_tail_reports_missing_newest():
    _chain(5)
    tamper("DELETE FROM audit_auditentry WHERE id >= %s", [4])
    result = audit_verify()
    assert (result.ok, result.broken_id, result.count) == (False, None, 3)
    assert _verify_command() == (1, "", "最新记录缺失（链尾与链头不符）")


def test_audit_verify_rewritten_row_with_recomputed_hash_breaks_the_next_link():
    entries = _chain(4)
    forged = {**AuditEntry.objects.filter(pk=2).values().get(), "detail": "伪造"}
    forged_hash = entry_hash(forged)
    tamper("UPDATE audit_auditentry SET detail = %s, hash = %s WHERE id = %s", ["伪造", forged_hash, 2])
    assert entries[2].prev_hash != forged_hash
    assert audit_verify().message == "第 3 条记录与前一条的链接不符（前一条记录疑似被改写）"


def test_audit_verify_entry_appended_behind_the_head_is_reported():
    _chain(2)
    tamper("UPDATE audit_audithead SET last_id = 9 WHERE id = 1")
    assert audit_verify().message == "最新记录缺失（链尾与链头不符）"


def test_entry_hash_same_after_database_round_trip():
    moment = dt.datetime(2018, 8, 8, 9, 30, 15, 123456, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with clock.frozen(moment):
        entry = audit_record(
            actor=None,
            username="张三",
            action="test.round_trip",
            ip="2001:0db8:0000:0000:0000:0000:0000:0001",
            before={
                "z": 1,
                "a": [1, 2, {"y": "乙", "b": None}],
                "f": 2.5,
                "tenth": 0.1,
                "tiny": 1.5e-7,
                "big": 1e20,
                "huge_int": 2**70,
                "when": moment,
                "line": 'a\u2028b\n"q"',
            },
            after={"中文": "值", "true": True},
            detail="往返",
        )
    stored = AuditEntry.objects.values(*hashing.HASHED_FIELDS, "hash").get(pk=entry.pk)
    assert stored["ip"] == "2001:db8::1"
    assert stored["at"] == moment
    assert stored["before"]["big"] == 10**20
    assert entry_hash(stored) == stored["hash"] == entry.hash
    assert audit_verify().ok


@pytest.mark.parametrize(
    "ip", ["::1", "::", "2001:db8::", "2001:db8:0:0:1:0:0:1", "1:0:0:0:0:0:0:8", "::1.2.3.4", "fe80::1%eth0", "1.2.3.4"]
)
def test_entry_hash_same_after_round_trip_for_ip_forms(ip):
    entry = audit_record(actor=None, action="test.ip", ip=ip)
    stored = AuditEntry.objects.values(*hashing.HASHED_FIELDS, "hash").get(pk=entry.pk)
    assert entry_hash(stored) == entry.hash


def test_audit_record_normalises_mapped_ipv4_and_drops_garbage():
    mapped = audit_record(actor=None, action="test.ip", ip="::ffff:10.1.2.3")
    garbage = audit_record(actor=None, action="test.ip", ip="not-an-ip")
    assert AuditEntry.objects.get(pk=mapped.pk).ip == "10.1.2.3"
    assert AuditEntry.objects.get(pk=garbage.pk).ip is None
    assert audit_verify().ok


def test_audit_record_cuts_overlong_text_before_hashing():
    entry = audit_record(actor=None, action="test.long", detail="长" * 600, username="u" * 200, before={"x": "a\x00b"})
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (len(stored.detail), len(stored.actor_username), stored.before) == (500, 150, {"x": "ab"})
    assert audit_verify().ok


def test_audit_record_keeps_non_finite_numbers_as_text():
    entry = audit_record(actor=None, action="test.nan", after={"x": float("inf")})
    assert AuditEntry.objects.get(pk=entry.pk).after == {"x": "inf"}
    assert audit_verify().ok


def test_audit_record_names_the_actor_and_object(people):
    entry = audit_record(actor=people.auditor, action="test.actor", obj=people.own_clerk)
    assert (entry.actor_username, entry.role, entry.object_type, entry.object_id) == (
        "auditor",
        "审计管理员",
        "accounts.user",
        str(people.own_clerk.pk),
    )


def test_model_snapshot_formats_dates_and_foreign_keys(people):
    clerk = people.own_clerk
    snap = model_snapshot(clerk, ["username", "person", "date_joined"])
    assert snap["username"] == "clerk_a1"
    assert snap["person"] == clerk.person_id
    assert snap["date_joined"].endswith("+08:00")


def test_sm3_openssl_and_gmssl_agree():
    data = "审计链 audit chain".encode()
    assert hashing._sm3_openssl(data) == hashing._sm3_gmssl(data)
    assert hashing._sm3_gmssl(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_canonical_accepts_naive_and_text_times():
    naive = {"at": dt.datetime(2018, 8, 8, 1, 0)}
    text = {"at": "2018-08-08T09:00:00+08:00"}
    assert hashing.canonical(naive) == hashing.canonical(text)
    assert b'"at":"2018-08-08T01:00:00.000000Z"' in hashing.canonical(naive)
    assert b'"at":null' in hashing.canonical({})
