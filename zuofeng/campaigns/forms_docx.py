"""Blank nomination forms (申报表) as Word files, laid out from the award's form definition.

Layout follows the attachments of the notice: A4, “附件N” in 黑体, the title in 小标宋, the
申报单位（盖章） line, then a bordered four-column table (label | value | label | value); a row
with one field lets its value span the three right-hand columns. Issue 4 moves the font and page
helpers to a shared documents app.
"""

import io

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
COLUMN_WIDTHS_MM = (32, 46, 32, 46)  # 156 mm: the type area of GB/T 9704 (left 28 mm, right 26 mm)
LINE_MM = 8


def set_run_font(run, east_asian: str, size_pt: float, bold: bool = False) -> None:
    """Word picks Chinese glyphs from w:eastAsia, which python-docx's font.name does not set."""
    run.font.name = LATIN_FONT
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    r_pr = run._element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, r_fonts)
    r_fonts.set(qn("w:eastAsia"), east_asian)


def _paragraph(container, text: str, font: str, size: float, align=None, bold: bool = False):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(0)
    set_run_font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _fill(cell, lines: list[str], align=WD_ALIGN_PARAGRAPH.CENTER, size: float = 14) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    first, *rest = lines or [""]
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    set_run_font(paragraph.add_run(first), BODY_FONT, size)
    for line in rest:
        _paragraph(cell, line, BODY_FONT, size, align)


def _page_setup(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)


def award_form_docx(form: dict) -> bytes:
    """Render a blank form; `form` is Award.form (schema.FormDef dumped)."""
    document = Document()
    _page_setup(document)
    if form.get("attachment"):
        _paragraph(document, f"附件{form['attachment']}", HEADING_FONT, 16)
    title = _paragraph(document, form["title"], TITLE_FONT, 22, WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.space_before = Pt(12)
    title.paragraph_format.space_after = Pt(12)
    if form.get("applicant_line"):
        applicant = _paragraph(document, f"{form['applicant_line']}：", BODY_FONT, 14)
        applicant.paragraph_format.space_after = Pt(6)
    rows = form["rows"]
    table = document.add_table(rows=len(rows), cols=4)
    table.style = "Table Grid"
    table.autofit = False
    for width, grid_col in zip(COLUMN_WIDTHS_MM, table._tbl.tblGrid.gridCol_lst, strict=True):
        grid_col.w = Mm(width)
    for row_def, row in zip(rows, table.rows, strict=True):
        for width, cell in zip(COLUMN_WIDTHS_MM, row.cells, strict=True):
            cell.width = Mm(width)
        row.height = Mm(LINE_MM * max(field.get("lines", 1) for field in row_def) + 4)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        if len(row_def) == 1:
            field = row_def[0]
            _fill(row.cells[0], field["label"].split("\n"))
            value = row.cells[1].merge(row.cells[3])
            _value(value, field)
        else:
            for i, field in enumerate(row_def[:2]):
                _fill(row.cells[2 * i], field["label"].split("\n"))
                _value(row.cells[2 * i + 1], field)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _value(cell, field: dict) -> None:
    """Blank value cell; an opinion block carries the stamp and date lines at its foot."""
    if field.get("type") != "opinion":
        _fill(cell, [""], WD_ALIGN_PARAGRAPH.LEFT)
        return
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
    for _ in range(max(field.get("lines", 1) - 2, 0)):
        _paragraph(cell, "", BODY_FONT, 14)
    if field.get("stamp"):
        _paragraph(cell, "（盖章）：        ", BODY_FONT, 14, WD_ALIGN_PARAGRAPH.RIGHT)
    if field.get("dated"):
        _paragraph(cell, "年    月    日    ", BODY_FONT, 14, WD_ALIGN_PARAGRAPH.RIGHT)
