"""Excel in: the template's drop-downs, every error reported, nothing saved on error, no duplicates."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zuofeng.audit.models import AuditEntry
from zuofeng.core.safe_xlsx import NOT_EXCEL
from zuofeng.rectification.models import ItemReview, Ledger, LedgerState, Measure, Problem
from zuofeng.rectification.services.importer import COLUMNS, ledger_import, parse_date
from zuofeng.rectification.services.ledger_template import ledger_template

pytestmark = pytest.mark.django_db
ATTRS = [attr for attr, _title, _required in COLUMNS]


def xlsx(rows: list[dict], header: list[str] | None = None) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "整改清单"
    sheet.append(header or [title + ("*" if required else "") for _a, title, required in COLUMNS])
    for row in rows:
        sheet.append([row.get(attr) for attr in ATTRS])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def good_rows() -> list[dict]:
    return [
        {
            "category": "责任中梗阻", "symptom": "推诿扯皮", "benchmarks": "对照企业、基层、群众期盼诉求",
            "source": "群众提", "source_detail": "12345热线", "description": "审批窗口推诿扯皮",
            "found_on": "2018/9/1", "text": "实行首问负责制", "standard": "一次办结率95%",
            "responsible_leader": "张副局长", "responsible": "clerk_a1姓名", "starts_on": "2018.9.16",
            "deadline": "2018年12月31日", "is_ongoing": "否", "key_area": "高效服务",
        },
        {"text": "每月通报办件情况", "starts_on": dt.datetime(2018, 9, 16), "is_ongoing": "是", "responsible": "王五"},
        {
            "category": "思维中梗阻", "symptom": "疲软症", "source": "自己找", "description": "干事缺乏激情",
            "text": "开展作风大讨论", "starts_on": "2018-09-16", "deadline": 43465,
        },
    ]  # fmt: skip


def test_import_good_file_creates_problems_and_measures(ledger, people):
    result = ledger_import(actor=people.own_clerk, ledger=ledger, uploaded=xlsx(good_rows()))
    assert result.errors == []
    assert result.summary() == "已读取工作表「整改清单」；新增问题 2 条、措施 3 条；已存在未重复导入 0 条"
    first, second = Problem.objects.order_by("order")
    assert (first.order, first.source_detail, first.found_on) == (1, "12345热线", dt.date(2018, 9, 1))
    assert first.symptom.name == "推诿扯皮"
    assert list(first.benchmarks.values_list("key", flat=True)) == ["masses"]
    assert first.search_bigrams.startswith("审批 批窗")
    m1, m2 = first.measures.order_by("order")
    assert (m1.starts_on, m1.deadline, m1.is_ongoing, m1.key_area.key) == (
        dt.date(2018, 9, 16), dt.date(2018, 12, 31), False, "service"
    )  # fmt: skip
    assert (m1.responsible_person, m1.responsible_name) == (people.own_clerk.person, "")
    assert (m2.order, m2.is_ongoing, m2.deadline, m2.responsible_name) == (2, True, None, "王五")
    assert second.measures.get().deadline == dt.date(2018, 12, 31)  # Excel serial 43465
    entry = AuditEntry.objects.get(action="ledger.import")
    assert entry.after == {"新增问题": 2, "新增措施": 3, "已存在": 0}


def test_import_same_file_twice_creates_no_duplicates(ledger, people):
    ledger_import(actor=people.own_clerk, ledger=ledger, uploaded=xlsx(good_rows()))
    result = ledger_import(actor=people.own_clerk, ledger=ledger, uploaded=xlsx(good_rows()))
    assert result.summary() == "已读取工作表「整改清单」；新增问题 0 条、措施 0 条；已存在未重复导入 3 条"
    assert (Problem.objects.count(), Measure.objects.count()) == (2, 3)
    more = [*good_rows(), {"text": "新增一条措施", "starts_on": "2018-10-01", "is_ongoing": "是"}]
    result = ledger_import(actor=people.own_clerk, ledger=ledger, uploaded=xlsx(more))
    assert result.summary() == "已读取工作表「整改清单」；新增问题 0 条、措施 1 条；已存在未重复导入 3 条"
    assert Problem.objects.get(description="干事缺乏激情").measures.count() == 2


def test_import_matches_problem_entered_in_browser(problem_with_measure, people):
    problem, _ = problem_with_measure
    from zuofeng.rectification.services.ledger import problem_update

    problem_update(actor=people.own_clerk, problem=problem, version=1, data={})
    row = {
        "category": "责任中梗阻", "symptom": "推诿扯皮", "source": "自己找",
        "description": "窗口办件推诿扯皮， 群众多次跑腿", "text": "实行首问负责制，一次告知办理要求",
        "starts_on": "2018-09-16", "deadline": "2018-10-16",
    }  # fmt: skip
    result = ledger_import(actor=people.own_clerk, ledger=problem.ledger, uploaded=xlsx([row]))
    assert result.summary() == "已读取工作表「整改清单」；新增问题 0 条、措施 0 条；已存在未重复导入 1 条"


def test_import_reports_every_error_and_saves_nothing(ledger, people):
    rows = [
        {"text": "没有问题的措施", "starts_on": "2018-09-16", "is_ongoing": "是"},
        {
            "category": "思想中梗阻", "source": "自己找", "description": "甲", "text": "措施甲",
            "starts_on": "2018-09-16", "deadline": "下个月",
        },
        {
            "category": "责任中梗阻", "symptom": "疲软症", "source": "上级交办", "description": "乙",
            "benchmarks": "对照先进", "starts_on": "2018-09-16", "deadline": "2018-09-01",
        },
        {
            "category": "责任中梗阻", "source": "自己找", "description": "丙", "text": "措施丙",
            "starts_on": "", "is_ongoing": "也许", "key_area": "大项目", "responsible_unit": "外贸科",
        },
        {"category": "责任中梗阻", "source": "自己找", "description": "丁", "text": "措施丁", "starts_on": "2018-02-30",
         "deadline": "2018-12-31"},
        {"category": "责任中梗阻", "source": "自己找", "description": "戊", "text": "措施戊",
         "starts_on": "2018-09-16"},
    ]  # fmt: skip
    before = (Problem.objects.count(), Measure.objects.count(), AuditEntry.objects.count())
    result = ledger_import(actor=people.own_clerk, ledger=ledger, uploaded=xlsx(rows))
    assert [str(e) for e in result.errors] == [
        "第 2 行「问题描述」：第一条措施前须填写问题（类别、问题来源、问题描述）",
        "第 3 行「类别」：未知类别“思想中梗阻”",
        "第 3 行「完成时限」：“下个月”不是日期；请写成 2018-09-30、2018年9月30日 或 长期坚持",
        "第 4 行「具体表现」：“疲软症”不属于“责任中梗阻”",
        "第 4 行「对照内容」：未知对照内容“对照先进”",
        "第 4 行「问题来源」：未知问题来源“上级交办”",
        "第 4 行「整改措施」：缺少整改措施",
        "第 4 行「完成时限」：完成时限不能早于开始日期",
        "第 5 行「长期坚持」：应填“是”或“否”",
        "第 5 行「开始日期」：请填写开始日期",
        "第 5 行「完成时限」：缺少完成时限（长期坚持的措施在「长期坚持」填“是”）",
        "第 5 行「责任单位」：“外贸科”不是预算科或其下属单位",
        "第 5 行「攻坚重点」：未知攻坚重点“大项目”",
        "第 6 行「开始日期」：“2018-02-30”不是有效日期",
        "第 7 行「完成时限」：缺少完成时限（长期坚持的措施在「长期坚持」填“是”）",
    ]
    assert (Problem.objects.count(), Measure.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize(
    "value",
    ["2018-09-30", "2018/9/30", "2018.9.30", "2018年9月30日", 43373, dt.datetime(2018, 9, 30), "20180930"],
)
def test_parse_date_accepts_official_forms(value):
    assert parse_date(value) == dt.date(2018, 9, 30)


@pytest.mark.parametrize("value", ["九月三十日", "30/9/2018", 12.5, "2018-13-01"])
def test_parse_date_refuses_non_dates(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_import_reads_real_excel_date_cells(ledger, people):
    rows = good_rows()[2:]
    rows[0]["starts_on"] = dt.date(2018, 9, 30)
    rows[0]["deadline"] = dt.datetime(2018, 12, 1)
    result = ledger_import(actor=people.own_clerk, ledger=ledger, uploaded=xlsx(rows))
    assert result.ok
    assert Measure.objects.values_list("starts_on", "deadline").get() == (dt.date(2018, 9, 30), dt.date(2018, 12, 1))


def test_import_into_approved_problem_is_refused(problem_with_measure, people):
    problem, _ = problem_with_measure
    Problem.objects.filter(pk=problem.pk).update(review=ItemReview.APPROVED, import_key="")
    from zuofeng.rectification.services.ledger import problem_import_key

    Problem.objects.filter(pk=problem.pk).update(import_key=problem_import_key(problem))
    row = {
        "category": "责任中梗阻", "symptom": "推诿扯皮", "source": "自己找",
        "description": "窗口办件推诿扯皮，群众多次跑腿",
        "text": "新措施", "starts_on": "2018-09-16", "is_ongoing": "是",
    }  # fmt: skip
    other = {**good_rows()[2]}
    result = ledger_import(actor=people.own_clerk, ledger=problem.ledger, uploaded=xlsx([other, row]))
    assert [str(e) for e in result.errors] == [
        "第 3 行「整改措施」：该问题已审核通过并锁定，不能通过导入新增措施，请提交变更申请"
    ]
    assert (Problem.objects.count(), Measure.objects.count()) == (1, 1)


def test_import_into_approved_ledger_reopens_it_as_draft(ledger, people):
    Ledger.objects.filter(pk=ledger.pk).update(state=LedgerState.APPROVED)
    ledger.refresh_from_db()
    assert ledger_import(actor=people.own_clerk, ledger=ledger, uploaded=xlsx(good_rows())).ok
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.DRAFT


def test_import_refused_for_submitted_ledger_and_non_editors(ledger, people):
    with pytest.raises(PermissionDenied):
        ledger_import(actor=people.reviewer, ledger=ledger, uploaded=xlsx(good_rows()))
    Ledger.objects.filter(pk=ledger.pk).update(state=LedgerState.SUBMITTED)
    ledger.refresh_from_db()
    with pytest.raises(ValidationError, match="审核期间不能导入"):
        ledger_import(actor=people.own_clerk, ledger=ledger, uploaded=xlsx(good_rows()))
    assert Problem.objects.count() == 0


def test_import_bad_file_and_missing_columns(ledger, people):
    result = ledger_import(actor=people.own_clerk, ledger=ledger, uploaded=io.BytesIO(b"not excel"))
    assert [str(e) for e in result.errors] == ["第 1 行「文件」：" + NOT_EXCEL]
    result = ledger_import(actor=people.own_clerk, ledger=ledger, uploaded=xlsx([], header=["类别", "问题描述"]))
    expected = (
        "序号、类别*、具体表现、对照内容、问题来源*、来源说明、问题描述*、查摆日期、整改措施*、整改标准、"
        "责任领导、责任单位、责任人、开始日期*、完成时限、长期坚持、攻坚重点、备注"
    )
    assert [str(e) for e in result.errors] == [
        f"第 1 行「问题来源」：缺少此列；表头应为：{expected}",
        f"第 1 行「整改措施」：缺少此列；表头应为：{expected}",
        f"第 1 行「开始日期」：缺少此列；表头应为：{expected}",
    ]


def test_template_has_dropdowns_notes_and_example_skipped_on_import(ledger, campaign, people):
    content = ledger_template(campaign=campaign)
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["整改清单", "填写说明", "选项"]
    sheet = book["整改清单"]
    assert [c.value for c in sheet[1]][:5] == ["序号", "类别*", "具体表现", "对照内容", "问题来源*"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A2"].value == "示例"
    validations = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert validations == {
        "B2": "'选项'!$A$2:$A$3",
        "C2": "'选项'!$B$2:$B$3",
        "D2": "'选项'!$C$2:$C$2",
        "E2": "'选项'!$D$2:$D$5",
        "P2": '"是,否"',
        "Q2": "'选项'!$E$2:$E$2",
    }
    lists = book["选项"]
    assert lists.sheet_state == "hidden"
    assert [lists.cell(r, 1).value for r in range(1, 4)] == ["类别", "思维中梗阻", "责任中梗阻"]
    assert [lists.cell(r, 4).value for r in range(2, 6)] == ["自己找", "领导点", "群众提", "组织议"]
    notes = [row[1].value for row in book["填写说明"].iter_rows(min_row=2)]
    assert any("思维中梗阻：疲软症" in n for n in notes)
    result = ledger_import(actor=people.own_clerk, ledger=ledger, uploaded=io.BytesIO(content))
    assert [str(e) for e in result.errors] == ["第 2 行「整改措施」：没有数据（示例行不会导入）"]


def test_import_page_shows_errors_then_success(client_for, people, ledger):
    c = client_for(people.own_clerk)
    path = reverse("rectification:ledger_import", args=[ledger.pk])
    bad = good_rows()
    bad[0]["category"] = "思想中梗阻"
    upload = SimpleUploadedFile("清单.xlsx", xlsx(bad).getvalue())
    html = c.post(path, {"file": upload}).content.decode()
    assert "没有保存任何数据" in html
    assert "未知类别“思想中梗阻”" in html
    assert Problem.objects.count() == 0
    upload = SimpleUploadedFile("清单.xlsx", xlsx(good_rows()).getvalue())
    response = c.post(path, {"file": upload}, follow=True)
    assert (
        "导入成功：已读取工作表「整改清单」；新增问题 2 条、措施 3 条；已存在未重复导入 0 条。"
        in response.content.decode()
    )
    html = c.post(path, {"file": SimpleUploadedFile("清单.xls", b"x")}).content.decode()
    assert "请上传 .xlsx 格式的文件" in html
    assert c.get(path).status_code == 200
    assert client_for(people.reviewer).get(path).status_code == 403
    assert client_for(people.sibling_clerk).get(path).status_code == 404


def test_template_download(client_for, people, ledger):
    response = client_for(people.own_clerk).get(reverse("rectification:ledger_template", args=[ledger.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
