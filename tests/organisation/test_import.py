import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from zuofeng.audit.models import AuditEntry
from zuofeng.core.safe_xlsx import NOT_EXCEL
from zuofeng.organisation.import_template import import_template
from zuofeng.organisation.importer import organisation_import
from zuofeng.organisation.models import Gender, Person, Unit

UNIT_HEADER = ["单位编码*", "单位全称*", "简称", "类型*", "上级单位编码", "同级排序", "职能"]
PERSON_HEADER = ["所在单位编码*", "姓名*", "性别", "职务", "联系电话", "电子邮箱", "排序"]
GOOD_UNITS = [
    # the section comes before its parent on purpose
    ["D10S01", "办公室", "", "内设科室", "D10", 1, ""],
    ["D10", "武进区示例局", "区示例局", "区级机关部门", "", 10.0, ""],
    ["D10X01", "示例服务中心", "", "下属单位", "D10", "", "审批、服务"],
]
GOOD_PEOPLE = [
    ["D10", "张三丰", "男", "局长", "13900009901", "", 1],
    ["D10S01", "李四娘", "女", "主任", 13900009902, "li@example.cn", ""],
]


def workbook(units=None, people=None, unit_header=UNIT_HEADER, person_header=PERSON_HEADER) -> SimpleUploadedFile:
    book = Workbook()
    book.remove(book.active)
    if units is not None:
        sheet = book.create_sheet("单位")
        sheet.append(unit_header)
        for row in units:
            sheet.append(row)
    if people is not None:
        sheet = book.create_sheet("人员")
        sheet.append(person_header)
        for row in people:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("导入.xlsx", buffer.getvalue())


def messages(result) -> list[str]:
    return [str(e) for e in result.errors]


def counts() -> tuple[int, int, int]:
    return Unit.objects.count(), Person.objects.count(), AuditEntry.objects.count()


def test_import_success_with_parent_after_child(people):
    result = organisation_import(actor=people.sysadmin, uploaded=workbook(GOOD_UNITS, GOOD_PEOPLE))
    assert result.ok
    assert result.counts == {
        "units": {"created": 3, "updated": 0, "unchanged": 0},
        "people": {"created": 2, "updated": 0, "unchanged": 0},
    }
    dept = Unit.objects.get(code="D10")
    section = Unit.objects.get(code="D10S01")
    centre = Unit.objects.get(code="D10X01")
    assert section.parent == dept
    assert (section.path, section.sort_key) == (f"{dept.path}{section.pk}/", "00010.00001")
    assert (centre.functions, centre.order) == (["approval", "service"], 2)
    li = Person.objects.get(name="李四娘")
    assert (li.unit, li.gender, li.phone, li.email) == (section, Gender.FEMALE, "13900009902", "li@example.cn")
    entry = AuditEntry.objects.filter(action="organisation.import").get()
    assert (
        entry.detail
        == "导入.xlsx：已读取工作表「单位」「人员」；单位：新增 3、更新 0、未变 0；人员：新增 2、更新 0、未变 0"
    )


def test_import_same_file_twice_creates_no_duplicates(people):
    organisation_import(actor=people.sysadmin, uploaded=workbook(GOOD_UNITS, GOOD_PEOPLE))
    before = (Unit.objects.count(), Person.objects.count())
    result = organisation_import(actor=people.sysadmin, uploaded=workbook(GOOD_UNITS, GOOD_PEOPLE))
    assert (Unit.objects.count(), Person.objects.count()) == before
    assert result.counts == {
        "units": {"created": 0, "updated": 0, "unchanged": 3},
        "people": {"created": 0, "updated": 0, "unchanged": 2},
    }


def test_import_updates_existing_unit_by_code(people, org):
    rows = [["D02S01", "对外贸易科", "", "内设科室", "D01", 3, ""]]
    result = organisation_import(actor=people.sysadmin, uploaded=workbook(rows, []))
    org.section_b1.refresh_from_db()
    assert result.counts["units"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert (org.section_b1.name, org.section_b1.parent, org.section_b1.sort_key) == (
        "对外贸易科",
        org.dept_a,
        "00001.00003",
    )


def test_import_person_into_existing_unit_updates_position(people, org):
    organisation_import(actor=people.sysadmin, uploaded=workbook(None, [["D02S01", "王五", "男", "科员", "", "", 1]]))
    result = organisation_import(
        actor=people.sysadmin, uploaded=workbook(None, [["D02S01", "王五", "男", "副科长", "", "", 1]])
    )
    assert result.counts["people"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert Person.objects.get(name="王五").position == "副科长"


BAD_CASES = [
    (["", "无编码单位", "", "区级机关部门", "", 1, ""], "第 2 行「单位编码」：不能为空"),
    (
        ["D 1", "坏编码", "", "区级机关部门", "", 1, ""],
        "第 2 行「单位编码」：「D 1」只能由字母、数字、“-”、“_”组成，最长 32 位",
    ),
    (["D11", "", "", "区级机关部门", "", 1, ""], "第 2 行「单位全称」：不能为空"),
    (
        ["D11", "某局", "", "局", "", 1, ""],
        "第 2 行「类型」：「局」无法识别，应为：区级机关部门、镇、街道、开发区、内设科室、下属单位",
    ),
    (["D11", "某局", "", "", "", 1, ""], "第 2 行「类型」：不能为空"),
    (["D11", "某科", "", "内设科室", "X99", 1, ""], "第 2 行「上级单位编码」：「X99」在文件和系统中都不存在"),
    (["D11", "某科", "", "内设科室", "D11", 1, ""], "第 2 行「上级单位编码」：不能是本单位"),
    (["D11", "某局", "", "区级机关部门", "", "第一", ""], "第 2 行「同级排序」：「第一」应为不小于 0 的整数"),
    (
        ["D11", "某中心", "", "下属单位", "", 1, "审批、收费"],
        "第 2 行「职能」：「收费」无法识别，应为：审批、监管、服务",
    ),
    (["D11", "某局" * 51, "", "区级机关部门", "", 1, ""], "第 2 行「单位全称」：不能超过 100 个字"),
    (["D11", "某局", "简" * 51, "区级机关部门", "", 1, ""], "第 2 行「简称」：不能超过 50 个字"),
]


@pytest.mark.parametrize(("row", "message"), BAD_CASES)
def test_import_unit_error_reported_and_nothing_saved(people, row, message):
    before = counts()
    result = organisation_import(actor=people.sysadmin, uploaded=workbook([row, *GOOD_UNITS], GOOD_PEOPLE))
    assert messages(result) == [message]
    assert counts() == before


def test_import_duplicate_code_in_file(people):
    rows = [*GOOD_UNITS, ["D10", "另一个局", "", "区级机关部门", "", 11, ""]]
    result = organisation_import(actor=people.sysadmin, uploaded=workbook(rows))
    assert messages(result) == ["第 5 行「单位编码」：「D10」与第 3 行重复"]


def test_import_cycle_in_file(people):
    rows = [["A1", "甲", "", "内设科室", "A2", 1, ""], ["A2", "乙", "", "内设科室", "A1", 1, ""]]
    result = organisation_import(actor=people.sysadmin, uploaded=workbook(rows))
    assert messages(result) == [
        "第 2 行「上级单位编码」：上下级关系形成循环：A1 → A2 → A1",
        "第 3 行「上级单位编码」：上下级关系形成循环：A2 → A1 → A2",
    ]


def test_import_cycle_with_existing_units(people, org):
    # moving 区财政局 under its own section would make a loop through the database
    rows = [["D01", "武进区财政局", "区财政局", "区级机关部门", "D01S01", 1, ""]]
    result = organisation_import(actor=people.sysadmin, uploaded=workbook(rows))
    assert messages(result) == ["第 2 行「上级单位编码」：上下级关系形成循环：D01 → D01S01 → D01"]


PERSON_CASES = [
    (["D99", "某人", "男", "科员", "13900001111", "", 1], "第 2 行「所在单位编码」：「D99」在文件和系统中都不存在"),
    (["", "某人", "男", "科员", "13900001111", "", 1], "第 2 行「所在单位编码」：不能为空"),
    (["D10", "", "男", "科员", "13900001111", "", 1], "第 2 行「姓名」：不能为空"),
    (["D10", "某人", "公", "科员", "13900001111", "", 1], "第 2 行「性别」：「公」应为“男”或“女”"),
    (
        ["D10", "某人", "男", "科员", "1390000", "", 1],
        "第 2 行「联系电话」：「1390000」应为 11 位手机号码或带区号的固定电话（如 0519-86300000）",
    ),
    (["D10", "某人", "男", "科员", "", "not-mail", 1], "第 2 行「电子邮箱」：「not-mail」不是有效的电子邮箱地址"),
    (["D10", "某人", "男", "科员", "", "", -1], "第 2 行「排序」：「-1」应为不小于 0 的整数"),
    (["D10", "某" * 51, "男", "科员", "", "", 1], "第 2 行「姓名」：不能超过 50 个字"),
    (["D10", "某人", "男", "职" * 101, "", "", 1], "第 2 行「职务」：不能超过 100 个字"),
]


@pytest.mark.parametrize(("row", "message"), PERSON_CASES)
def test_import_person_error_reported_and_nothing_saved(people, row, message):
    before = counts()
    result = organisation_import(actor=people.sysadmin, uploaded=workbook(GOOD_UNITS, [row, *GOOD_PEOPLE]))
    assert messages(result) == [message]
    assert counts() == before


def test_import_duplicate_person_in_file(people):
    rows = [*GOOD_PEOPLE, ["D10", "张三丰", "男", "副局长", "13900009901", "", 2]]
    result = organisation_import(actor=people.sysadmin, uploaded=workbook(GOOD_UNITS, rows))
    assert messages(result) == ["第 4 行「姓名」：与第 2 行是同一人（所在单位编码、姓名、联系电话都相同）"]


def test_import_reports_every_error_at_once(people):
    units = [["", "甲", "", "局", "", "x", ""], *GOOD_UNITS]
    persons = [["D10", "某人", "公", "", "123", "", ""]]
    result = organisation_import(actor=people.sysadmin, uploaded=workbook(units, persons))
    assert [(e.sheet, str(e)) for e in result.errors] == [
        ("单位", "第 2 行「单位编码」：不能为空"),
        ("单位", "第 2 行「类型」：「局」无法识别，应为：区级机关部门、镇、街道、开发区、内设科室、下属单位"),
        ("单位", "第 2 行「同级排序」：「x」应为不小于 0 的整数"),
        ("人员", "第 2 行「性别」：「公」应为“男”或“女”"),
        ("人员", "第 2 行「联系电话」：「123」应为 11 位手机号码或带区号的固定电话（如 0519-86300000）"),
    ]


def test_import_missing_required_column(people):
    result = organisation_import(
        actor=people.sysadmin,
        uploaded=workbook([["D10", "某局", "区级机关部门"]], unit_header=["单位编码", "单位全称", "种类"]),
    )
    expected = "单位编码*、单位全称*、简称、类型*、上级单位编码、同级排序、职能"
    assert messages(result) == [
        f"第 1 行「种类」：无法识别表头「种类」；应为：{expected}（请改成其中之一，或删除此列）",
        f"第 1 行「类型」：缺少此列；表头应为：{expected}",
    ]


def test_import_not_an_excel_file(people):
    result = organisation_import(actor=people.sysadmin, uploaded=SimpleUploadedFile("a.xlsx", b"not a zip"))
    assert messages(result) == ["第 1 行「文件」：" + NOT_EXCEL]


def test_import_workbook_without_known_sheets(people):
    book = Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    result = organisation_import(actor=people.sysadmin, uploaded=SimpleUploadedFile("a.xlsx", buffer.getvalue()))
    assert messages(result) == ["第 1 行「工作表」：文件中没有「单位」或「人员」工作表，也没有哪张表的表头像这两张表"]


def test_import_refused_for_office_and_audited(people):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        organisation_import(actor=people.office, uploaded=workbook(GOOD_UNITS))
    assert AuditEntry.objects.filter(action="organisation.import", result="denied").count() == 1


def test_import_template_round_trips(people):
    book = load_workbook(io.BytesIO(import_template()))
    assert book.sheetnames == ["单位", "人员", "填写说明"]
    assert [c.value for c in book["单位"][1]] == UNIT_HEADER
    assert [c.value for c in book["人员"][1]] == PERSON_HEADER
    validations = {str(v.sqref): v.formula1 for v in book["单位"].data_validations.dataValidation}
    assert validations["D2:D2001"] == '"区级机关部门,镇,街道,开发区,内设科室,下属单位"'
    before = counts()
    result = organisation_import(actor=people.sysadmin, uploaded=SimpleUploadedFile("t.xlsx", import_template()))
    assert messages(result) == ["第 2 行「整行」：没有数据（模板示例行不会导入）"]
    assert not Unit.objects.filter(name__contains="示例").exists()
    assert counts() == before


def test_import_template_example_rows_skipped_and_reported(people):
    """The template sent back with its grey example rows left in: only the real rows are imported."""
    book = load_workbook(io.BytesIO(import_template()))
    book["单位"].append(["D11", "武进区真实局", "", "区级机关部门", "", 11, ""])
    book["人员"].append(["D11", "王真实", "男", "局长", "13900001111", "", 1])
    buffer = io.BytesIO()
    book.save(buffer)
    result = organisation_import(actor=people.sysadmin, uploaded=SimpleUploadedFile("t.xlsx", buffer.getvalue()))
    assert result.summary() == (
        "已读取工作表「单位」「人员」；单位：新增 1、更新 0、未变 0；人员：新增 1、更新 0、未变 0；"
        "单位表跳过模板示例行 4 行；人员表跳过模板示例行 2 行"
    )
    assert not Unit.objects.filter(code__startswith="D90").exists()
    assert not Person.objects.filter(name__contains="示例").exists()


def test_import_view_template_download(people, client_for):
    response = client_for(people.sysadmin).get("/organisation/import/template/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client_for(people.office).get("/organisation/import/template/").status_code == 403


def test_import_view_shows_error_table(people, client_for):
    before = counts()
    upload = workbook([["D11", "某科", "", "内设科室", "X99", 1, ""]])
    response = client_for(people.sysadmin).post("/organisation/import/", {"file": upload})
    body = response.content.decode()
    assert "没有保存任何数据" in body
    assert "第 2 行「上级单位编码」：「X99」在文件和系统中都不存在" in body
    assert counts() == before


def test_import_view_success_summary(people, client_for):
    response = client_for(people.sysadmin).post(
        "/organisation/import/", {"file": workbook(GOOD_UNITS, GOOD_PEOPLE)}, follow=True
    )
    assert (
        "导入成功。已读取工作表「单位」「人员」；单位：新增 3、更新 0、未变 0；人员：新增 2、更新 0、未变 0。"
        in response.content.decode()
    )


def test_import_view_rejects_other_extension(people, client_for):
    upload = SimpleUploadedFile("a.xls", b"x")
    response = client_for(people.sysadmin).post("/organisation/import/", {"file": upload})
    assert response.context["form"].errors["file"] == ["Excel 文件须为 .xlsx 格式（可在 Excel 或 WPS 中“另存为”）。"]


def test_import_view_forbidden_for_clerk(people, client_for):
    assert client_for(people.own_clerk).get("/organisation/import/").status_code == 403


def test_import_model_rule_missed_by_checks_rolls_everything_back(people, monkeypatch):
    from django.core.exceptions import ValidationError

    from zuofeng.organisation import importer

    def refuse(**kwargs):
        raise ValidationError({"email": "邮箱不可用"})

    monkeypatch.setattr(importer, "person_save", refuse)
    before = counts()
    result = organisation_import(actor=people.sysadmin, uploaded=workbook(GOOD_UNITS, GOOD_PEOPLE))
    assert messages(result) == ["第 2 行「整行」：邮箱不可用"]
    assert counts() == before


def test_import_synonym_headers_under_a_title_row(people):
    """An office's own roster: a title above, its own column names; every column is placed."""
    book = Workbook()
    sheet = book.active
    sheet.title = "机构名册"
    sheet.append(["武进区机构名册（2018年9月）"])
    sheet.merge_cells("A1:G1")
    sheet.append(["单位代码", "单位名称", "单位简称", "单位类型", "上级编码", "排序", "单位职能"])
    for row in GOOD_UNITS:
        sheet.append(row)
    sheet.append(["填表人：王五", None, None, "联系电话：0519-86300000"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = organisation_import(actor=people.sysadmin, uploaded=SimpleUploadedFile("名册.xlsx", buffer.getvalue()))
    assert result.summary() == (
        "已读取工作表「机构名册」；单位：新增 3、更新 0、未变 0；单位表已跳过表尾的填表说明行 1 行（第 6 行）"
    )
    unit = Unit.objects.get(code="D10X01")
    assert (unit.parent.code, unit.functions, unit.order) == ("D10", ["approval", "service"], 2)


def test_import_unknown_header_refused_by_name_and_nothing_saved(people):
    before = counts()
    header = [*PERSON_HEADER[:-1], "政治面貌"]
    result = organisation_import(
        actor=people.sysadmin, uploaded=workbook(GOOD_UNITS, GOOD_PEOPLE, person_header=header)
    )
    expected = "所在单位编码*、姓名*、性别、职务、联系电话、电子邮箱、排序"
    assert [(e.sheet, str(e)) for e in result.errors] == [
        ("人员", f"第 1 行「政治面貌」：无法识别表头「政治面貌」；应为：{expected}（请改成其中之一，或删除此列）")
    ]
    assert counts() == before


def test_import_row_and_error_caps(people, monkeypatch):
    from zuofeng.core.safe_xlsx import Limits
    from zuofeng.organisation import importer

    monkeypatch.setattr(importer, "LIMITS", Limits(max_rows=3))
    rows = [[f"D{n}", f"某局{n}", "", "区级机关部门", "", n, ""] for n in range(4)]
    result = organisation_import(actor=people.sysadmin, uploaded=workbook(rows))
    assert messages(result) == ["第 1 行「文件」：「单位」超过 3 行，超出单次导入的上限；请分成几个文件导入。"]
    monkeypatch.undo()
    before = counts()
    bad = [[f"D{n}", f"某局{n}", "", "机关", "", n, ""] for n in range(250)]
    result = organisation_import(actor=people.sysadmin, uploaded=workbook(bad))
    assert (result.error_total, len(result.errors_shown)) == (250, 200)
    assert counts() == before


def test_import_view_shows_first_200_errors_and_refuses_hostile_xml(people, client_for):
    from tests.core.xlsx_files import with_part
    from zuofeng.core.safe_xlsx import NOT_EXCEL

    bad = [[f"D{n}", f"某局{n}", "", "机关", "", n, ""] for n in range(250)]
    body = client_for(people.sysadmin).post("/organisation/import/", {"file": workbook(bad)}).content.decode()
    assert "已读取工作表「单位」。文件中有 250 处错误（下表列出前 200 处）" in body
    assert body.count("「机关」无法识别") == 200
    hostile = with_part(workbook(GOOD_UNITS).read(), "xl/worksheets/sheet1.xml", b'<!DOCTYPE x SYSTEM "x"><x/>')
    upload = SimpleUploadedFile("a.xlsx", hostile)
    response = client_for(people.sysadmin).post("/organisation/import/", {"file": upload})
    assert response.status_code == 200
    assert NOT_EXCEL in response.content.decode()
    assert not Unit.objects.filter(code__startswith="D1").exists()
