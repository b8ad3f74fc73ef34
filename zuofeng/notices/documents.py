"""A notice as an official document (documents.official): what is printed, in GB/T 9704 terms."""

import io
import os
import re

from django.http import FileResponse

from zuofeng.core.cn import cn_date
from zuofeng.core.uploads import CONTENT_TYPES, DOCX, PDF
from zuofeng.documents.official import OfficialDocument, Paragraph, PrintedLine
from zuofeng.documents.official_docx import official_docx
from zuofeng.documents.official_pdf import official_pdf
from zuofeng.notices.models import Briefing, Bulletin, Notice
from zuofeng.notices.services.bulletins import bulletin_body
from zuofeng.notices.text import body_blocks


def _paragraphs(text: str) -> list[Paragraph]:
    return [Paragraph(level=b.level, text=b.text, head=b.head) for b in body_blocks(text)]


def notice_document(notice: Notice) -> OfficialDocument:
    briefing = getattr(notice, "briefing", None) if notice.pk else None
    if briefing is not None:
        return briefing_document(briefing)
    addressees = notice.addressees_text.strip()
    if not addressees:
        addressees = "、".join(u.name for u in notice.addressees.order_by("sort_key")) + "："
    printed = [PrintedLine(notice.printed_by, cn_date(notice.printed_on))] if notice.printed_on else []
    printed += [PrintedLine(f.printed_by, cn_date(f.printed_on)) for f in notice.forwardings.order_by("created_at")]
    return OfficialDocument(
        issuer_mark=f"{notice.issuer}文件",
        doc_number=notice.doc_number,
        title=notice.title,
        addressees=addressees,
        body=_paragraphs(notice.body),
        signature=notice.issuer,
        date=cn_date(notice.signed_on),
        attachments=notice.attachment_names,
        enclosure_title=notice.enclosure_title,
        enclosure=_paragraphs(notice.enclosure_body),
        copy_to=notice.copy_to,
        printed=printed,
    )


def notice_attachment_pdfs(notice: Notice) -> list[bytes]:
    """The PDF 附件 files, appended to the notice's PDF in their order (others are downloaded apart)."""
    parts = []
    for attachment in notice.attachments.filter(content_type="application/pdf"):
        with attachment.file.open("rb") as f:
            parts.append(f.read())
    return parts


def bulletin_document(bulletin: Bulletin) -> OfficialDocument:
    """A sent bulletin prints as the notice it was issued as; any other as the 通报 with the fields
    released (a draft: the fields released by default, names and phones left out)."""
    if bulletin.notice_id:
        return notice_document(bulletin.notice)
    campaign = bulletin.campaign
    issuer = campaign.issuer if campaign else "作风办"
    on = bulletin.published_at.date() if bulletin.published_at else bulletin.created_at.date()
    return OfficialDocument(
        issuer_mark=f"{issuer}文件",
        doc_number="",
        title=bulletin.title,
        addressees="",
        body=_paragraphs(bulletin_body(bulletin, preview=bulletin.state == "draft")),
        signature=issuer,
        date=cn_date(on),
    )


# The two lines briefing_compile puts at the top of a 简报's text; the 简报 header prints them itself.
_BRIEFING_HEAD = re.compile(r"^（第\d+期）$|^.+编　\d{4}年\d{1,2}月\d{1,2}日$")
_PHOTO_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


def _photo(item) -> Paragraph | None:
    if not item.photo:
        return None
    with item.photo.open("rb") as f:
        data = f.read()
    return Paragraph(level=0, text="", image=data, image_type=_PHOTO_TYPES.get(os.path.splitext(item.photo.name)[1]))


def _briefing_items(briefing: Briefing, headings: list[str]) -> list:
    """The item behind each heading (None where there is none). While the office keeps one heading per
    item the k-th heading is the k-th item compiled, whatever its wording now; once it has added or
    removed headings, a heading finds its item by the item's title."""
    items = list(briefing.items.order_by("briefing_order", "id"))
    if len(headings) == len(items):
        return items
    by_title = {i.title: i for i in items}
    return [by_title.pop(text.split("、", 1)[-1], None) for text in headings]


def briefing_document(briefing: Briefing) -> OfficialDocument:
    """简报 第N期: the red 简报 mark, 第N期, 编 and date over the rule, then the adopted items, each
    item's photo after its text (the text the office may have edited, see _briefing_items)."""
    notice = briefing.notice
    blocks = [b for b in body_blocks(notice.body) if not (b.level == 0 and _BRIEFING_HEAD.match(b.text))]
    items = iter(_briefing_items(briefing, [b.text for b in blocks if b.level == 1]))
    body, pending = [], None
    for block in blocks:
        body.append(Paragraph(level=block.level, text=block.text, head=block.head))
        if block.level == 1:
            item = next(items)
            pending = _photo(item) if item is not None else None
        elif block.level == 0 and body and pending is not None:
            body.append(pending)
            pending = None
    return OfficialDocument(
        issuer_mark=notice.title,
        doc_number=f"第{briefing.number}期",
        title="",
        addressees="",
        body=body,
        signature="",
        date="",
        editor_line=(f"{notice.issuer}编", cn_date(notice.signed_on)),
        copy_to=notice.copy_to,
        printed=[PrintedLine(notice.printed_by, cn_date(notice.printed_on))] if notice.printed_on else [],
    )


def document_response(doc: OfficialDocument, *, fmt: str, name: str, attachments: list[bytes] = ()) -> FileResponse:
    """The document as a Word or PDF download (the PDF with its PDF 附件 before the 版记)."""
    if fmt == "pdf":
        content, kind = official_pdf(doc, attachments), CONTENT_TYPES[PDF]
    else:
        content, kind = official_docx(doc), CONTENT_TYPES[DOCX]
    filename = name[:120] + f".{fmt}"
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=kind)
