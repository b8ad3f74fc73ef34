import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from zuofeng.audit import db_guard
from zuofeng.audit.labels import action_label, field_label, object_type_label
from zuofeng.audit.models import AuditEntry
from zuofeng.audit.selectors import audit_entry_get, audit_entry_list, diff_rows
from zuofeng.audit.services import model_snapshot
from zuofeng.audit.templatetags.audit_tags import audit_time, json_value


def test_action_label_known_and_unknown():
    assert (action_label("auth.login"), action_label("x.unknown")) == ("登录", "其他操作")


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("accounts.user", "账号"),
        ("organisation.unit", "单位"),
        ("nosuch.model", "其他对象"),
        ("plain", "其他对象"),
        ("", ""),
    ],
)
def test_object_type_label(code, label):
    assert object_type_label(code) == label


def test_audit_time_shows_local_seconds():
    moment = dt.datetime(2018, 8, 8, 1, 2, 3, tzinfo=dt.UTC)
    assert (audit_time(moment), audit_time(None)) == ("2018年8月8日 09:02:03", "")


def test_json_value_renders_none_text_and_structures():
    assert (json_value(None), json_value("文字"), json_value({"b": [1], "a": "乙"})) == (
        "—",
        "文字",
        '{"a": "乙", "b": [1]}',
    )


def test_diff_rows_lists_added_and_removed_fields():
    entry = AuditEntry(before={"a": 1, "gone": 2}, after={"a": 1, "new": 3})
    assert [(r["field"], r["changed"]) for r in diff_rows(entry)] == [("a", False), ("gone", True), ("new", True)]


def test_diff_rows_of_non_dict_data_is_one_row():
    entry = AuditEntry(before=None, after=[1, 2])
    assert diff_rows(entry) == [{"field": "", "label": "", "before": {}, "after": [1, 2], "changed": True}]


def test_diff_rows_without_data_is_empty():
    assert diff_rows(AuditEntry()) == []


def test_field_label_from_the_model_or_as_recorded():
    assert (field_label("accounts.user", "username"), field_label("accounts.user", "nope")) == ("用户名", "nope")
    assert field_label("", "x") == "x"


def test_model_snapshot_formats_plain_dates():
    policy = type("Obj", (), {"_meta": AuditEntry._meta, "at": dt.date(2018, 8, 8)})()
    assert model_snapshot(policy, ["at"]) == {"at": "2018-08-08"}


def test_selectors_refuse_non_auditors(people):
    with pytest.raises(PermissionDenied):
        audit_entry_list(actor=people.office)
    with pytest.raises(PermissionDenied):
        audit_entry_get(actor=people.secadmin, pk=1)


def test_guard_suspension_without_audit_table_does_nothing():
    class NoTables:
        vendor = "sqlite"

        class introspection:
            @staticmethod
            def table_names():
                return []

    with db_guard.suspended(NoTables()):
        pass
