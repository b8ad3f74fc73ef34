"""整改台账 exports: Excel columns, order and print set-up; the background job; the Word table."""

import io
import zipfile

import docx
import openpyxl
import pytest
import xlsxwriter
from docx.enum.section import WD_ORIENT
from xlsxwriter.worksheet import Worksheet

from tests.rectification.test_dashboard_data import TODAY, build
from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock
from zuofeng.rectification.exports import HEADERS, LedgerSheet
from zuofeng.rectification.models import Evidence, ExportJob, ExportState, ProgressUpdate
from zuofeng.rectification.services import export as export_services

pytestmark = pytest.mark.django_db
EXPORT = "/rectification/dashboard/export/"
EXPECTED_HEADERS = [
    "序号",
    "单位",
    "清单状态",
    "问题来源",
    "问题描述",
    "类别",
    "具体表现",
    "对照内容",
    "整改措施",
    "整改标准",
    "责任领导",
    "责任单位",
    "责任人",
    "完成时限",
    "整改进展",
    "亮灯",
    "佐证材料",
    "销号日期",
    "备注",
]


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    with clock.frozen(TODAY):
        yield


@pytest.fixture
def data(campaign, org, people):
    made = build(campaign, org)
    p1 = made["problems"][0]
    p1.benchmarks.set(campaign.benchmarks.all())
    m1 = made["M1"]
    ProgressUpdate.objects.create(measure=m1, reported_on=TODAY.replace(day=1, month=9), text="旧进展", percent=10)
    ProgressUpdate.objects.create(measure=m1, reported_on=TODAY, text="已制定首问负责制度", percent=60)
    Evidence.objects.create(
        measure=m1,
        file="evidence/x.pdf",
        original_name="首问负责制度.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
    )
    return made


def sheet_of(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def rows_of(ws) -> list[tuple]:
    return list(ws.iter_rows(min_row=4, values_only=True))


def download(response) -> bytes:
    return b"".join(response.streaming_content)


def test_export_header_title_and_print_setup(data, people, client_for):
    response = client_for(people.office).post(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    ws = sheet_of(download(response))
    assert [c.value for c in ws[3]] == EXPECTED_HEADERS == HEADERS
    assert ws["A1"].value == "打通中梗阻、激发新动能专项活动整改台账（全部清单）"
    assert ws["A2"].value == "范围：全部可见单位　　导出日期：2018年10月1日"
    assert ws.freeze_panes == "A4"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9
    assert ws.print_title_rows == "$3:$3"
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.page_setup.fitToHeight == 0
    assert AuditEntry.objects.filter(action="ledger.export").count() == 1


def test_export_rows_in_official_unit_order_one_per_measure(data, people, client_for):
    rows = rows_of(sheet_of(download(client_for(people.office).post(EXPORT))))
    assert [(r[0], r[1], r[2], r[8]) for r in rows] == [
        (1, "区财政局·预算科", "已通过", "实行首问负责制"),
        (2, "区财政局·预算科", "已通过", "公开办事指南"),
        (3, "区财政局·预算科", "已通过", "每月通报办件情况"),
        (4, "区财政局·国库科", "待审核", "压缩支付审批时限"),
        (5, "区商务局·外贸科", "起草中", "一次性告知补正材料"),
    ]


def test_export_cell_values(data, people, client_for):
    ws = sheet_of(download(client_for(people.office).post(EXPORT)))
    first, second, ongoing = rows_of(ws)[:3]
    assert first[3:8] == ("自己找", "窗口办件推诿扯皮", "责任中梗阻", "推诿扯皮", "对照企业、基层、群众期盼诉求")
    assert first[13:17] == ("2018年9月20日", "已制定首问负责制度（完成60%）", "红灯", "首问负责制度.pdf")
    assert ws["P4"].fill.fgColor.rgb == "FFFF0000"
    assert (second[15], second[17]) == ("已销号", "2018年9月28日")
    assert ongoing[13] == "长期坚持"
    assert ws["P6"].fill.fgColor.rgb == "FF00B050"


def test_export_only_approved_lists_says_so_in_the_title(data, people, client_for):
    ws = sheet_of(download(client_for(people.office).post(EXPORT, {"lists": "approved"})))
    assert ws["A1"].value == "打通中梗阻、激发新动能专项活动整改台账（仅审核通过的清单）"
    assert [(r[1], r[2], r[8]) for r in rows_of(ws)] == [
        ("区财政局·预算科", "已通过", "实行首问负责制"),
        ("区财政局·预算科", "已通过", "公开办事指南"),
        ("区财政局·预算科", "已通过", "每月通报办件情况"),
    ]
    assert AuditEntry.objects.get(action="ledger.export").detail.endswith("仅审核通过的清单")


def test_export_with_no_approved_list_has_headers_and_no_rows(data, people, client_for):
    from zuofeng.rectification.models import Ledger, LedgerState

    Ledger.objects.update(state=LedgerState.SUBMITTED)
    ws = sheet_of(download(client_for(people.office).post(EXPORT, {"lists": "approved"})))
    assert [c.value for c in ws[3]] == EXPECTED_HEADERS
    assert rows_of(ws) == []


def test_export_refuses_an_unknown_choice_in_chinese(data, people, client_for):
    response = client_for(people.office).post(EXPORT, {"lists": "drafts"})
    assert response.status_code == 400
    assert response.content.decode() == "“导出哪些清单”只能选择“全部清单”或“仅审核通过的清单”。"
    assert not AuditEntry.objects.filter(action="ledger.export").exists()


def test_dashboard_offers_the_list_choice(data, people, client_for):
    body = client_for(people.office).get("/rectification/dashboard/").content.decode()
    assert '<option value="all">全部清单</option><option value="approved">仅审核通过的清单</option>' in body


def test_background_export_keeps_the_choice(data, people, client_for, background, django_capture_on_commit_callbacks):
    client = client_for(people.office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EXPORT, {"lists": "approved"})
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert (job.params["lists"], job.state, job.total) == ("approved", ExportState.DONE, 3)
    ws = sheet_of(download(client.get(f"/rectification/dashboard/exports/{job.pk}/download/")))
    assert ws["A1"].value == "打通中梗阻、激发新动能专项活动整改台账（仅审核通过的清单）"


def test_export_leader_gets_own_subtree_only(data, people, client_for):
    rows = rows_of(sheet_of(download(client_for(people.reviewer).post(EXPORT))))
    assert [r[1] for r in rows] == ["区财政局·预算科", "区财政局·预算科", "区财政局·预算科", "区财政局·国库科"]


def test_export_clerk_own_unit_and_not_sibling(data, people, client_for, org):
    client = client_for(people.own_clerk)
    rows = rows_of(sheet_of(download(client.post(EXPORT, {"root": org.section_a1.pk}))))
    assert [r[8] for r in rows] == ["实行首问负责制", "公开办事指南", "每月通报办件情况"]
    assert client.post(EXPORT, {"root": org.section_a2.pk}).status_code == 404


def test_export_forbidden_roles_and_get(data, people, client_for):
    assert client_for(people.auditor).post(EXPORT).status_code == 403
    assert client_for(people.sysadmin).post(EXPORT).status_code == 403
    assert client_for(people.office).get(EXPORT).status_code == 405


@pytest.fixture
def background(monkeypatch):
    monkeypatch.setattr(export_services, "DIRECT_LIMIT", 1)
    monkeypatch.setattr(export_services, "PROGRESS_EVERY", 2)


def test_background_export_runs_to_done_and_downloads(
    data, people, client_for, background, django_capture_on_commit_callbacks
):
    client = client_for(people.office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EXPORT)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/rectification/dashboard/exports/{job.pk}/"
    assert (job.state, job.done, job.total, job.requested_by) == (ExportState.DONE, 5, 5, people.office)
    page = client.get(response["Location"])
    assert "下载" in page.content.decode()
    fragment = client.get(response["Location"], headers={"HX-Request": "true"})
    assert "hx-trigger" not in fragment.content.decode()
    assert "100%" in fragment.content.decode()
    got = client.get(f"/rectification/dashboard/exports/{job.pk}/download/")
    assert got.status_code == 200
    assert [r[0] for r in rows_of(sheet_of(download(got)))] == [1, 2, 3, 4, 5]
    dashboard = client.get("/rectification/dashboard/").content.decode()
    assert f'href="/rectification/dashboard/exports/{job.pk}/"' in dashboard


def test_background_export_other_user_cannot_see_or_download(
    data, people, client_for, background, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(people.reviewer).post(EXPORT)
    job = ExportJob.objects.get()
    other = client_for(people.office)
    assert other.get(f"/rectification/dashboard/exports/{job.pk}/").status_code == 404
    assert other.get(f"/rectification/dashboard/exports/{job.pk}/download/").status_code == 404
    assert job.total == 4


def test_background_export_queued_page_polls(data, people, client_for, background):
    client = client_for(people.office)
    response = client.post(EXPORT)  # on_commit never fires inside the test transaction: still queued
    job = ExportJob.objects.get()
    assert job.state == ExportState.QUEUED
    fragment = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    assert client.get(f"/rectification/dashboard/exports/{job.pk}/download/").status_code == 404


def test_background_export_failure_recorded(
    data, people, client_for, background, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise OSError("磁盘已满")

    monkeypatch.setattr(export_services, "ledger_xlsx_write", broken)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(people.office).post(EXPORT)
    job = ExportJob.objects.get()
    assert (job.state, job.error) == (ExportState.FAILED, "导出失败：磁盘已满")
    assert export_services.ledger_export_execute(job_id=job.pk) == 0  # not run twice


def test_word_ledger_for_unit(data, people, client_for, org):
    response = client_for(people.own_clerk).get(f"/rectification/dashboard/word/{org.section_a1.pk}/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(download(response)))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "序号",
        "问题来源",
        "问题描述",
        "类别",
        "整改措施",
        "整改标准",
        "责任领导",
        "责任人",
        "完成时限",
        "备注",
    ]
    assert [row.cells[4].text for row in table.rows[1:]] == ["实行首问负责制", "公开办事指南", "每月通报办件情况"]
    assert table.rows[3].cells[8].text == "长期坚持"
    # the problem's cells span its three measures; 序号 counts problems
    assert [row.cells[0].text for row in table.rows[1:]] == ["1", "1", "1"]
    assert table.rows[1].cells[2]._tc is table.rows[3].cells[2]._tc
    assert table.rows[1].cells[2].text == "窗口办件推诿扯皮"
    texts = [p.text for p in document.paragraphs]
    assert texts[:2] == ["打通中梗阻、激发新动能专项活动整改台账", "单位：区财政局·预算科　　清单状态：已通过"]
    assert texts[-2:] == ["单位（盖章）：", "2018年10月1日"]
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    title_fonts = document.paragraphs[0].runs[0]._element.rPr.rFonts
    assert title_fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "黑体"


def test_word_ledger_invisible_unit_404_and_forbidden_role_403(data, people, client_for, org):
    assert (
        client_for(people.sibling_clerk).get(f"/rectification/dashboard/word/{org.section_a1.pk}/").status_code == 404
    )
    assert client_for(people.auditor).get(f"/rectification/dashboard/word/{org.section_a1.pk}/").status_code == 403


def test_records_fetch_details_chunk_by_chunk(data, campaign, people, django_assert_num_queries):
    from zuofeng.rectification.selectors.dashboard import dashboard_scope
    from zuofeng.rectification.selectors.export import ledger_export_measures, ledger_export_records

    measures = ledger_export_measures(scope=dashboard_scope(user=people.office, campaign=campaign))
    # 3 chunks of at most 2 rows: one main query (chunked cursor) + 3 detail queries per chunk
    # + the ancestors' names of each chunk's new units
    with django_assert_num_queries(1 + 3 * 3 + 3):
        rows = list(ledger_export_records(measures, chunk_size=2))
    assert [r["text"] for r in rows][:2] == ["实行首问负责制", "公开办事指南"]
    assert (rows[0]["progress"], rows[0]["evidence"]) == (("已制定首问负责制度", 60), ["首问负责制度.pdf"])


def _record(problem_id: int, text: str) -> dict:
    return {
        "problem_id": problem_id,
        "problem__source__name": "领导点",
        "problem__source_detail": "王局长",
        "problem__description": f"问题{problem_id}",
        "problem__category__name": "责任中梗阻",
        "text": text,
        "standard": "",
        "responsible_leader": "",
        "responsible_person__name": None,
        "responsible_name": "李四",
        "deadline": None,
        "is_ongoing": True,
        "remark": "",
    }


def test_word_numbers_problems_and_spans_their_measures():
    from zuofeng.rectification.exports import ledger_docx_write

    buffer = io.BytesIO()
    records = [_record(7, "措施甲"), _record(7, "措施乙"), _record(9, "措施丙")]
    assert ledger_docx_write(target=buffer, title="台账", unit_name="预算科", records=records, date=TODAY) == 3
    table = docx.Document(io.BytesIO(buffer.getvalue())).tables[0]
    assert [(r.cells[0].text, r.cells[1].text, r.cells[2].text, r.cells[4].text) for r in table.rows[1:]] == [
        ("1", "领导点（王局长）", "问题7", "措施甲"),
        ("1", "领导点（王局长）", "问题7", "措施乙"),
        ("2", "领导点（王局长）", "问题9", "措施丙"),
    ]


def test_ledger_page_offers_excel_and_word_export(problem_with_measure, people, client_for):
    problem, _ = problem_with_measure
    body = client_for(people.own_clerk).get(f"/rectification/ledgers/{problem.ledger_id}/").content.decode()
    assert 'data-testid="export-ledger"' in body
    assert f"/rectification/dashboard/word/{problem.unit_id}/" in body


LEDGER_STRINGS = [
    "整改措施：实行首问负责制",
    "  前后有空格  ",
    "\t制表符开头",
    "换行结尾\n",
    'A&B <c> "引号"\n第二行',
    "控制字符\x01和\x1f",
    "已转义_x0041_样式",
    "<r>像富文本</r>",
    "\ufffe非字符",
    "=SUM(A1:A2)",
]


def _sheet_xml(worksheet_class) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "strings_to_formulas": False, "in_memory": False})
    sheet = book.add_worksheet("整改台账", worksheet_class=worksheet_class)
    plain, wrapped = book.add_format({"border": 1}), book.add_format({"text_wrap": True})
    for row, text in enumerate(LEDGER_STRINGS):
        sheet.write_number(row, 0, row + 1, plain)
        sheet.write_string(row, 1, text, wrapped)
        sheet.write_string(row, 2, text)  # no format: the general writer
        sheet.write_string(row, 3, text, plain)
    book.close()
    return zipfile.ZipFile(buffer).read("xl/worksheets/sheet1.xml")


def test_ledger_sheet_writes_the_same_xml_as_xlsxwriter():
    assert _sheet_xml(LedgerSheet) == _sheet_xml(Worksheet)
