"""File writers for the 整改台账: the consolidated Excel sheet and the per-unit Word table for stamping.

Both take the row dicts of selectors.export and know nothing about the database.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable

import xlsxwriter
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from xlsxwriter.utility import xl_rowcol_to_cell_fast
from xlsxwriter.worksheet import CellStringTuple, Worksheet

from zuofeng.core.cn import cn_date
from zuofeng.rectification.models import Light

HEADERS = [
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
WIDTHS = [6, 22, 10, 12, 36, 12, 12, 20, 36, 24, 10, 14, 10, 14, 30, 8, 20, 14, 16]
LIGHT_COLOURS = {Light.RED: "#FF0000", Light.YELLOW: "#FFC000", Light.GREEN: "#00B050", Light.CLOSED: "#BFBFBF"}
LIGHT_COLUMN = HEADERS.index("亮灯")
HEADER_ROW = 2  # title, date line, then the column headers
ONGOING = "长期坚持"


def deadline_label(row: dict) -> str:
    return ONGOING if row["is_ongoing"] else cn_date(row["deadline"])


def source_label(row: dict) -> str:
    detail = row["problem__source_detail"]
    return f"{row['problem__source__name']}（{detail}）" if detail else row["problem__source__name"]


def progress_label(row: dict) -> str:
    if not row["progress"]:
        return ""
    text, percent = row["progress"]
    return f"{text}（完成{percent}%）"


def ledger_cells(seq: int, row: dict) -> list:
    return [
        seq,
        row["unit_label"],
        row["ledger_state_label"],
        source_label(row),
        row["problem__description"],
        row["problem__category__name"],
        row["problem__symptom__name"] or "",
        "；".join(row["benchmarks"]),
        row["text"],
        row["standard"],
        row["responsible_leader"],
        row["responsible_unit_label"],
        row["responsible_person__name"] or row["responsible_name"],
        deadline_label(row),
        progress_label(row),
        Light(row["light"]).label,
        "\n".join(row["evidence"]),
        cn_date(row["closed_on"]),
        row["remark"],
    ]


# Strings xlsxwriter rewrites before writing (control characters, its own _xHHHH_ escapes, rich text):
# left to its general cell writer.
_UNUSUAL = re.compile(r"_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]|^<r>")


class LedgerSheet(Worksheet):
    """xlsxwriter's worksheet with a shorter path for the cell a ledger is made of: a formatted in-line
    string in constant_memory mode. Its general `_write_cell` (the innermost loop, about two thirds
    of a 300,000-row export) escapes attributes and runs five regular expressions per cell; this
    writes the same XML with one (tests/rectification/test_export_ledger.py compares the two).
    Anything else goes to the general writer. xlsxwriter is pinned (requirements.txt): the override
    is checked again when it is upgraded.
    """

    def _write_cell(self, row: int, col: int, cell) -> None:
        if type(cell) is not CellStringTuple or not cell.format or not self.constant_memory:
            return super()._write_cell(row, col, cell)
        string = cell.string
        if _UNUSUAL.search(string):
            return super()._write_cell(row, col, cell)
        space = ' xml:space="preserve"' if string[:1].isspace() or string[-1:].isspace() else ""
        if "&" in string or "<" in string or ">" in string:
            string = string.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        self.fh.write(
            f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{cell.format._get_xf_index()}" t="inlineStr">'
            f"<is><t{space}>{string}</t></is></c>"
        )
        return None


def ledger_xlsx_write(
    *,
    target,
    title: str,
    subtitle: str,
    records: Iterable[dict],
    on_progress: Callable[[int], None] | None = None,
    every: int = 2000,
    tmpdir: str | None = None,
) -> int:
    """Write the sheet row by row (constant_memory keeps one row in memory); returns the number of rows.

    constant_memory spools rows to temporary files in `tmpdir` (a background job's work folder, so a
    worker that dies leaves them where the sweep removes them).
    """
    # Text stays text: no URL guessing, and a description starting with "=" never becomes a formula.
    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "tmpdir": tmpdir,
        },
    )
    sheet = workbook.add_worksheet("整改台账", worksheet_class=LedgerSheet)
    font = {"font_name": "宋体", "font_size": 10}
    title_format = workbook.add_format({"font_name": "黑体", "font_size": 16, "align": "center", "valign": "vcenter"})
    subtitle_format = workbook.add_format({**font, "align": "right"})
    header_format = workbook.add_format(
        {
            **font,
            "bold": True,
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "bg_color": "#D9E1F2",
        }
    )
    cell_format = workbook.add_format({**font, "border": 1, "valign": "top", "text_wrap": True})
    light_formats = {
        light: workbook.add_format({**font, "border": 1, "align": "center", "valign": "top", "bg_color": colour})
        for light, colour in LIGHT_COLOURS.items()
    }
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    last = len(HEADERS) - 1
    sheet.set_row(0, 30)
    sheet.merge_range(0, 0, 0, last, title, title_format)
    sheet.merge_range(1, 0, 1, last, subtitle, subtitle_format)
    sheet.write_row(HEADER_ROW, 0, HEADERS, header_format)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.repeat_rows(HEADER_ROW)
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer("&C第 &P 页，共 &N 页")
    write_string, write_number = sheet.write_string, sheet.write_number
    count = 0
    # Empty cells are not written (a third of a typical row; writing is the slow part of a
    # 300,000-row export); the conditional format below draws their borders instead.
    for count, row in enumerate(records, start=1):
        line = HEADER_ROW + count
        cells = ledger_cells(count, row)
        write_number(line, 0, count, cell_format)
        for col in range(1, len(cells)):
            if cells[col]:
                write_string(
                    line,
                    col,
                    cells[col],
                    light_formats.get(row["light"], cell_format) if col == LIGHT_COLUMN else cell_format,
                )
        if on_progress is not None and count % every == 0:
            on_progress(count)
    if count:
        border = workbook.add_format({"border": 1})
        sheet.conditional_format(HEADER_ROW + 1, 0, HEADER_ROW + count, last, {"type": "blanks", "format": border})
    workbook.close()
    if on_progress is not None:
        on_progress(count)
    return count


DOCX_COLUMNS = [
    ("序号", 10),
    ("问题来源", 20),
    ("问题描述", 50),
    ("类别", 20),
    ("整改措施", 55),
    ("整改标准", 35),
    ("责任领导", 18),
    ("责任人", 18),
    ("完成时限", 22),
    ("备注", 20),
]


def _east_asian(run, name: str, size: float, bold: bool = False) -> None:
    """Word picks the Chinese font from w:eastAsia, which python-docx's font.name does not set."""
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _paragraph(container, text: str, *, font: str, size: float, align=None, bold: bool = False):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    _east_asian(paragraph.add_run(text), font, size, bold)
    return paragraph


def _cell(cell, text: str, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    _east_asian(paragraph.add_run(str(text)), "仿宋", 10.5, bold)


PROBLEM_COLUMNS = 4  # 序号 … 类别: one cell per problem, spanning its measures' rows


def _merge_problem(table, first: int, last: int) -> None:
    if first and last > first:
        for col in range(PROBLEM_COLUMNS):
            table.cell(first, col).merge(table.cell(last, col))


def ledger_docx_write(
    *, target, title: str, unit_name: str, records: Iterable[dict], date: dt.date, ledger_state: str = ""
) -> int:
    """A4 landscape table of one unit's measures, ending with the stamp and date lines; returns the row count.

    As in the paper ledgers, a problem's cells span the rows of all its measures and 序号 counts problems.
    """
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    _paragraph(document, title, font="黑体", size=18, align=WD_ALIGN_PARAGRAPH.CENTER)
    state = f"　　清单状态：{ledger_state}" if ledger_state else ""
    _paragraph(document, f"单位：{unit_name}{state}", font="仿宋", size=14)
    table = document.add_table(rows=1, cols=len(DOCX_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, (name, width) in zip(table.rows[0].cells, DOCX_COLUMNS, strict=True):
        cell.width = Mm(width * 257 / sum(w for _, w in DOCX_COLUMNS))
        _cell(cell, name, bold=True)
    # Header repeats at the top of every printed page.
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    count = problems = 0
    span_start, last_problem = 0, None
    for count, row in enumerate(records, start=1):
        same = row["problem_id"] == last_problem
        if not same:
            _merge_problem(table, span_start, count - 1)
            problems, span_start, last_problem = problems + 1, count, row["problem_id"]
        problem_values = ["", "", "", ""] if same else [
            problems, source_label(row), row["problem__description"], row["problem__category__name"]
        ]  # fmt: skip
        values = [
            *problem_values,
            row["text"],
            row["standard"],
            row["responsible_leader"],
            row["responsible_person__name"] or row["responsible_name"],
            deadline_label(row),
            row["remark"],
        ]
        for cell, value in zip(table.add_row().cells, values, strict=True):
            if value != "":
                _cell(cell, value)
    _merge_problem(table, span_start, count)
    _paragraph(document, "", font="仿宋", size=14)
    _paragraph(document, "单位（盖章）：", font="仿宋", size=14, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, cn_date(date), font="仿宋", size=14, align=WD_ALIGN_PARAGRAPH.RIGHT)
    document.save(target)
    return count
