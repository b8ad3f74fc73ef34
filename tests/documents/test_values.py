"""Stored form values as printed: codes to labels, 1980.05, honours lines, masking."""

from zuofeng.documents.values import field_lines, field_text, is_private, month_text

PHONE = {"key": "phone", "type": "phone"}
BIRTH = {"key": "birth_month", "type": "month"}


def test_codes_print_as_labels():
    assert field_lines({"key": "gender", "type": "gender"}, "2") == ["女"]
    assert field_lines({"key": "political_status", "type": "political_status"}, "12") == ["无党派人士"]
    assert field_lines({"key": "political_status"}, "群众") == ["群众"]


def test_months_print_in_cadre_form_style():
    assert [month_text(v) for v in ("1980-05", "1980.5", "1980年5月", "不详")] == [
        "1980.05",
        "1980.05",
        "1980.05",
        "不详",
    ]


def test_dates_print_in_chinese():
    assert field_lines({"key": "started_on", "type": "date"}, "2018-08-08") == ["2018年8月8日"]
    assert field_lines({"key": "started_on", "type": "date"}, "八月") == ["八月"]


def test_honours_print_one_line_each():
    honours = [
        {"year": 2017, "honour": "获区优秀公务员", "body": "武进区委"},
        {"year": "", "honour": "三八红旗手"},
        "自由填写",
    ]
    assert field_lines({"key": "honours", "type": "honours"}, honours) == [
        "2017年 获区优秀公务员（武进区委）",
        "获三八红旗手",
        "自由填写",
    ]


def test_text_keeps_line_breaks_and_empty_is_nothing():
    assert field_text({"key": "main_text", "type": "textarea"}, "第一段\r\n第二段  ") == "第一段\n第二段"
    assert field_lines({"key": "name"}, None) == [] and field_lines({"key": "name"}, "") == []
    assert field_lines({"key": "headcount", "type": "number"}, 12) == ["12"]


def test_masking_phone_and_birth_only():
    assert field_lines(PHONE, "0519-86310060", masked=True) == ["051****0060"]
    assert field_lines(BIRTH, "1980-05", masked=True) == ["****.**"]
    assert field_lines({"key": "name"}, "王五", masked=True) == ["王五"]
    assert (is_private(PHONE), is_private(BIRTH), is_private({"key": "name"})) == (True, True, False)
