"""Real small files for upload tests, made on the spot: what check_upload accepts must open for real."""

import io
import zipfile

import docx
import openpyxl
from PIL import Image
from pypdf import PdfWriter


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)  # A4 in points
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def png_bytes() -> bytes:
    return image_bytes("PNG")


def jpg_bytes() -> bytes:
    return image_bytes("JPEG")


def docx_bytes(text: str = "整改完成情况报告") -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph(text)
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "整改台账"
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_with(extra: dict[str, bytes]) -> bytes:
    """A real DOCX with more entries added to its zip."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    return zip_bytes({**entries, **extra})
