"""Uploads are checked for real: images decode, PDFs parse, Office files are sound packages, polyglots and
bombs are refused by name; long names keep their extension; a replaced file leaves storage."""

import datetime as dt
import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.nominations import nominate_support as support
from tests.upload_files import (
    docx_bytes,
    docx_with,
    image_bytes,
    jpg_bytes,
    pdf_bytes,
    png_bytes,
    xlsx_bytes,
    zip_bytes,
)
from zuofeng.core import clock
from zuofeng.core.storage import file_changes, private_storage
from zuofeng.core.uploads import DOCX, JPG, PDF, PNG, XLSX, check_upload, short_name
from zuofeng.nominations.models import Nomination, NominationState
from zuofeng.nominations.services.lifecycle import nomination_create_draft, nomination_submit, nomination_withdraw

ALL = {PDF, JPG, PNG, DOCX, XLSX}
LIMIT = 20 * 1024 * 1024

private_root = support.private_root
star = support.star
wujin = support.wujin


@pytest.fixture
def draft(star, org, people):
    with clock.frozen(support.BEFORE):
        return nomination_create_draft(actor=people.reviewer, award=star, unit=org.dept_a, data=support.STAR_DATA)


def check(name: str, data: bytes) -> str:
    return check_upload(SimpleUploadedFile(name, data), allowed=ALL, max_bytes=LIMIT)


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        check(name, data)
    return caught.value.messages[0]


def png_chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def bomb_png(side: int = 20_000) -> bytes:
    """A 1-bit black square of side × side pixels: 50 MB of pixels in about 50 KB of file."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("现场照片.png", png_bytes, PNG),
        ("现场照片.jpg", jpg_bytes, JPG),
        ("盖章申报表.pdf", pdf_bytes, PDF),
        ("整改报告.docx", docx_bytes, DOCX),
        ("整改台账.xlsx", xlsx_bytes, XLSX),
    ],
)
def test_real_files_accepted_with_their_kind(name, make, kind):
    assert check(name, make()) == kind


def test_truncated_png_refused():
    data = image_bytes("PNG", (200, 200))
    assert refusal("照片.png", data[: len(data) // 2]) == "“照片.png” 不是有效的 PNG 图片。"


def test_truncated_jpeg_refused():
    data = image_bytes("JPEG", (200, 200))
    assert refusal("照片.jpg", data[: len(data) // 2]) == "“照片.jpg” 不是有效的 JPG 图片。"


def test_pdf_header_with_garbage_refused():
    data = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
    assert refusal("盖章件.pdf", data) == "“盖章件.pdf” 不是有效的 PDF 文件。"


def test_zip_posing_as_docx_without_content_types_refused():
    data = zip_bytes({"word/document.xml": b"<w:document/>"})
    assert refusal("制度.docx", data) == "“制度.docx” 不是有效的 Word 文档（DOCX）。"


def test_docx_with_parent_directory_entry_refused():
    data = docx_with({"../evil.sh": b"rm -rf /"})
    assert refusal("制度.docx", data) == "“制度.docx” 包含不安全的路径“../evil.sh”，不能上传。"


def test_xlsx_with_absolute_entry_refused():
    data = docx_with({"/etc/cron.d/evil": b"* * * * * root true"})
    assert refusal("台账.docx", data) == "“台账.docx” 包含不安全的路径“/etc/cron.d/evil”，不能上传。"


def test_office_zip_bomb_refused():
    data = docx_with({"word/media/big.bin": b"\x00" * (30 * 1024 * 1024)})
    assert refusal("制度.docx", data) == "“制度.docx” 解压后体积异常（疑似压缩炸弹），不能上传。"


@pytest.mark.parametrize(
    ("name", "make", "tail"),
    [
        ("照片.png", png_bytes, b"<html><script>alert(1)</script></html>"),
        ("照片.jpg", jpg_bytes, b"<script>document.location='http://x'</script>"),
        ("盖章件.pdf", pdf_bytes, b"<!DOCTYPE html><body onload=alert(1)>"),
    ],
)
def test_file_with_html_appended_refused(name, make, tail):
    assert refusal(name, make() + tail) == f"“{name}” 含有网页或脚本代码，不能上传。"


def test_uncompressed_office_xml_is_not_mistaken_for_html():
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes())) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        archive.writestr("xl/rules.xml", b"<cfRule><formula>A1&gt;0</formula></cfRule><w:body/>")
    assert check("台账.xlsx", buffer.getvalue()) == XLSX


def test_png_with_other_data_after_its_end_refused():
    # Past the last KB the HTML search cannot see it; what follows IEND still refuses the file.
    data = png_bytes() + b"PK\x03\x04" + bytes(range(256)) * 8
    message = "“照片.png” 在文件结束标记之后还夹带了其他内容，可能是伪装的网页或程序，不能上传。"
    assert refusal("照片.png", data) == message


def test_png_with_html_in_a_text_chunk_refused():
    data = png_bytes()
    text = png_chunk(b"tEXt", b"Comment\x00<html><script>alert(1)</script>")
    polyglot = data[:33] + text + data[33:]  # after the signature and IHDR
    assert refusal("照片.png", polyglot) == "“照片.png” 含有网页或脚本代码，不能上传。"


def test_decompression_bomb_png_refused_before_decoding():
    data = bomb_png()
    assert len(data) < 100_000
    assert refusal("照片.png", data) == "“照片.png” 图片像素过多（超过 5000 万像素），请缩小后再上传。"


def test_trailing_newlines_after_pdf_end_accepted():
    assert check("盖章件.pdf", pdf_bytes() + b"\r\n\n") == PDF


def test_long_chinese_name_keeps_its_extension():
    name = "关于" + "打通中梗阻激发新动能" * 30 + ".pdf"
    assert len(name) == 306
    shortened = short_name(name)
    assert (len(shortened), shortened[-4:], shortened[:12]) == (255, ".pdf", name[:12])


def test_short_name_leaves_short_names_and_takes_the_base_name():
    assert short_name("盖章申报表.pdf") == "盖章申报表.pdf"
    assert short_name("C:/扫描/盖章申报表.pdf") == "盖章申报表.pdf"
    assert short_name("x" * 300) == "x" * 255


@pytest.mark.django_db
def test_long_scan_name_is_kept_with_extension_on_submit(draft, people, private_root):
    name = "武进区财政局" + "十佳优秀服务明星申报表盖章扫描件" * 20 + ".pdf"
    with clock.frozen(support.BEFORE):
        done = nomination_submit(actor=people.reviewer, nomination=draft, stamped_scan=support.pdf(name))
    assert (len(done.stamped_scan_name), done.stamped_scan_name[-4:]) == (255, ".pdf")


@pytest.mark.django_db
def test_resubmitted_scan_replaces_the_old_file_on_disk(
    draft, people, private_root, django_capture_on_commit_callbacks
):
    with clock.frozen(support.BEFORE), django_capture_on_commit_callbacks(execute=True):
        first = nomination_submit(actor=people.reviewer, nomination=draft, stamped_scan=support.pdf("第一次.pdf"))
        old_name = first.stamped_scan.name
        nomination_withdraw(actor=people.reviewer, nomination=first, reason="补充材料")
        second = nomination_submit(actor=people.reviewer, nomination=first, stamped_scan=support.pdf("第二次.pdf"))
    assert (second.state, second.stamped_scan_name) == (NominationState.SUBMITTED, "第二次.pdf")
    assert second.stamped_scan.name != old_name
    assert not (private_root / old_name).exists()
    scans = private_root / "nominations" / "scans"  # the rendered forms are kept apart
    assert support.stored_files(scans) == [second.stamped_scan.name.rsplit("/", 1)[-1]]


@pytest.mark.django_db
def test_refused_submission_keeps_the_old_file_and_writes_none(draft, people, private_root):
    with clock.frozen(support.BEFORE):
        first = nomination_submit(actor=people.reviewer, nomination=draft, stamped_scan=support.pdf("第一次.pdf"))
        nomination_withdraw(actor=people.reviewer, nomination=first, reason="补充材料")
    before = support.stored_files(private_root)
    with clock.frozen(support.AFTER + dt.timedelta(days=30)), pytest.raises(ValidationError):
        nomination_submit(actor=people.reviewer, nomination=first, stamped_scan=support.pdf("截止后.pdf"))
    assert support.stored_files(private_root) == before
    assert Nomination.objects.get(pk=first.pk).stamped_scan_name == "第一次.pdf"


def test_file_changes_deletes_what_it_wrote_when_the_block_fails(private_root):
    storage = private_storage()
    with pytest.raises(RuntimeError), file_changes(storage) as files:
        files.save("evidence/a.pdf", SimpleUploadedFile("a.pdf", pdf_bytes()))
        raise RuntimeError("数据库写入失败")
    assert support.stored_files(private_root) == []
