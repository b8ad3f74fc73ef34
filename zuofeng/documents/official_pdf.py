"""An official document as PDF (WeasyPrint), GB/T 9704-2012 layout (documents/official.py geometry).

The 版记 belongs at the foot of the last page. The document is laid out once to see how many whole
lines are left under the last text, then again with that much space before the 版记, so its last
rule sits on the text block's bottom edge. PDF attachments come after the text and before the
版记 (GB/T 9704 8.2): the text is rendered without it, then the attachments, then a last page
holding only the 版记 at its foot.
"""

import io

from django.template.loader import render_to_string

from zuofeng.documents import official as g
from zuofeng.documents.official import OfficialDocument
from zuofeng.documents.pdf import _font_config

TEMPLATE = "documents/official.html"
PX_PER_MM = 96 / 25.4


def _geometry() -> dict:
    return {
        "top": g.TOP_MM,
        "left": g.LEFT_MM,
        "right": g.RIGHT_MM,
        "bottom": g.BOTTOM_MM,
        # a hundredth under the pitch: 22 lines of exactly 225/22 mm can round past the block's foot
        "line": f"{g.LINE_PT - 0.01:.3f}",
        "line2": f"{(g.LINE_PT - 0.01) * 2:.3f}",
        "body_pt": g.BODY_PT,
        "title_pt": g.TITLE_PT,
        "page_pt": g.PAGE_NUMBER_PT,
        "spacing": f"{g.LETTER_SPACING_PT:.3f}",
        "red": g.RED,
    }


def official_html(doc: OfficialDocument, *, spacer: float = 0, part: str = "all") -> str:
    """`part`: "all", "main" (everything but the 版记) or "imprint" (the 版记 alone)."""
    imprint = bool(doc.copy_to or doc.printed)
    context = {"doc": doc, "g": _geometry(), "imprint": imprint, "spacer": f"{spacer:.3f}", "part": part}
    return render_to_string(TEMPLATE, context)


def _free_below_imprint(document) -> float:
    """Whole lines (in points) between the 版记's bottom and the text block's bottom on the last page."""
    page = document.pages[-1]
    bottom = (g.TOP_MM + g.BLOCK_H_MM) * PX_PER_MM  # layout positions are CSS pixels
    imprint_bottom = None
    for box in page._page_box.descendants():
        element = getattr(box, "element", None)
        if element is not None and "imprint" in (element.get("class") or "").split():
            imprint_bottom = box.position_y + box.margin_height()
            break
    if imprint_bottom is None:
        return 0
    free = (bottom - imprint_bottom) * 72 / 96
    return max(0.0, (free // g.LINE_PT) * g.LINE_PT)


def _render(doc: OfficialDocument, part: str = "all") -> bytes:
    """Lay out once, then again with the 版记 pushed to the foot of the last page."""
    from weasyprint import HTML

    font_config = _font_config()
    first = HTML(string=official_html(doc, part=part)).render(font_config=font_config)
    spacer = _free_below_imprint(first)
    if not spacer:
        return first.write_pdf()
    return HTML(string=official_html(doc, spacer=spacer, part=part)).render(font_config=font_config).write_pdf()


def official_pdf(doc: OfficialDocument, attachments: list[bytes] = ()) -> bytes:
    if not attachments:
        return _render(doc)
    from pypdf import PdfReader, PdfWriter

    parts = [_render(doc, "main"), *attachments]
    if doc.copy_to or doc.printed:
        parts.append(_render(doc, "imprint"))
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
