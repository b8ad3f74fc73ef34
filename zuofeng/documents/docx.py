"""Nomination forms (申报表) as Word files, blank or filled, laid out like the notice's attachments.

A4, “附件N” in 黑体, the title in 小标宋, the 申报单位（盖章） line, then a bordered four-column table
(label | value | label | value); a row with one field lets its value span the three right-hand
columns. The sizes of the long text, the honours and the opinion come from fit.form_fit, so the
worst allowed content still leaves the opinion and 盖章 box on page 1 (the PDF uses the same fit).

The table is written as WordprocessingML text and parsed once: building it cell by cell through
python-docx's object API cost three quarters of a form's time (every property set searches the
element's children). The XML is what that API wrote, element for element
(tests/documents/test_docx_layout.py reads it back through python-docx).
"""

import io
import re
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, Pt

from zuofeng.documents import fonts
from zuofeng.documents.fit import COLUMN_WIDTHS_MM, TABLE_LINE_PT, TABLE_PT, Fit, form_fit
from zuofeng.documents.fonts import BODY_FONT, HEADING_FONT, LATIN_FONT, LINE_HEIGHT, TITLE_FONT, add_paragraph
from zuofeng.documents.inputs import FormInputs, nomination_inputs
from zuofeng.documents.values import OpinionBlock, cn_full_date

ATTACHMENT_PT = 16  # 三号
TITLE_PT = 20
APPLICANT_PT = 14  # 四号
# Paragraph alignments as WordprocessingML writes them (w:jc).
CENTER, LEFT, RIGHT, JUSTIFY = "center", "left", "right", "both"
_TABLE_PROPERTIES = (
    '<w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/><w:tblLayout w:type="fixed"/>'
    '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1"'
    ' w:val="04A0"/></w:tblPr>'
)
_SPECIAL = re.compile(r"([\t\r\n])")  # a tab becomes w:tab, a line break w:br, as python-docx writes them
_COLUMN_TWIPS = [Mm(width).twips for width in COLUMN_WIDTHS_MM]


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
    title = add_paragraph(document, form["title"], TITLE_FONT, TITLE_PT, fonts.CENTER)
    title.paragraph_format.space_before = Pt(8)
    title.paragraph_format.space_after = Pt(8)
    if form.get("applicant_line"):
        applicant = add_paragraph(document, f"{form['applicant_line']}：{unit_name}", BODY_FONT, APPLICANT_PT)
        applicant.paragraph_format.space_after = Pt(4)
    fit = form_fit(form, values, opinion.text.splitlines() if opinion else [])
    document.element.body._insert_tbl(parse_xml(_table(form["rows"], values, opinion, fit)))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(rows: list[list[dict]], values: dict, opinion: OpinionBlock | None, fit: Fit) -> str:
    grid = "".join(f'<w:gridCol w:w="{twips}"/>' for twips in _COLUMN_TWIPS)
    parts = [f"<w:tbl {nsdecls('w')}>", _TABLE_PROPERTIES, f"<w:tblGrid>{grid}</w:tblGrid>"]
    for index, row_def in enumerate(rows):
        height = Mm(fit.row_height_mm(index, row_def)).twips
        parts.append(f'<w:tr><w:trPr><w:trHeight w:val="{height}" w:hRule="atLeast"/></w:trPr>')
        if len(row_def) == 1:
            field = row_def[0]
            parts.append(_cell(_COLUMN_TWIPS[0], "center", _fill(field["label"].split("\n"))))
            valign, paragraphs = _value(field, values, opinion, fit)
            parts.append(_cell(sum(_COLUMN_TWIPS[1:]), valign, paragraphs, span=3))
        else:
            for i, field in enumerate(row_def[:2]):
                parts.append(_cell(_COLUMN_TWIPS[2 * i], "center", _fill(field["label"].split("\n"))))
                valign, paragraphs = _value(field, values, opinion, fit)
                parts.append(_cell(_COLUMN_TWIPS[2 * i + 1], valign, paragraphs))
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def _cell(width: int, valign: str, paragraphs: str, span: int = 1) -> str:
    grid_span = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{grid_span}<w:vAlign w:val="{valign}"/></w:tcPr>'
        f"{paragraphs}</w:tc>"
    )


def _paragraph(text: str, size: float, line_pt: float, align: str | None = None, indent: bool = False) -> str:
    """One paragraph in the body font without spacing around, at an exact line height (CJK fonts' own
    line gap would make "single" spacing too loose, and differently in Word and LibreOffice)."""
    properties = f'<w:spacing w:before="0" w:after="0" w:line="{Pt(line_pt).twips}" w:lineRule="exact"/>'
    if indent:
        properties += f'<w:ind w:firstLine="{Pt(size * 2).twips}"/>'
    if align is not None:
        properties += f'<w:jc w:val="{align}"/>'
    # Word picks Chinese glyphs from w:eastAsia, Latin ones from w:ascii/w:hAnsi.
    run_properties = (
        f'<w:rPr><w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{BODY_FONT}"/>'
        f'<w:b w:val="0"/><w:sz w:val="{int(Pt(size).pt * 2)}"/></w:rPr>'
    )
    return f"<w:p><w:pPr>{properties}</w:pPr><w:r>{run_properties}{_run_content(text)}</w:r></w:p>"


def _run_content(text: str) -> str:
    content = []
    for piece in _SPECIAL.split(text):
        if piece == "\t":
            content.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            content.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            content.append(f"<w:t{space}>{escape(piece)}</w:t>")
    return "".join(content)


def _fill(
    lines: list[str], align: str = CENTER, indent: bool = False, size: float = TABLE_PT, line_pt: float = TABLE_LINE_PT
) -> str:
    return "".join(_paragraph(line, size, line_pt, align, indent) for line in lines or [""])


def _value(field: dict, values: dict, opinion: OpinionBlock | None, fit: Fit) -> tuple[str, str]:
    """The vertical alignment and paragraphs of a value cell."""
    if field.get("type") == "opinion":
        return "bottom", _opinion(field, opinion, fit)
    lines = values.get(field["key"], [])
    size, line_pt = fit.of(field["key"])
    if field.get("type") == "textarea":
        return "top", _fill(lines, JUSTIFY, indent=bool(field.get("max_chars")), size=size, line_pt=line_pt)
    return "center", _fill(lines, CENTER if len(" ".join(lines)) <= 12 else LEFT, size=size, line_pt=line_pt)


def _opinion(field: dict, opinion: OpinionBlock | None, fit: Fit) -> str:
    """The opinion text, then the stamp placeholder and the date at the foot of the cell."""
    text_lines = opinion.text.splitlines() if opinion else []
    size, line_pt = fit.of(field["key"])
    parts = [_fill(text_lines, LEFT, indent=bool(text_lines), size=size, line_pt=line_pt)]
    plain_line = round(TABLE_PT * LINE_HEIGHT, 1)
    for _ in range(max(field.get("lines", 1) - 2 - len(text_lines), 0)):
        parts.append(_paragraph("", TABLE_PT, plain_line))
    if field.get("stamp"):
        parts.append(_paragraph("（盖章）        ", TABLE_PT, plain_line, RIGHT))
    if field.get("dated"):
        date = cn_full_date(opinion.signed_on) if opinion and opinion.signed_on else "年    月    日"
        parts.append(_paragraph(f"{date}    ", TABLE_PT, plain_line, RIGHT))
    return "".join(parts)


def award_form_docx(form: dict) -> bytes:
    """The blank form for offline filling."""
    return form_docx(form)


def inputs_docx(inputs: FormInputs) -> bytes:
    return form_docx(inputs.form, **inputs.as_kwargs())


def nomination_docx(nomination, *, masked: bool = False) -> bytes:
    return inputs_docx(nomination_inputs(nomination, masked=masked))
