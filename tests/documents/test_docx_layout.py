"""The Word file of a nomination: the attachment's rows, labels and merged cells, filled, in Chinese fonts."""

import datetime as dt
import io
import os
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from tests.documents.builders import STAR_DATA, give_opinion, make_award, make_campaign, make_nomination, text_500
from zuofeng.documents.docx import award_form_docx, nomination_docx
from zuofeng.documents.fonts import FONTCONFIG_FILE

STAR_LABELS = [
    "姓  名",
    "现任职务",
    "性  别",
    "出生年月",
    "政治面貌",
    "联系电话",
    "所获荣誉\n（近三年）",
    "主要事迹\n（500字以内）",
    "辖市（区）作风办\n或主管部门意见",
]


@pytest.fixture
def star(org):
    award = make_award(make_campaign())
    return make_nomination(award, org.dept_a)


def _read(content: bytes):
    return Document(io.BytesIO(content))


def _labels(table) -> list[str]:
    labels = []
    for row in table.rows:
        cells = _unique_cells(row)
        labels.extend(cells[i].text for i in range(0, len(cells), 2))
    return labels


def _unique_cells(row):
    seen, cells = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def test_nomination_docx_table_has_attachment_rows_and_labels_in_order(star):
    table = _read(nomination_docx(star)).tables[0]
    assert len(table.rows) == 6
    assert _labels(table) == STAR_LABELS


def test_nomination_docx_one_field_rows_span_three_columns(star):
    table = _read(nomination_docx(star)).tables[0]
    spans = [
        [int(tc.tcPr.gridSpan.val) if tc.tcPr.gridSpan is not None else 1 for tc in row._tr.tc_lst]
        for row in table.rows
    ]
    assert spans == [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 3], [1, 3], [1, 3]]
    main_row = table.rows[4]
    assert main_row.cells[1]._tc is main_row.cells[3]._tc


def test_nomination_docx_values_filled_with_official_labels(star):
    document = _read(nomination_docx(star))
    cells = [[c.text for c in _unique_cells(row)] for row in document.tables[0].rows]
    assert cells[0] == ["姓  名", "王小明", "现任职务", "预算科科长"]
    assert cells[1] == ["性  别", "男", "出生年月", "1980.05"]
    assert cells[2] == ["政治面貌", "中共党员", "联系电话", "13912345678"]
    assert cells[3][1] == "2017年 获区优秀公务员（武进区委）\n2018年 获市人民满意公务员（常州市人社局）"
    assert cells[4][1].startswith("该同志扎根窗口服务一线十余年")


def test_nomination_docx_heading_title_and_applicant_line(star):
    paragraphs = [p.text for p in _read(nomination_docx(star)).paragraphs if p.text]
    assert paragraphs[:3] == ["附件1", "“十佳优秀服务明星”申报表", "申报单位（盖章）：武进区财政局"]


def test_nomination_docx_every_run_sets_east_asian_font(star):
    document = _read(nomination_docx(star))
    runs = [r for p in document.paragraphs for r in p.runs]
    runs += [
        r for row in document.tables[0].rows for cell in _unique_cells(row) for p in cell.paragraphs for r in p.runs
    ]
    fonts = {r._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for r in runs}
    assert fonts == {"黑体", "方正小标宋简体", "仿宋_GB2312"}
    assert document.paragraphs[0].runs[0]._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"


def test_nomination_docx_is_a4(star):
    section = _read(nomination_docx(star)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_nomination_docx_opinion_block_blank_date_without_opinion(star):
    opinion_cell = _unique_cells(_read(nomination_docx(star)).tables[0].rows[5])[1]
    lines = [p.text.strip() for p in opinion_cell.paragraphs if p.text.strip()]
    assert lines == ["（盖章）", "年    月    日"]


def test_nomination_docx_opinion_block_filled_when_opinion_given(star):
    give_opinion(star, text="同意推荐。", signed_on=dt.date(2018, 10, 31))
    star.refresh_from_db()
    opinion_cell = _unique_cells(_read(nomination_docx(star)).tables[0].rows[5])[1]
    lines = [p.text.strip() for p in opinion_cell.paragraphs if p.text.strip()]
    assert lines == ["同意推荐。", "（盖章）", "2018年10月31日"]


def test_nomination_docx_masked_hides_phone_and_birth_month(star):
    cells = [[c.text for c in _unique_cells(row)] for row in _read(nomination_docx(star, masked=True)).tables[0].rows]
    assert cells[1][3] == "****.**"
    assert cells[2][3] == "139****5678"
    assert "13912345678" not in str(cells)


def test_blank_form_docx_has_labels_and_empty_values(org):
    award = make_award(make_campaign())
    table = _read(award_form_docx(award.form)).tables[0]
    assert _labels(table) == STAR_LABELS
    assert [c.text for c in _unique_cells(table.rows[0])] == ["姓  名", "", "现任职务", ""]


def test_case_form_docx_has_attachment_2_rows(org):
    award = make_award(make_campaign(), key="service-case", kind="case")
    nomination = make_nomination(award, org.dept_a, title="一窗通办", data={"case_name": "一窗通办", "leader": "李四"})
    document = _read(nomination_docx(nomination))
    assert document.paragraphs[0].text == "附件2"
    cells = [[c.text for c in _unique_cells(row)] for row in document.tables[0].rows]
    assert [row[0] for row in cells] == [
        "牵头处（科）室",
        "负 责 人",
        "事例名称",
        "主要做法及成效\n（500字以内）",
        "辖市（区）作风办\n或主管部门意见",
    ]
    assert cells[2] == ["事例名称", "一窗通办"]
    assert cells[1] == ["负 责 人", "李四", "联系电话", ""]


NO_SOFFICE = shutil.which("soffice") is None


@pytest.mark.skipif(NO_SOFFICE, reason="LibreOffice not installed (optional: libreoffice-writer-nogui)")
def test_nomination_docx_500_characters_fit_one_page_in_libreoffice(org, tmp_path):
    nomination = make_nomination(make_award(make_campaign()), org.dept_a, data={**STAR_DATA, "main_text": text_500()})
    give_opinion(nomination, text="该同志事迹突出，同意推荐。")
    nomination.refresh_from_db()
    source = tmp_path / "form.docx"
    source.write_bytes(nomination_docx(nomination))
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"  # one profile per job: parallel runs do not clash
    command = ["soffice", profile, "--headless", "--convert-to", "pdf", str(source), "--outdir", str(tmp_path)]
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG_FILE)}
    subprocess.run(command, env=env, capture_output=True, timeout=120, check=True)
    assert len(PdfReader(tmp_path / "form.pdf").pages) == 1


def test_nomination_docx_keeps_markup_characters_tabs_and_edge_spaces_as_typed(org):
    award = make_award(make_campaign())
    text = "  前有空格<b>&“引号”\t制表符后 "
    nomination = make_nomination(award, org.dept_a, data={**STAR_DATA, "main_text": text, "position": "A&B<科>"})
    table = _read(nomination_docx(nomination)).tables[0]
    main = table.rows[4].cells[1]
    assert main.text == text.rstrip()  # field_lines drops trailing spaces; leading ones are kept
    run = main.paragraphs[0].runs[0]._r
    assert [child.tag.split("}")[1] for child in run if not child.tag.endswith("rPr")] == ["t", "tab", "t"]
    assert run.t_lst[0].get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    assert table.rows[0].cells[3].text == "A&B<科>"
