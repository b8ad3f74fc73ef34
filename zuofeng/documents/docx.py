"""Nomination forms (申报表) as Word files, blank or filled, laid out like the notice's attachments.

A4, “附件N” in 黑体, the title in 小标宋, the 申报单位（盖章） line, then a bordered four-column table
(label | value | label | value); a row with one field lets its value span the three right-hand
columns. The sizes of the long text, the honours and the opinion come from fit.form_fit, so the
worst allowed content still leaves the opinion and 盖章 box on page 1 (the PDF uses the same fit).
"""

import io

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.shared import Mm, Pt

from zuofeng.documents import fonts
from zuofeng.documents.fit import COLUMN_WIDTHS_MM, TABLE_LINE_PT, TABLE_PT, Fit, form_fit
from zuofeng.documents.fonts import BODY_FONT, CENTER, HEADING_FONT, JUSTIFY, LEFT, RIGHT, TITLE_FONT, add_paragraph
from zuofeng.documents.values import OpinionBlock, cn_full_date, nomination_opinion, nomination_values

ATTACHMENT_PT = 16  # 三号
TITLE_PT = 20
APPLICANT_PT = 14  # 四号


def form_docx(
    form: dict, *, unit_name: str = "", values: dict | None = None, opinion: OpinionBlock | None = None
) -> bytes:
    """Render `form` (Award.form); blank when `values` is None."""
    values = values or {}
    document = Document()
    fonts.page_setup(document)
    fonts.set_default_font(document)
    if form.get("attachment"):
        add_paragraph(document, f"附件{form['attachment']}", HEADING_FONT, ATTACHMENT_PT)
    title = add_paragraph(document, form["title"], TITLE_FONT, TITLE_PT, CENTER)
    title.paragraph_format.space_before = Pt(8)
    title.paragraph_format.space_after = Pt(8)
    if form.get("applicant_line"):
        applicant = add_paragraph(document, f"{form['applicant_line']}：{unit_name}", BODY_FONT, APPLICANT_PT)
        applicant.paragraph_format.space_after = Pt(4)
    fit = form_fit(form, values, opinion.text.splitlines() if opinion else [])
    _table(document, form["rows"], values, opinion, fit)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(document, rows: list[list[dict]], values: dict, opinion: OpinionBlock | None, fit: Fit) -> None:
    table = document.add_table(rows=len(rows), cols=4)
    table.style = "Table Grid"
    table.autofit = False
    for width, grid_col in zip(COLUMN_WIDTHS_MM, table._tbl.tblGrid.gridCol_lst, strict=True):
        grid_col.w = Mm(width)
    for index, (row_def, row) in enumerate(zip(rows, table.rows, strict=True)):
        for width, cell in zip(COLUMN_WIDTHS_MM, row.cells, strict=True):
            cell.width = Mm(width)
        row.height = Mm(fit.row_height_mm(index, row_def))
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        if len(row_def) == 1:
            field = row_def[0]
            _fill(row.cells[0], field["label"].split("\n"))
            _value(row.cells[1].merge(row.cells[3]), field, values, opinion, fit)
        else:
            for i, field in enumerate(row_def[:2]):
                _fill(row.cells[2 * i], field["label"].split("\n"))
                _value(row.cells[2 * i + 1], field, values, opinion, fit)


def _fill(
    cell, lines: list[str], align=CENTER, indent: bool = False, size: float = TABLE_PT, line_pt: float = TABLE_LINE_PT
) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    first, *rest = lines or [""]
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    fonts.set_run_font(paragraph.add_run(first), BODY_FONT, size)
    paragraphs = [paragraph] + [add_paragraph(cell, line, BODY_FONT, size, align) for line in rest]
    for p in paragraphs:
        fonts.tighten(p, size)
        # exact line height: CJK fonts' own line gap would make "single" spacing too loose
        p.paragraph_format.line_spacing = Pt(line_pt)
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)


def _value(cell, field: dict, values: dict, opinion: OpinionBlock | None, fit: Fit) -> None:
    if field.get("type") == "opinion":
        _opinion(cell, field, opinion, fit)
        return
    lines = values.get(field["key"], [])
    size, line_pt = fit.of(field["key"])
    if field.get("type") == "textarea":
        _fill(cell, lines, JUSTIFY, indent=bool(field.get("max_chars")), size=size, line_pt=line_pt)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
        return
    _fill(cell, lines, CENTER if len(" ".join(lines)) <= 12 else LEFT, size=size, line_pt=line_pt)


def _opinion(cell, field: dict, opinion: OpinionBlock | None, fit: Fit) -> None:
    """The opinion text, then the stamp placeholder and the date at the foot of the cell."""
    text_lines = opinion.text.splitlines() if opinion else []
    size, line_pt = fit.of(field["key"])
    _fill(cell, text_lines, LEFT, indent=bool(text_lines), size=size, line_pt=line_pt)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
    for _ in range(max(field.get("lines", 1) - 2 - len(text_lines), 0)):
        add_paragraph(cell, "", BODY_FONT, TABLE_PT)
    if field.get("stamp"):
        add_paragraph(cell, "（盖章）        ", BODY_FONT, TABLE_PT, RIGHT)
    if field.get("dated"):
        date = cn_full_date(opinion.signed_on) if opinion and opinion.signed_on else "年    月    日"
        add_paragraph(cell, f"{date}    ", BODY_FONT, TABLE_PT, RIGHT)


def award_form_docx(form: dict) -> bytes:
    """The blank form for offline filling."""
    return form_docx(form)


def nomination_docx(nomination, *, masked: bool = False) -> bytes:
    return form_docx(
        nomination.award.form,
        unit_name=nomination.unit.name,
        values=nomination_values(nomination, masked=masked),
        opinion=nomination_opinion(nomination),
    )
