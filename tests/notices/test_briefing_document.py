"""简报 in Word and PDF: the red 简报 mark, 第N期, 编 and date over the red rule, no 主送 or 署名,
the adopted items with each item's photo after its text; the PDF carries the photo."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from pypdf import PdfReader

from tests.upload_files import png_bytes
from zuofeng.core import clock
from zuofeng.documents.official_docx import official_docx
from zuofeng.documents.official_pdf import official_pdf
from zuofeng.notices.documents import notice_document
from zuofeng.notices.services.info import briefing_compile, info_decide, info_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def briefing(people, org, wujin, private_root):
    with clock.frozen(dt.date(2018, 9, 1)):
        photo = SimpleUploadedFile("会场.png", png_bytes(), content_type="image/png")
        with_photo = info_report(
            actor=people.reviewer,
            unit=org.dept_a,
            title="召开动员大会",
            text="全局干部参加。",
            happened_on=dt.date(2018, 8, 30),
            photo=photo,
        )
        plain = info_report(
            actor=people.other_leader,
            unit=org.dept_b,
            title="开展窗口督查",
            text="检查窗口八个。",
            happened_on=dt.date(2018, 8, 31),
        )
        for item in (with_photo, plain):
            info_decide(actor=people.office, item=item, adopt=True)
        return briefing_compile(actor=people.office, campaign=wujin, items=[with_photo, plain])


def test_briefing_layout_and_photo(briefing):
    doc = notice_document(briefing.notice)
    assert (doc.issuer_mark, doc.doc_number, doc.title, doc.addressees, doc.signature, doc.date) == (
        briefing.notice.title,
        "第1期",
        "",
        "",
        "",
        "",
    )
    assert doc.editor_line == ("常州市武进区作风建设领导小组办公室编", "2018年9月1日")
    assert [(p.level, p.text, bool(p.image)) for p in doc.body] == [
        (1, "一、召开动员大会", False),
        (0, "全局干部参加。（武进区财政局）", False),
        (0, "", True),
        (1, "二、开展窗口督查", False),
        (0, "检查窗口八个。（武进区商务局）", False),
    ]
    assert doc.body[2].image_type == "image/png"
    word = Document(io.BytesIO(official_docx(doc)))
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == briefing.notice.title and "第1期" in texts
    assert "常州市武进区作风建设领导小组办公室编\t2018年9月1日" in texts
    assert "（第1期）" not in texts and len(word.inline_shapes) == 1
    pdf = PdfReader(io.BytesIO(official_pdf(doc)))
    text = "".join(page.extract_text() for page in pdf.pages).replace(" ", "")
    assert "第1期" in text and "召开动员大会" in text and "办公室编2018年9月1日" in text
    assert sum(len(page.images) for page in pdf.pages) == 1


def test_briefing_downloads_through_the_notice(briefing, people, client_for):
    response = client_for(people.office).get(f"/notices/{briefing.notice.pk}/notice.docx")
    word = Document(io.BytesIO(b"".join(response.streaming_content)))
    assert "第1期" in [p.text for p in word.paragraphs] and len(word.inline_shapes) == 1


def _images(doc) -> list[tuple[str, bool]]:
    return [(p.text, bool(p.image)) for p in doc.body]


def test_a_renamed_heading_keeps_its_photo(briefing):
    notice = briefing.notice
    notice.body = notice.body.replace("一、召开动员大会", "一、全局召开专项活动动员大会")
    notice.save()
    assert _images(notice_document(notice))[:3] == [
        ("一、全局召开专项活动动员大会", False),
        ("全局干部参加。（武进区财政局）", False),
        ("", True),
    ]


def test_with_a_heading_added_photos_follow_the_titles(briefing):
    notice = briefing.notice
    notice.body = "一、开展窗口督查\n检查窗口八个。\n二、其他工作\n另有安排。\n三、召开动员大会\n全局干部参加。"
    notice.save()
    assert _images(notice_document(notice)) == [
        ("一、开展窗口督查", False),
        ("检查窗口八个。", False),
        ("二、其他工作", False),
        ("另有安排。", False),
        ("三、召开动员大会", False),
        ("全局干部参加。", False),
        ("", True),
    ]
