import csv
import datetime as dt
import io

import openpyxl
import pytest

from tests.audit.helpers import tamper
from zuofeng.audit.models import AuditEntry
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.organisation.models import Unit

CST = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def trail(people):
    with clock.frozen(dt.datetime(2018, 8, 8, 9, 0, tzinfo=CST)):
        audit_record(
            actor=people.sysadmin,
            action="unit.update",
            obj=people.own_clerk.person.unit,
            ip="10.0.0.1",
            before={"name": "旧名", "order": 1},
            after={"name": "新名", "order": 1},
        )
    with clock.frozen(dt.datetime(2018, 8, 9, 10, 0, tzinfo=CST)):
        audit_record(
            actor=None,
            username="intruder",
            action="auth.login",
            result="failed",
            ip="10.0.0.2",
            detail='=HYPERLINK("x")',
        )
    with clock.frozen(dt.datetime(2018, 8, 10, 11, 0, tzinfo=CST)):
        audit_record(actor=people.own_clerk, action="auth.login", ip="10.0.0.3")
    return people


def _ids(response) -> list[int]:
    return [entry.pk for entry in response.context["page"]]


@pytest.mark.parametrize("url", ["/audit/", "/audit/1/", "/audit/export/?format=xlsx", "/audit/export/?format=csv"])
@pytest.mark.parametrize("who", ["own_clerk", "office", "sysadmin", "secadmin", "reviewer"])
def test_audit_pages_refuse_everyone_but_the_auditor(trail, client_for, who, url):
    user = getattr(trail, who)
    response = client_for(user).get(url)
    assert response.status_code == 403
    last = AuditEntry.objects.order_by("-id").first()
    assert (last.actor_username, last.result, last.action.startswith("audit.")) == (user.username, "denied", True)


def test_verify_refused_to_others_and_audited(trail, client_for):
    response = client_for(trail.office).post("/audit/verify/")
    assert response.status_code == 403
    last = AuditEntry.objects.order_by("-id").first()
    assert (last.action, last.result) == ("audit.verify", "denied")


def test_audit_list_anonymous_goes_to_login(client, db):
    response = client.get("/audit/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/audit/")


def test_audit_list_newest_first_and_reading_is_audited(trail, client_for):
    response = client_for(trail.auditor).get("/audit/")
    assert response.status_code == 200
    assert _ids(response) == [4, 3, 2, 1]
    reading = AuditEntry.objects.get(pk=4)
    assert (reading.actor_username, reading.action, reading.result, reading.detail) == (
        "auditor",
        "audit.view",
        "success",
        "无筛选",
    )
    page = response.content.decode()
    assert "2018年8月10日 11:00:00" in page
    assert "至少保存 190 天（不少于六个月" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date_from=2018-08-09&date_to=2018-08-09", [2]),
        ("date_from=2018-08-09", [4, 3, 2]),  # 4 is this reading itself
        ("account=clerk_a1", [3]),
        ("account=intr", [2]),
        ("action=auth.login", [3, 2]),
        ("result=failed", [2]),
        ("object_type=organisation.unit", [1]),
        ("ip=10.0.0.3", [3]),
    ],
)
def test_audit_list_filters(trail, client_for, query, expected):
    response = client_for(trail.auditor).get(f"/audit/?{query}")
    assert _ids(response) == expected


def test_audit_list_filter_by_object_id(trail, client_for):
    unit = trail.own_clerk.person.unit
    response = client_for(trail.auditor).get(f"/audit/?object_type=organisation.unit&object_id={unit.pk}")
    assert _ids(response) == [1]


def test_audit_list_bad_filters_shown_at_the_field(trail, client_for):
    response = client_for(trail.auditor).get("/audit/?date_from=2018-08-10&date_to=2018-08-01&ip=999.1.1.1")
    form = response.context["form"]
    assert form.errors == {
        "date_to": ["结束日期不能早于开始日期。"],
        "ip": ["IP地址格式不正确，例如 192.168.1.10。"],
    }
    assert 'value="999.1.1.1"' in response.content.decode()


def test_audit_list_paginates_fifty_a_page(people, client_for):
    for i in range(60):
        audit_record(actor=None, action="test.many", detail=str(i))
    client = client_for(people.auditor)
    first = client.get("/audit/?action=test.many")
    second = client.get("/audit/?action=test.many&page=2")
    assert (len(_ids(first)), len(_ids(second))) == (50, 10)
    assert "action=test.many&amp;page=2" in first.content.decode()


def test_audit_detail_shows_before_after_diff_and_is_audited(trail, client_for):
    response = client_for(trail.auditor).get("/audit/1/")
    assert response.status_code == 200
    name, order = (str(Unit._meta.get_field(f).verbose_name) for f in ("name", "order"))
    assert response.context["rows"] == [
        {"field": "name", "label": name, "before": "旧名", "after": "新名", "changed": True},
        {"field": "order", "label": order, "before": 1, "after": 1, "changed": False},
    ]
    page = response.content.decode()
    assert f'<tr class="table-warning"><td>{name}</td><td>旧名</td><td>新名</td></tr>' in page
    reading = AuditEntry.objects.order_by("-id").first()
    assert (reading.action, reading.object_type, reading.object_id) == ("audit.view_entry", "audit.auditentry", "1")


def test_audit_detail_unknown_entry_is_404(trail, client_for):
    assert client_for(trail.auditor).get("/audit/999/").status_code == 404


def test_export_xlsx_has_chinese_headers_frozen_row_and_filtered_rows(trail, client_for):
    response = client_for(trail.auditor).get("/audit/export/?format=xlsx&action=auth.login")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "filename*=utf-8''%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97_" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["审计日志"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:13] == (
        "序号",
        "时间",
        "账号",
        "姓名",
        "角色",
        "IP地址",
        "操作",
        "操作代码",
        "对象类型",
        "对象ID",
        "对象",
        "结果",
        "说明",
    )
    assert sheet.freeze_panes == "A2"
    assert [row[0] for row in rows[1:]] == [3, 2]
    assert rows[1][1] == dt.datetime(2018, 8, 10, 11, 0)
    assert rows[1][2:8] == ("clerk_a1", "clerk_a1姓名", "科室填报员", "10.0.0.3", "登录", "auth.login")
    assert rows[2][11:13] == ("失败", '=HYPERLINK("x")')
    export = AuditEntry.objects.order_by("-id").first()
    assert (export.action, export.detail) == ("audit.export", "导出 XLSX，共 2 条；操作=auth.login")


def test_export_csv_has_bom_and_neutralises_formulas(trail, client_for):
    response = client_for(trail.auditor).get("/audit/export/?format=csv&date_to=2018-08-09")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff序号,时间,账号")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert [row[0] for row in rows[1:]] == ["2", "1"]
    assert rows[1][1] == "2018-08-09 10:00:00"
    assert rows[1][12] == '\'=HYPERLINK("x")'
    assert rows[2][13] == '{"name": "旧名", "order": 1}'


def test_export_with_bad_filters_goes_back_to_the_list(trail, client_for):
    response = client_for(trail.auditor).get("/audit/export/?format=csv&ip=bad")
    assert (response.status_code, response["Location"]) == (302, "/audit/?format=csv&ip=bad")


def test_export_unknown_format_is_404(trail, client_for):
    assert client_for(trail.auditor).get("/audit/export/?format=pdf").status_code == 404


def test_export_refuses_more_rows_than_excel_holds(trail, client_for, monkeypatch):
    monkeypatch.setattr("zuofeng.audit.export.XLSX_MAX_ROWS", 2)
    response = client_for(trail.auditor).get("/audit/export/?format=xlsx", follow=True)
    assert "超过 Excel 单表上限" in response.content.decode()


def test_verify_button_reports_intact_chain_and_is_audited(trail, client_for):
    response = client_for(trail.auditor).post("/audit/verify/")
    assert response.status_code == 200
    assert "审计链完整：共 3 条" in response.content.decode()
    last = AuditEntry.objects.order_by("-id").first()
    assert (last.action, last.result, last.detail) == ("audit.verify", "success", "审计链完整：共 3 条")


def test_verify_button_reports_first_break_with_link(trail, client_for):
    tamper("UPDATE audit_auditentry SET detail = %s WHERE id = %s", ["改", 2])
    response = client_for(trail.auditor).post("/audit/verify/")
    page = response.content.decode()
    assert "第 2 条记录内容被修改（哈希不符）" in page
    assert 'href="/audit/2/"' in page
    last = AuditEntry.objects.order_by("-id").first()
    assert (last.action, last.result) == ("audit.verify", "failed")


def test_verify_needs_post(trail, client_for):
    assert client_for(trail.auditor).get("/audit/verify/").status_code == 405
