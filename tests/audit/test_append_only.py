import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from tests.audit.helpers import tamper
from zuofeng.audit import db_guard
from zuofeng.audit.models import AuditEntry, AuditHead
from zuofeng.audit.services import audit_record
from zuofeng.audit.verify import audit_verify


@pytest.fixture
def entry(db):
    audit_record(actor=None, action="test.first")
    return audit_record(actor=None, action="test.second", detail="原文")


def _raw(sql: str, params: list) -> str:
    with pytest.raises(DatabaseError) as refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return str(refused.value)


def test_model_save_of_existing_entry_refused(entry):
    entry.detail = "改"
    with pytest.raises(PermissionError, match="审计日志只能追加，不能修改"):
        entry.save()


def test_model_delete_refused(entry):
    with pytest.raises(PermissionError, match="审计日志只能追加，不能删除"):
        entry.delete()


def test_queryset_update_refused(entry):
    with pytest.raises(PermissionError, match="不能修改"):
        AuditEntry.objects.filter(pk=entry.pk).update(detail="改")


def test_queryset_delete_refused(entry):
    with pytest.raises(PermissionError, match="不能删除"):
        AuditEntry.objects.all().delete()


def test_loaded_entry_cannot_be_saved_again(entry):
    loaded = AuditEntry.objects.get(pk=entry.pk)
    with pytest.raises(PermissionError):
        loaded.save()


def test_database_refuses_raw_update(entry):
    assert "审计日志只能追加" in _raw("UPDATE audit_auditentry SET detail = %s WHERE id = %s", ["改", entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).detail == "原文"


def test_database_refuses_raw_delete(entry):
    assert "审计日志只能追加" in _raw("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.count() == 2


def test_database_refuses_winding_the_head_back(entry):
    assert "审计链头" in _raw("UPDATE audit_audithead SET last_id = %s, count = %s WHERE id = 1", [1, 1])
    assert "审计链头" in _raw("DELETE FROM audit_audithead WHERE id = %s", [1])
    assert AuditHead.objects.get(pk=1).last_id == entry.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
def test_database_refuses_truncate(entry):
    assert "审计日志只能追加" in _raw("TRUNCATE audit_auditentry", [])
    assert "审计日志只能追加" in _raw("TRUNCATE audit_audithead", [])
    assert AuditEntry.objects.count() == 2


def test_guard_is_back_after_simulated_tampering(entry):
    tamper("UPDATE audit_auditentry SET detail = %s WHERE id = %s", ["改", entry.pk])
    assert "审计日志只能追加" in _raw("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])


def test_migration_removes_and_reinstalls_guard(entry):
    db_guard.remove(connection)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET detail = %s WHERE id = %s", ["改", entry.pk])
    db_guard.install(connection)
    assert "审计日志只能追加" in _raw("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_trail_and_keeps_the_guard():
    audit_record(actor=None, action="test.flush")
    call_command("flush", interactive=False, verbosity=0)
    assert (AuditEntry.objects.count(), AuditHead.objects.count()) == (0, 0)
    audit_record(actor=None, action="test.after_flush")
    assert audit_verify().message == "审计链完整：共 1 条"
    assert "审计日志只能追加" in _raw("DELETE FROM audit_auditentry", [])
