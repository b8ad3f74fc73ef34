"""The 汇总表: columns from the form, unit order or 姓氏笔画 order, masked phone for publication."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from tests.documents.builders import make_award, make_campaign, make_nomination
from zuofeng.nominations.models import NominationState
from zuofeng.nominations.selectors.summary import ORDER_STROKES, ORDER_UNIT, summary_table
from zuofeng.nominations.services.exports import summary_export

STAR_HEADERS = [
    "序号",
    "申报单位",
    "姓名",
    "现任职务",
    "性别",
    "出生年月",
    "政治面貌",
    "联系电话",
    "所获荣誉（近三年）",
    "状态",
    "报送时间",
]


@pytest.fixture
def award(org):
    award = make_award(make_campaign())
    make_nomination(award, org.dept_b, title="赵六")
    make_nomination(award, org.dept_a, title="王五")
    make_nomination(award, org.dept_a, title="丁一")
    draft = make_nomination(award, org.dept_a, title="方草稿")
    draft.state = NominationState.DRAFT
    draft.save()
    return award


def test_summary_columns_follow_the_form(award):
    summary = summary_table(award=award)
    assert summary.title == "2018年“十佳优秀服务明星”申报汇总表"
    assert summary.headers == STAR_HEADERS


def test_summary_row_values(award):
    row = summary_table(award=award).rows[0]
    assert row == [
        1,
        "武进区财政局",
        "王五",
        "预算科科长",
        "男",
        "1980.05",
        "中共党员",
        "13912345678",
        "2017年 获区优秀公务员（武进区委）\n2018年 获市人民满意公务员（常州市人社局）",
        "已报送",
        "2018年10月30日 09:30",
    ]


def test_summary_unit_order_leaves_out_drafts(award):
    rows = summary_table(award=award, order=ORDER_UNIT).rows
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (1, "武进区财政局", "王五"),
        (2, "武进区财政局", "丁一"),
        (3, "武进区商务局", "赵六"),
    ]


def test_summary_stroke_order(award):
    rows = summary_table(award=award, order=ORDER_STROKES).rows
    assert [(r[0], r[2]) for r in rows] == [(1, "丁一"), (2, "王五"), (3, "赵六")]


def test_summary_masked_hides_phone_and_birth(award):
    row = summary_table(award=award, masked=True).rows[0]
    assert (row[5], row[7]) == ("****.**", "139****5678")


def test_summary_xlsx_title_header_frozen_and_landscape(award, people):
    buffer = io.BytesIO()
    summary_export(actor=people.office, award=award, order=ORDER_STROKES, masked=True, target=buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert sheet["A1"].value == "2018年“十佳优秀服务明星”申报汇总表"
    assert [c.value for c in sheet[2]] == STAR_HEADERS
    assert [sheet.cell(row=r, column=3).value for r in (3, 4, 5)] == ["丁一", "王五", "赵六"]
    assert sheet.cell(row=3, column=8).value == "139****5678"
    assert sheet.freeze_panes == "A3"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9


def test_summary_export_refused_for_unit_leader(award, people):
    with pytest.raises(PermissionDenied, match="只有作风办可以导出申报汇总表"):
        summary_export(actor=people.reviewer, award=award, order=ORDER_UNIT, masked=False, target=io.BytesIO())


def test_case_summary_uses_case_columns(org):
    award = make_award(make_campaign(), key="service-case", kind="case")
    make_nomination(award, org.dept_a, title="一窗通办", data={"lead_section": "行政审批科", "case_name": "一窗通办"})
    summary = summary_table(award=award)
    assert summary.headers == [
        "序号",
        "申报单位",
        "牵头处（科）室",
        "负责人",
        "联系电话",
        "事例名称",
        "状态",
        "报送时间",
    ]
    assert summary.rows[0][2:6] == ["行政审批科", "", "", "一窗通办"]


def test_summary_status_is_plain_chinese_for_every_state(award, org):
    extra = {
        NominationState.OPINION_GIVEN: "陈二",
        NominationState.JUDGING: "孙三",
        NominationState.SELECTED: "周四",
        NominationState.NOT_SELECTED: "吴五",
    }
    for state, title in extra.items():
        nomination = make_nomination(award, org.dept_b, title=title)
        nomination.state = state
        nomination.save()
    rows = summary_table(award=award).rows
    assert [(r[2], r[-2]) for r in rows] == [
        ("王五", "已报送"),
        ("丁一", "已报送"),
        ("赵六", "已报送"),
        ("陈二", "已签署意见"),
        ("孙三", "评审中"),
        ("周四", "入选"),
        ("吴五", "未入选"),
    ]
    assert not any(code in str(r) for r in rows for code in NominationState.values)


def test_summary_names_a_unit_below_the_top_with_its_parent(award, org):
    make_nomination(award, org.section_a1, title="钱七")
    rows = summary_table(award=award).rows
    assert [(r[1], r[2]) for r in rows] == [
        ("武进区财政局", "王五"),
        ("武进区财政局", "丁一"),
        ("区财政局·预算科", "钱七"),
        ("武进区商务局", "赵六"),
    ]


def test_summary_without_nominations_has_headers_only(org):
    summary = summary_table(award=make_award(make_campaign()))
    assert (summary.headers, summary.rows) == (STAR_HEADERS, [])
