"""The seed notice rendered to PDF, checked from the PDF itself (GB/T 9704-2012): A4, the text block at
37 mm from the top and 28 mm from the left, 28 characters a line and 22 lines on a full page, page
numbers right on odd and left on even pages under the block, the 版记 at the foot of the last page,
every font embedded. Positions come from poppler's `pdftotext -bbox` (a CJK line is one "word")."""

import io
import re
import shutil
import subprocess
from collections import Counter

import pytest
from pypdf import PdfReader

from tests.factories import make_unit
from zuofeng.documents.official_pdf import official_pdf
from zuofeng.notices.documents import notice_document
from zuofeng.notices.services.seed import notice_seed

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
MM = 72 / 25.4
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


_RENDERED: dict[str, bytes] = {}


@pytest.fixture
def seed_pdf(wujin):
    """Rendered once for the module (the database is rebuilt per test, the bytes are the same)."""
    if "pdf" not in _RENDERED:
        safety = make_unit(name="常州市武进区应急管理局（区安全生产监督管理局）", code="N09")
        make_unit(name="办公室", parent=safety, code="N09S01", kind="section")
        notice = notice_seed(campaign=wujin, render_forms=False).notice
        _RENDERED["pdf"] = official_pdf(notice_document(notice))
    return _RENDERED["pdf"]


def _pages(pdf: bytes, tmp_path) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page, its lines: (x0, top, x1, bottom, text), words on one baseline joined."""
    path = tmp_path / "seed.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        lines: dict[int, list] = {}
        for x0, y0, x1, y1, text in WORD.findall(page):
            lines.setdefault(round(float(y1)), []).append((float(x0), float(y0), float(x1), float(y1), text))
        pages.append(
            [
                (
                    min(w[0] for w in ws),
                    min(w[1] for w in ws),
                    max(w[2] for w in ws),
                    max(w[3] for w in ws),
                    "".join(w[4] for w in ws),
                )
                for _, ws in sorted(lines.items())
            ]
        )
    return pages


def test_page_size_is_a4(seed_pdf):
    for page in PdfReader(io.BytesIO(seed_pdf)).pages:
        assert (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)) == (595.3, 841.9)


def test_text_block_28_chars_by_22_lines_at_37_and_28_mm(seed_pdf, tmp_path):
    pages = _pages(seed_pdf, tmp_path)
    full = pages[2]  # page 3: the 实施意见's text from top to bottom
    body = [line for line in full if not line[4].startswith("—")]
    assert len(body) == 22
    assert 37 * MM < body[0][1] < 37 * MM + 9  # the first line's glyphs (half the leading) under the top edge
    assert body[-1][3] <= (37 + 225) * MM  # the 22nd line inside the block
    assert min(line[0] for line in body) == pytest.approx(28 * MM, abs=0.5)
    plain = [line for line in body if line[4].isascii() is False and not re.search(r"[0-9A-Za-z]", line[4])]
    lengths = Counter(len(line[4]) for line in plain)
    assert lengths.most_common(1)[0][0] == 28 and max(lengths) == 28
    widest = max(line[2] for line in plain)
    assert widest == pytest.approx((28 + 156) * MM, abs=1.0)


def test_page_numbers_odd_right_even_left_under_the_block(seed_pdf, tmp_path):
    pages = _pages(seed_pdf, tmp_path)
    for number, page in enumerate(pages, start=1):
        mark = page[-1]
        assert mark[4] == f"—{number}—"
        assert mark[1] >= (37 + 225 + 5) * MM  # below the text block
        if number % 2:
            assert (28 + 156 - 12) * MM < mark[2] < (28 + 156) * MM  # right, one character in
        else:
            assert 28 * MM < mark[0] < (28 + 12) * MM  # left, one character in


def test_first_page_and_imprint(seed_pdf, tmp_path):
    pages = _pages(seed_pdf, tmp_path)
    texts = [line[4] for line in pages[0]]
    assert texts[:2] == ["常州市武进区作风建设领导小组办公室文件", "武作组办〔2018〕2号"]
    assert "2018年8月8日" in texts
    last = pages[-1]
    imprint = [line for line in last if "印发" in line[4]]
    assert [line[4] for line in imprint] == [
        "常州市武进区作风建设领导小组办公室2018年8月8日印发",
        "常州市武进区安全生产监督管理局办公室2018年8月31日印发",
    ]
    assert imprint[-1][3] > (37 + 225) * MM - 40  # in the block's last line (glyphs sit above the line's foot)


def test_every_font_is_embedded(seed_pdf):
    fonts = {}
    for page in PdfReader(io.BytesIO(seed_pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)[
                "/FontDescriptor"
            ].get_object()
            fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    names = sorted(re.sub(r"^[A-Z]{6}\+", "", name.lstrip("/")) for name in fonts)
    assert names == ["LXGW-WenKai", "Noto-Sans-CJK-SC", "Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold"]
    assert all(fonts.values())


def test_pdf_attachments_come_before_the_imprint(tmp_path):
    """GB/T 9704 8.2: 附件 after the text, the 版记 on the last page after them (alone at its foot,
    without a page number)."""
    from zuofeng.documents.official import OfficialDocument, Paragraph, PrintedLine

    doc = OfficialDocument(
        issuer_mark="作风办文件",
        doc_number="武作组办〔2018〕3号",
        title="关于附件的通知",
        addressees="各单位：",
        body=[Paragraph(level=0, text="正文一段。")],
        signature="作风办",
        date="2018年9月3日",
        attachments=["名单"],
        printed=[PrintedLine("作风办", "2018年9月3日")],
    )
    attachment = official_pdf(OfficialDocument(**{**doc.__dict__, "title": "附件名单正文", "printed": []}))
    pages = _pages(official_pdf(doc, [attachment]), tmp_path)
    texts = ["".join(line[4] for line in page) for page in pages]
    assert len(pages) == 3
    assert "正文一段。" in texts[0] and "印发" not in texts[0]
    assert "附件名单正文" in texts[1]
    assert texts[2] == "作风办2018年9月3日印发"
    assert pages[2][-1][3] > (37 + 225) * MM - 40  # in the block's last line, as in the seed's
