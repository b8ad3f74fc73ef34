"""An official document as a Word file, GB/T 9704-2012 layout (documents/official.py geometry).

Every paragraph has an exact line height of 225/22 mm and body runs are set 0.2 pt tighter, so the
156 × 225 mm block holds 22 lines of 28 characters in Word as on paper (a document grid, w:docGrid,
is read differently by Word and LibreOffice, so none is set).
Fonts are the official names (仿宋_GB2312, 黑体, 楷体_GB2312, 方正小标宋简体), which Word resolves on the
reader's PC. Page numbers "— 1 —" in 4号 宋体 sit in odd (right) and even (left) footers.
"""

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from zuofeng.documents import fonts
from zuofeng.documents import official as g
from zuofeng.documents.official import OfficialDocument, Paragraph

KAI_FONT = "楷体_GB2312"
SONG_FONT = "宋体"
RED = RGBColor(0xE6, 0x00, 0x12)


def _grid(section) -> None:
    section.page_width, section.page_height = Mm(g.PAGE_MM[0]), Mm(g.PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(g.TOP_MM), Mm(g.BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(g.LEFT_MM), Mm(g.RIGHT_MM)
    section.footer_distance = Mm(g.BOTTOM_MM - 7 - 6)  # the number's line 7 mm under the block
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is not None:  # no snapping: every paragraph sets the line pitch exactly (_paragraph)
        section._sectPr.remove(grid)


def _run(paragraph, text: str, font: str, size: float, bold: bool = False):
    """A run in `font`; body-size type is set 0.2 pt tighter so 28 characters fill the 156 mm line."""
    run = paragraph.add_run(text)
    fonts.set_run_font(run, font, size, bold)
    if size == g.BODY_PT:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(round(g.LETTER_SPACING_PT * 20)))
        run._r.get_or_add_rPr().append(spacing)
    return run


def _paragraph(document, text: str = "", font: str = fonts.BODY_FONT, size: float = g.BODY_PT, **kw):
    paragraph = document.add_paragraph()
    format_ = paragraph.paragraph_format
    format_.space_before = format_.space_after = Pt(0)
    format_.line_spacing = Pt(round(g.LINE_PT - 0.02, 2))  # exactly: 22 lines fill the 225 mm block
    if kw.get("align") is not None:
        paragraph.alignment = kw["align"]
    if kw.get("indent"):
        format_.first_line_indent = Pt(g.CHAR_PT * kw["indent"])
    if kw.get("right"):
        format_.right_indent = Pt(g.CHAR_PT * kw["right"])
    if kw.get("left"):
        format_.left_indent = Pt(g.CHAR_PT * kw["left"])
    if text:
        run = _run(paragraph, text, font, size, bold=kw.get("bold", False))
        if kw.get("color") is not None:
            run.font.color.rgb = kw["color"]
    return paragraph


def _border(paragraph, side: str, size_eighths: int, color: str = "000000") -> None:
    properties = paragraph._p.get_or_add_pPr()
    borders = properties.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        properties.append(borders)
    edge = OxmlElement(f"w:{side}")
    for key, value in (("val", "single"), ("sz", str(size_eighths)), ("space", "1"), ("color", color)):
        edge.set(qn(f"w:{key}"), value)
    borders.append(edge)


def _body(document, paragraphs: list[Paragraph]) -> None:
    for p in paragraphs:
        if p.image:
            document.add_picture(io.BytesIO(p.image), width=Mm(g.IMAGE_W_MM))
            document.paragraphs[-1].alignment = fonts.CENTER
        elif p.level == 1:
            _paragraph(document, p.text, fonts.HEADING_FONT, indent=2)
        elif p.level == 2:
            paragraph = _paragraph(document, "", indent=2)
            _run(paragraph, p.head, KAI_FONT, g.BODY_PT)
            if p.text:
                _run(paragraph, p.text, fonts.BODY_FONT, g.BODY_PT)
        else:
            _paragraph(document, p.text, indent=2, align=fonts.JUSTIFY)


def _note(document, names: list[str]) -> None:
    _paragraph(document)
    for index, name in enumerate(names, start=1):
        label = f"{index}. {name}" if len(names) > 1 else name
        if index == 1:
            _paragraph(document, f"附件：{label}", left=2)
        else:
            _paragraph(document, label, left=5)


def _page_numbers(document, section) -> None:
    document.settings.odd_and_even_pages_header_footer = True
    for footer, align, side in ((section.footer, fonts.RIGHT, "right"), (section.even_page_footer, fonts.LEFT, "left")):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        setattr(paragraph.paragraph_format, f"{side}_indent", Pt(g.PAGE_NUMBER_PT))  # 空一字
        fonts.set_run_font(paragraph.add_run("— "), SONG_FONT, g.PAGE_NUMBER_PT)
        run = paragraph.add_run()
        fonts.set_run_font(run, SONG_FONT, g.PAGE_NUMBER_PT)
        for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
            if kind:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._r.append(char)
            else:
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._r.append(instr)
        fonts.set_run_font(paragraph.add_run(" —"), SONG_FONT, g.PAGE_NUMBER_PT)


def official_docx(doc: OfficialDocument) -> bytes:
    document = Document()
    section = document.sections[0]
    _grid(section)
    fonts.set_default_font(document, fonts.BODY_FONT, g.BODY_PT)
    _page_numbers(document, section)
    _paragraph(document, doc.issuer_mark, fonts.TITLE_FONT, doc.mark_pt, align=fonts.CENTER, color=RED)
    _paragraph(document)
    number = _paragraph(document, doc.doc_number, align=fonts.CENTER)
    if doc.editor_line:  # 简报: 编 on the left, the date on the right, over the rule
        number = _paragraph(document, f"{doc.editor_line[0]}\t{doc.editor_line[1]}", left=1, right=1)
        number.paragraph_format.tab_stops.add_tab_stop(Mm(g.BLOCK_W_MM - 10), alignment=2)
    _border(number, "bottom", 12, "E60012")  # the red rule under the 发文字号 (1.5 pt)
    _paragraph(document)
    if doc.title:
        _paragraph(document, doc.title, fonts.TITLE_FONT, g.TITLE_PT, align=fonts.CENTER)
        _paragraph(document)
    if doc.addressees:
        _paragraph(document, doc.addressees, align=fonts.JUSTIFY)
    _body(document, doc.body)
    if doc.attachments and not doc.enclosure:
        _note(document, doc.attachments)
    if doc.signature or doc.date:
        _paragraph(document)
        _paragraph(document, doc.signature, align=fonts.RIGHT, right=2)
        _paragraph(document, doc.date, align=fonts.RIGHT, right=4)
    if doc.enclosure:
        document.add_section(WD_SECTION.NEW_PAGE)
        _paragraph(document, doc.enclosure_title, fonts.TITLE_FONT, g.TITLE_PT, align=fonts.CENTER)
        _paragraph(document)
        _body(document, doc.enclosure)
        if doc.attachments:
            _note(document, doc.attachments)
    lines = ([f"抄送：{doc.copy_to}"] if doc.copy_to else []) + [f"{p.by}\t{p.on}印发" for p in doc.printed]
    if lines:
        _paragraph(document)
    for index, text in enumerate(lines):
        paragraph = _paragraph(document, text, fonts.BODY_FONT, 14, left=1, right=1)
        paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(g.BLOCK_W_MM - 10), alignment=2)  # right tab
        paragraph.paragraph_format.keep_with_next = index < len(lines) - 1
        if index == 0:
            _border(paragraph, "top", 8)
        _border(paragraph, "bottom", 8 if index == len(lines) - 1 else 4)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
