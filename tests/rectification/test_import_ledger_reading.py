"""Real ledgers in: other header names, title rows, other sheets, notes under the table — and hostile files.

Each test names what the importer used to do wrong: drop a column it could not place, read row 1
as the header, read the first sheet, call '9月底' just "不是日期", import the 填表人 line.
"""

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.core.xlsx_files import book_bytes, with_part, zip_bomb
from tests.rectification.test_import_ledger import ATTRS, good_rows
from zuofeng.audit.models import AuditEntry
from zuofeng.core.safe_xlsx import NOT_EXCEL
from zuofeng.rectification.models import Measure, Problem
from zuofeng.rectification.services.importer import COLUMNS, ledger_import

pytestmark = pytest.mark.django_db
TEMPLATE_HEADER = [title + ("*" if required else "") for _a, title, required in COLUMNS]
EXPECTED = (
    "序号、类别*、具体表现、对照内容、问题来源*、来源说明、问题描述*、查摆日期、整改措施*、整改标准、"
    "责任领导、责任单位、责任人、开始日期*、完成时限、长期坚持、攻坚重点、备注"
)
# What a bureau's own ledger calls the template's columns, typed the way people type them.
REAL_HEADER = [
    "编号", "问题类别", "表现形式", "对照", "来源", "来源详情", "存在问题", "查摆时间", "整改举措",
    "整改目标", "分管领导", "牵头单位", "具体\n责任人", "开始时间", "整改时限（年月日）", "是否长期坚持",
    "攻坚领域", "备 注",
]  # fmt: skip


def as_lists(rows: list[dict]) -> list[list]:
    return [[row.get(attr) for attr in ATTRS] for row in rows]


def upload(rows_by_sheet: dict, merges: dict | None = None) -> io.BytesIO:
    return io.BytesIO(book_bytes(rows_by_sheet, merges))


def saved() -> tuple[int, int, int]:
    return Problem.objects.count(), Measure.objects.count(), AuditEntry.objects.filter(action="ledger.import").count()


def test_synonym_headers_import_every_column(ledger, people, org):
    rows = good_rows()
    rows[0].update(responsible_unit=org.section_a1.name, remark="群众来信3件")
    result = ledger_import(
        actor=people.own_clerk, ledger=ledger, uploaded=upload({"整改清单": [REAL_HEADER, *as_lists(rows)]})
    )
    assert result.errors == []
    measure = Measure.objects.get(text="实行首问负责制")
    assert (measure.responsible_leader, measure.responsible_unit, measure.responsible_person) == (
        "张副局长", org.section_a1, people.own_clerk.person
    )  # fmt: skip
    assert (measure.standard, measure.remark, measure.key_area.name) == ("一次办结率95%", "群众来信3件", "高效服务")
    assert str(measure.deadline) == "2018-12-31"
    problem = measure.problem
    assert (problem.source_detail, str(problem.found_on), problem.symptom.name) == (
        "12345热线",
        "2018-09-01",
        "推诿扯皮",
    )
    assert Measure.objects.get(text="每月通报办件情况").is_ongoing is True


def test_unknown_header_refused_by_name_with_the_expected_list(ledger, people):
    header = [*TEMPLATE_HEADER[:-1], "督办意见"]
    before = saved()
    result = ledger_import(
        actor=people.own_clerk, ledger=ledger, uploaded=upload({"整改清单": [header, *as_lists(good_rows())]})
    )
    assert [str(e) for e in result.errors] == [
        f"第 1 行「督办意见」：无法识别表头「督办意见」；应为：{EXPECTED}（请改成其中之一，或删除此列）"
    ]
    assert saved() == before


def test_header_row_found_under_title_rows_with_merged_cells(ledger, people):
    title = ["预算科作风建设找差整改清单", *[None] * 17]
    subtitle = [
        "填报单位：预算科（盖章）",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        "填报日期：2018年9月16日",
    ]
    book = {"整改清单": [title, subtitle, TEMPLATE_HEADER, *as_lists(good_rows())]}
    result = ledger_import(
        actor=people.own_clerk, ledger=ledger, uploaded=upload(book, {"整改清单": ["A1:R1", "A2:J2"]})
    )
    assert result.errors == []
    assert (Problem.objects.count(), Measure.objects.count()) == (2, 3)


def test_header_row_under_titles_numbers_errors_by_excel_row(ledger, people):
    rows = good_rows()
    rows[2]["category"] = "思想中梗阻"
    book = {"整改清单": [["预算科整改清单"], [], TEMPLATE_HEADER, *as_lists(rows)]}
    result = ledger_import(actor=people.own_clerk, ledger=ledger, uploaded=upload(book))
    assert [str(e) for e in result.errors] == ["第 6 行「类别」：未知类别“思想中梗阻”"]


def test_sheet_chosen_by_headers_and_named_in_the_result(client_for, ledger, people):
    cover = [["填报说明"], ["本表由各科室填写后汇总"]]
    content = book_bytes({"封面": cover, "预算科": [TEMPLATE_HEADER, *as_lists(good_rows())]})
    result = ledger_import(actor=people.own_clerk, ledger=ledger, uploaded=io.BytesIO(content))
    assert result.summary() == "已读取工作表「预算科」；新增问题 2 条、措施 3 条；已存在未重复导入 0 条"
    bad = good_rows()
    bad[1]["deadline"] = "9月底"
    content = book_bytes({"封面": cover, "预算科": [TEMPLATE_HEADER, *as_lists(bad)]})
    path = reverse("rectification:ledger_import", args=[ledger.pk])
    html = client_for(people.own_clerk).post(path, {"file": SimpleUploadedFile("a.xlsx", content)}).content.decode()
    assert "工作表「预算科」中有 1 处错误" in html


def test_unreadable_date_quoted_with_the_forms_accepted(ledger, people):
    rows = good_rows()
    rows[0].update(deadline="9月底", found_on="上周")
    result = ledger_import(
        actor=people.own_clerk, ledger=ledger, uploaded=upload({"整改清单": [TEMPLATE_HEADER, *as_lists(rows)]})
    )
    assert [str(e) for e in result.errors] == [
        "第 2 行「查摆日期」：“上周”不是日期；请写成 2018-09-30 或 2018年9月30日",
        "第 2 行「完成时限」：“9月底”不是日期；请写成 2018-09-30、2018年9月30日 或 长期坚持",
    ]


def test_notes_rows_under_the_table_skipped_and_reported(ledger, people):
    notes = [[], ["填表人：王五", None, None, None, None, "审核人：赵六"], ["联系电话：0519-86300000"]]
    book = {"整改清单": [TEMPLATE_HEADER, *as_lists(good_rows()), *notes]}
    result = ledger_import(actor=people.own_clerk, ledger=ledger, uploaded=upload(book))
    assert result.errors == []
    assert result.summary() == (
        "已读取工作表「整改清单」；新增问题 2 条、措施 3 条；已存在未重复导入 0 条；"
        "已跳过表尾的填表说明行 2 行（第 6、7 行）"
    )


def test_row_cap_refuses_the_whole_file(ledger, people):
    row = as_lists(good_rows()[2:])[0]
    numbered = [[n] for n in range(10_000)]  # only 序号 filled: cheap to build, still a row each
    book = {"整改清单": [TEMPLATE_HEADER, row, *numbered]}
    before = saved()
    result = ledger_import(actor=people.own_clerk, ledger=ledger, uploaded=upload(book))
    assert [str(e) for e in result.errors] == [
        "第 1 行「文件」：「整改清单」超过 10,000 行，超出单次导入的上限；请分成几个文件导入。"
    ]
    assert saved() == before


def test_error_cap_lists_the_first_200_and_the_total(client_for, ledger, people):
    row = as_lists(good_rows()[2:])[0]
    bad = [[n, "思想中梗阻", *row[2:8], f"措施{n}", *row[9:]] for n in range(250)]
    content = book_bytes({"整改清单": [TEMPLATE_HEADER, *bad]})
    result = ledger_import(actor=people.own_clerk, ledger=ledger, uploaded=io.BytesIO(content))
    assert (result.error_total, len(result.errors_shown)) == (250, 200)
    assert str(result.errors_shown[-1]) == "第 201 行「类别」：未知类别“思想中梗阻”"
    path = reverse("rectification:ledger_import", args=[ledger.pk])
    html = client_for(people.own_clerk).post(path, {"file": SimpleUploadedFile("a.xlsx", content)}).content.decode()
    assert "工作表「整改清单」中有 250 处错误（下表列出前 200 处）" in html
    assert html.count("未知类别“思想中梗阻”") == 200
    assert Problem.objects.count() == 0


def test_size_cap_refuses_a_big_file_at_once(ledger, people):
    big = io.BytesIO(b"PK\x03\x04" + b"\0" * (20 * 1024 * 1024))
    result = ledger_import(actor=people.own_clerk, ledger=ledger, uploaded=big)
    assert [str(e) for e in result.errors] == [
        "第 1 行「文件」：文件超过 20 MB，不能导入；请删除多余的工作表或分成几个文件。"
    ]


def test_zip_bomb_refused_quickly_and_nothing_saved(ledger, people):
    bomb = zip_bomb(template=book_bytes({"整改清单": [TEMPLATE_HEADER]}))
    before = saved()
    start = time.perf_counter()
    result = ledger_import(actor=people.own_clerk, ledger=ledger, uploaded=io.BytesIO(bomb))
    assert time.perf_counter() - start < 1.0
    assert [str(e) for e in result.errors] == [
        "第 1 行「文件」：文件解压后超过 100 MB，超出导入上限；请删除多余的内容或分成几个文件。"
    ]
    assert saved() == before


def test_doctype_sheet_is_not_an_excel_file_on_the_page(client_for, ledger, people):
    content = book_bytes({"整改清单": [TEMPLATE_HEADER, *as_lists(good_rows())]})
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaa">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
    )
    hostile = with_part(content, "xl/worksheets/sheet1.xml", sheet)
    path = reverse("rectification:ledger_import", args=[ledger.pk])
    response = client_for(people.own_clerk).post(path, {"file": SimpleUploadedFile("a.xlsx", hostile)})
    assert response.status_code == 200
    assert NOT_EXCEL in response.content.decode()
    assert Problem.objects.count() == 0
