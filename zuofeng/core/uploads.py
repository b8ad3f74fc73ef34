"""Upload checks by content, not by file name: a renamed .exe is not a PDF.

`check_upload(file, allowed=..., max_bytes=...)` returns the detected kind ("pdf", "jpg",
"png", "docx", "xlsx") or raises ValidationError with a Chinese message naming the file.
The name's extension must agree with the content, so what people download later opens in
the program its name promises.
"""

import os
import zipfile

from django.core.exceptions import ValidationError

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

_MAGIC = {PDF: b"%PDF-", JPG: b"\xff\xd8\xff", PNG: b"\x89PNG\r\n\x1a\n"}
# The main part an Office file must declare; macro-enabled parts (.docm/.xlsm) have other types.
_OOXML = {
    DOCX: ("word/document.xml", b"wordprocessingml.document.main+xml"),
    XLSX: ("xl/workbook.xml", b"spreadsheetml.sheet.main+xml"),
}
_CONTENT_TYPES_LIMIT = 256 * 1024  # [Content_Types].xml is a few KB; never inflate more than this


def size_label(n_bytes: int) -> str:
    if n_bytes >= 1024 * 1024 and n_bytes % (1024 * 1024) == 0:
        return f"{n_bytes // (1024 * 1024)} MB"
    if n_bytes >= 1024 * 1024:
        return f"{n_bytes / (1024 * 1024):.1f} MB"
    return f"{max(1, n_bytes // 1024)} KB"


def kinds_label(allowed: set[str]) -> str:
    return "、".join(LABELS[k] for k in (PDF, JPG, PNG, DOCX, XLSX) if k in allowed)


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, os.SEEK_END)
        size = file.tell()
        file.seek(position)
    return size


def _is_ooxml(file, kind: str) -> bool:
    main_part, declared = _OOXML[kind]
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names or main_part not in names:
                return False
            with archive.open("[Content_Types].xml") as types:
                return declared in types.read(_CONTENT_TYPES_LIMIT)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return False


def content_is(file, kind: str) -> bool:
    """Whether the bytes of `file` really are a `kind` file."""
    file.seek(0)
    try:
        if kind in _MAGIC:
            magic = _MAGIC[kind]
            return file.read(len(magic)) == magic
        return file.read(4) == b"PK\x03\x04" and _is_ooxml(file, kind)
    finally:
        file.seek(0)


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
    if not content_is(file, kind):
        raise ValidationError(f"“{name}” 不是有效的 {LABELS[kind]}。", code="file_content")
    return kind
