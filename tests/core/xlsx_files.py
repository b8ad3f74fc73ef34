"""Excel files for the import tests: well-formed ones with titles and notes, and hostile ones.

The zip bomb is a real, valid zip: the huge sheet is deflated once per repeated chunk with a
full flush (which resets the compressor, so every chunk compresses to the same bytes) and the
bytes are repeated, so building a 3 GB sheet takes a second instead of a minute.
"""

import io
import struct
import zipfile
import zlib

import openpyxl

SHEET_OPEN = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_CLOSE = b"</sheetData></worksheet>"


def book_bytes(rows_by_sheet: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in rows_by_sheet.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cells in (merges or {}).get(title, []):
            sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def parts_of(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zip_of(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def with_part(content: bytes, name: str, data: bytes) -> bytes:
    """The workbook with one part replaced, e.g. a sheet with a DOCTYPE."""
    return zip_of({**parts_of(content), name: data})


def _raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip from already-deflated members: (name, deflated bytes, crc32, uncompressed size)."""
    out, directory = io.BytesIO(), []
    for name, data, crc, size in members:
        offset, encoded = out.tell(), name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0))
        out.write(encoded + data)
        directory.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    for entry in directory:
        out.write(entry)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(directory), len(directory), out.tell() - start, start, 0)
    return out.getvalue() + end


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def zip_bomb(sheet_bytes: int = 2 * 1024**3, *, template: bytes | None = None, declared: int | None = None) -> bytes:
    """A valid xlsx whose sheet1.xml inflates to `sheet_bytes` (2 GB: about 2 MB on disk), one huge cell.

    `declared` makes the zip lie about the inflated size (and so no longer be valid).
    """
    template = template or book_bytes({"整改清单": [["序号", "类别", "问题描述"]]})
    opening = SHEET_OPEN + b'<row r="1"><c r="A1" t="inlineStr"><is><t>'
    closing = b"</t></is></c></row>" + SHEET_CLOSE
    chunk = b"x" * (1024 * 1024)
    repeats = (sheet_bytes - len(opening) - len(closing)) // len(chunk)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(opening) + compressor.flush(zlib.Z_FULL_FLUSH)
    body = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert again == body  # a full flush forgets the history, so the chunk deflates the same each time
    tail = compressor.compress(closing) + compressor.flush()
    crc = zlib.crc32(opening)
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(closing, crc)
    size = len(opening) + repeats * len(chunk) + len(closing)
    members = []
    for name, data in parts_of(template).items():
        if name == "xl/worksheets/sheet1.xml":
            members.append((name, head + body * repeats + tail, crc, size if declared is None else declared))
        else:
            members.append((name, _deflate(data), zlib.crc32(data), len(data)))
    return _raw_zip(members)
