"""Upload checks by content, not by file name: a renamed .exe is not a PDF, a truncated scan is not a scan.

`check_upload(file, allowed=..., max_bytes=...)` returns the detected kind ("pdf", "jpg",
"png", "docx", "xlsx") or raises ValidationError with a Chinese message naming the file.
The name's extension must agree with the content, so what people download later opens in
the program its name promises. Beyond the first bytes:

* an image must decode completely (Pillow open + load) and stay under MAX_IMAGE_PIXELS, checked
  on the header before anything is decoded, so a small PNG cannot inflate into gigabytes;
* a PDF must parse (pypdf) and have at least one page;
* a DOCX/XLSX must be an Office package: a zip whose entries all pass their CRC, with
  [Content_Types].xml declaring the main part, no entry outside the package root (absolute,
  drive-letter or `..` paths) and bounded inflated size and compression ratio;
* nothing may follow the end of an image or PDF (IEND, the last JPEG EOI, the last %%EOF)
  except padding, and no HTML or script marker may appear in the first or last KB of the
  file: a JPEG with `<script>` appended is a web page to a browser that sniffs content.

`short_name(name)` shortens an uploaded file name to fit a column, keeping its extension.
"""

import io
import logging
import os
import re
import struct
import zipfile

from django.core.exceptions import ValidationError
from PIL import Image

PDF, JPG, PNG, DOCX, XLSX = "pdf", "jpg", "png", "docx", "xlsx"

LABELS = {PDF: "PDF 文件", JPG: "JPG 图片", PNG: "PNG 图片", DOCX: "Word 文档（DOCX）", XLSX: "Excel 表格（XLSX）"}
CONTENT_TYPES = {
    PDF: "application/pdf",
    JPG: "image/jpeg",
    PNG: "image/png",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {".pdf": PDF, ".jpg": JPG, ".jpeg": JPG, ".png": PNG, ".docx": DOCX, ".xlsx": XLSX}

# 50 million pixels: an 8000 × 6000 phone photo or a 600-dpi A3 scan passes; decoding one
# takes 150 MB of memory at most (RGB), so a worker survives the largest allowed image.
MAX_IMAGE_PIXELS = 50_000_000
# An Office file of 20 MB inflates to well under this; XML compresses 5–20×, a sheet of
# repeated rows up to ~100×. A zip bomb reaches 1000× and more.
MAX_INFLATED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_ENTRIES = 5000
TOO_MANY_PIXELS = f"图片像素过多（超过 {MAX_IMAGE_PIXELS // 10000} 万像素），请缩小后再上传。"
EDGE_BYTES = 1024  # how much of each end of a file is searched for HTML

_MAGIC = {PDF: b"%PDF-", JPG: b"\xff\xd8\xff", PNG: b"\x89PNG\r\n\x1a\n"}
_PIL_FORMATS = {JPG: "JPEG", PNG: "PNG"}
# The main part an Office file must declare; macro-enabled parts (.docm/.xlsm) have other types.
_OOXML = {
    DOCX: ("word/document.xml", b"wordprocessingml.document.main+xml"),
    XLSX: ("xl/workbook.xml", b"spreadsheetml.sheet.main+xml"),
}
_CONTENT_TYPES_LIMIT = 256 * 1024  # [Content_Types].xml is a few KB; never inflate more than this
# What makes a browser treat bytes as a page. Compressed image or PDF data contains one of
# these by chance with a probability far below one in a billion files.
_HTML_MARKERS = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|object|embed|svg|meta|form|img)(?![\w:-])|javascript:", re.I
)
_PADDING = b" \t\r\n\x00"

# pypdf reports every repaired cross-reference table as a warning; a refusal is our message.
logging.getLogger("pypdf").setLevel(logging.ERROR)


class _Refused(Exception):
    """A reason to refuse, as the Chinese sentence after the file's name."""


def size_label(n_bytes: int) -> str:
    if n_bytes >= 1024 * 1024 and n_bytes % (1024 * 1024) == 0:
        return f"{n_bytes // (1024 * 1024)} MB"
    if n_bytes >= 1024 * 1024:
        return f"{n_bytes / (1024 * 1024):.1f} MB"
    return f"{max(1, n_bytes // 1024)} KB"


def kinds_label(allowed: set[str]) -> str:
    return "、".join(LABELS[k] for k in (PDF, JPG, PNG, DOCX, XLSX) if k in allowed)


def short_name(name: str, limit: int = 255) -> str:
    """`name` cut to `limit` characters, keeping its extension (a long …….pdf stays .pdf)."""
    name = os.path.basename(name or "")
    if len(name) <= limit:
        return name
    stem, extension = os.path.splitext(name)
    if not stem or len(extension) >= limit:
        return name[:limit]
    return stem[: limit - len(extension)] + extension


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, os.SEEK_END)
        size = file.tell()
        file.seek(position)
    return size


def _read_all(file) -> bytes:
    file.seek(0)
    try:
        return file.read()
    finally:
        file.seek(0)


# ── images ──────────────────────────────────────────────────────────────────


def _png_end(data: bytes) -> int:
    """Offset just past the IEND chunk, walking the chunk lengths from the signature."""
    offset = len(_MAGIC[PNG])
    while offset + 12 <= len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        tag = data[offset + 4 : offset + 8]
        offset += 12 + length
        if tag == b"IEND":
            return offset
    raise _Refused("bad")


def _jpg_end(data: bytes) -> int:
    end = data.rfind(b"\xff\xd9")  # the last EOI: a multi-picture JPEG (MPO) ends with its last image
    if end < 0:
        raise _Refused("bad")
    return end + 2


def _check_image(data: bytes, kind: str) -> None:
    try:
        with Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[kind]]) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise _Refused(TOO_MANY_PIXELS)
            image.load()  # decodes every pixel: a truncated or corrupt file fails here
    except _Refused:
        raise
    except Image.DecompressionBombError:  # Pillow's own limit, checked in open() for the largest ones
        raise _Refused(TOO_MANY_PIXELS) from None
    except (OSError, SyntaxError, ValueError, struct.error, EOFError):
        raise _Refused("bad") from None
    _nothing_after(data, _png_end(data) if kind == PNG else _jpg_end(data))


# ── PDF ─────────────────────────────────────────────────────────────────────


def _check_pdf(data: bytes) -> None:
    from pypdf import PdfReader  # imported on use: it costs start-up time in every worker

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _Refused("设有打开密码，请上传未加密的 PDF。")
        if len(reader.pages) < 1:
            raise _Refused("bad")
        reader.pages[0].mediabox  # noqa: B018 — the first page object must resolve
    except _Refused:
        raise
    except Exception:  # pypdf raises many types on broken files (PdfReadError, KeyError, ValueError …)
        raise _Refused("bad") from None
    end = data.rfind(b"%%EOF")
    if end < 0:
        raise _Refused("bad")
    _nothing_after(data, end + len(b"%%EOF"))


def _nothing_after(data: bytes, end: int) -> None:
    if data[end:].strip(_PADDING):
        raise _Refused("在文件结束标记之后还夹带了其他内容，可能是伪装的网页或程序，不能上传。")


# ── Office packages ─────────────────────────────────────────────────────────


def _unsafe_entry(name: str) -> bool:
    """An entry a careless unzip would write outside its folder."""
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or "\\" in name or ".." in parts or bool(re.match(r"^[A-Za-z]:", name))


def _check_ooxml(data: bytes, kind: str) -> None:
    main_part, declared = _OOXML[kind]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            for entry in entries:
                if _unsafe_entry(entry.filename):
                    raise _Refused(f"包含不安全的路径“{entry.filename}”，不能上传。")
            inflated = sum(entry.file_size for entry in entries)
            compressed = sum(entry.compress_size for entry in entries)
            if len(entries) > MAX_ENTRIES or inflated > MAX_INFLATED_BYTES or inflated > MAX_RATIO * max(compressed, 1):
                raise _Refused("解压后体积异常（疑似压缩炸弹），不能上传。")
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" not in names or main_part not in names:
                raise _Refused("bad")
            with archive.open("[Content_Types].xml") as types:
                if declared not in types.read(_CONTENT_TYPES_LIMIT):
                    raise _Refused("bad")
            # zipfile never inflates an entry past its declared size, so this is bounded above.
            if archive.testzip() is not None:
                raise _Refused("bad")
    except _Refused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise _Refused("bad") from None


# ── the check ───────────────────────────────────────────────────────────────


def _check_content(data: bytes, kind: str) -> None:
    if kind in _MAGIC:
        if not data.startswith(_MAGIC[kind]):
            raise _Refused("bad")
    elif not data.startswith(b"PK\x03\x04"):
        raise _Refused("bad")
    if _HTML_MARKERS.search(data[:EDGE_BYTES]) or _HTML_MARKERS.search(data[-EDGE_BYTES:]):
        raise _Refused("含有网页或脚本代码，不能上传。")
    if kind in _PIL_FORMATS:
        _check_image(data, kind)
    elif kind == PDF:
        _check_pdf(data)
    else:
        _check_ooxml(data, kind)


def content_is(file, kind: str) -> bool:
    """Whether the bytes of `file` really are a (sound, safe) `kind` file."""
    try:
        _check_content(_read_all(file), kind)
    except _Refused:
        return False
    return True


def check_upload(file, *, allowed: set[str], max_bytes: int) -> str:
    """Return the kind of an acceptable upload; raise ValidationError naming the file otherwise."""
    name = os.path.basename(getattr(file, "name", "") or "") or "未命名文件"
    kind = EXTENSIONS.get(os.path.splitext(name)[1].lower())
    if kind is None or kind not in allowed:
        raise ValidationError(f"“{name}” 的文件类型不允许，只能上传{kinds_label(allowed)}。", code="file_type")
    size = _size(file)
    if size == 0:
        raise ValidationError(f"“{name}” 是空文件。", code="file_empty")
    if size > max_bytes:
        raise ValidationError(f"“{name}” 超过 {size_label(max_bytes)}。", code="file_too_big")
    try:
        _check_content(_read_all(file), kind)
    except _Refused as refusal:
        reason = str(refusal)
        if reason == "bad":
            raise ValidationError(f"“{name}” 不是有效的 {LABELS[kind]}。", code="file_content") from None
        raise ValidationError(f"“{name}” {reason}", code="file_unsafe") from None
    return kind
