"""条线关系 are edited in place (stale edits refused) and imported from an Excel sheet through the shared
safe reader: every row checked, errors named by the sheet's row in Chinese, nothing saved unless all are good."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tests.supervision.test_lines import town_office  # noqa: F401 (fixture)
from zuofeng.audit.models import AuditEntry
from zuofeng.supervision.models import LineLink

MANAGE = "/supervision/lines/manage/"
API = "/api/supervision/lines"


def workbook(*rows, header=("主管部门编码", "单位编码", "条线名称"), title="条线关系") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(["武进区条线关系表"])  # a title row above the header, as offices send it
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("条线.xlsx", out.getvalue())


def test_the_office_edits_a_link_and_a_stale_edit_is_refused(town_office, org, people, client_for):  # noqa: F811
    link = LineLink.objects.get()
    url = f"/supervision/lines/manage/{link.pk}/edit/"
    office = client_for(people.office)
    assert office.get(url).status_code == 200
    body = {"department": org.dept_b.pk, "unit": town_office.pk, "line": "商务", "version": 1}
    for user in (people.reviewer, people.own_clerk, people.judge, people.auditor):
        assert client_for(user).post(url, body).status_code == 403, user
    same = office.post(url, {**body, "unit": org.dept_b.pk})
    assert same.context["form"].errors["unit"] == ["基层单位不能是主管部门本身。"]
    assert office.post(url, body).status_code == 302
    link.refresh_from_db()
    assert (link.department, link.line, link.version) == (org.dept_b, "商务", 2)
    assert AuditEntry.objects.filter(action="line.edit").count() == 1
    stale = office.post(url, {**body, "line": "财政"})
    assert stale.status_code == 400
    assert "该条线关系已被他人修改，请刷新后再改。" in stale.content.decode()
    link.refresh_from_db()
    assert link.line == "商务"


def test_the_api_edits_a_link(town_office, org, people, client_for):  # noqa: F811
    link = LineLink.objects.get()
    body = {"department": org.dept_b.pk, "unit": town_office.pk, "line": "商务", "version": 1}
    patch = f"{API}/{link.pk}"
    assert client_for(people.reviewer).patch(patch, body, content_type="application/json").status_code == 403
    response = client_for(people.office).patch(patch, body, content_type="application/json")
    assert (response.status_code, response.json()["line"], response.json()["version"]) == (200, "商务", 2)
    stale = client_for(people.office).patch(patch, body, content_type="application/json")
    assert (stale.status_code, stale.json()["detail"]) == (409, "该条线关系已被他人修改，请刷新后再改。")
    assert client_for(people.office).patch(f"{API}/999999", body, content_type="application/json").status_code == 404


def test_an_excel_import_with_a_bad_row_saves_nothing(town_office, org, people, client_for):  # noqa: F811
    upload = workbook(
        ("D02", "D02S01", "商务"), ("D02", "NOPE", "商务"), ("D01", "T01F", "财政"), ("D02", "D01S01", "")
    )
    response = client_for(people.office).post(MANAGE, {"action": "excel", "file": upload})
    assert response.status_code == 400
    assert response.context["excel_form"].errors["file"] == [
        "第 4 行：没有编码为“NOPE”的单位。",
        "第 5 行：该条线关系已存在。",
        "第 6 行：请填写条线名称。",
    ]
    assert LineLink.objects.count() == 1


def test_an_excel_import_adds_every_row(town_office, org, people, client_for):  # noqa: F811
    upload = workbook(("D02", "D02S01", "商务"), ("D02", "D01S01", "商务"), ("填表人：张三",))
    response = client_for(people.office).post(MANAGE, {"action": "excel", "file": upload})
    assert response.status_code == 302
    assert sorted(LineLink.objects.values_list("unit__code", "line")) == [
        ("D01S01", "商务"),
        ("D02S01", "商务"),
        ("T01F", "财政"),
    ]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: workbook(("D02", "D02S01", "商务"), header=("部门编码", "单位编码", "备注"), title="Sheet"),
            "第 2 行「备注」：无法识别表头「备注」；应为：部门编码*、单位编码*、条线*（请改成其中之一，或删除此列）",
        ),
        (lambda: SimpleUploadedFile("x.xlsx", b"not a workbook"), None),
    ],
)
def test_a_wrong_file_is_refused_in_chinese(town_office, people, client_for, upload, message):  # noqa: F811
    response = client_for(people.office).post(MANAGE, {"action": "excel", "file": upload()})
    assert response.status_code == 400
    errors = response.context["excel_form"].errors["file"]
    if message:
        assert message in errors
    else:
        assert errors[0].startswith("不是有效的 Excel 文件")
    assert LineLink.objects.count() == 1


def test_the_api_imports_an_excel_file_only_for_the_office(town_office, people, client_for):  # noqa: F811
    url = f"{API}/import-xlsx"
    assert client_for(people.reviewer).post(url, {"file": workbook(("D02", "D02S01", "商务"))}).status_code == 403
    bad = client_for(people.office).post(url, {"file": workbook(("D02", "NOPE", "商务"))})
    assert (bad.status_code, bad.json()["errors"]) == (400, {"file": ["第 3 行：没有编码为“NOPE”的单位。"]})
    ok = client_for(people.sysadmin).post(url, {"file": workbook(("D02", "D02S01", "商务"))})
    assert (ok.status_code, ok.json()) == (200, {"added": 1})
