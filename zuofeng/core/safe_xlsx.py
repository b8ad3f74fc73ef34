"""Reading an uploaded Excel file without trusting it: the one reader every import uses.

Before openpyxl sees the file, the zip's own directory is checked: the file size, the number of
parts, the declared uncompressed sizes and each part's compression ratio. Python's zipfile never
inflates a part past its declared size (the CRC check fails instead), so those figures bound the
memory and time of everything after. Every XML part must start with its root element: a DOCTYPE
(and so any entity) is refused, which is how billion-laughs files work. While reading, rows past
the import's cap and long runs of empty rows stop the reading.

Then the sheet is found (the name the template gives it, or the only sheet whose header fits) and
the header row is found under any title and subtitle rows (merged title cells read as one value).
"""

import re
import zipfile
from dataclasses import dataclass

from zuofeng.core.imports import ImportRefused, Table, TableSpec, header_match, header_score, rows_collect
from zuofeng.core.uploads import size_label

NOT_EXCEL = "不是有效的 Excel 文件，请使用下载的模板（.xlsx；.xls 请先在 Excel 或 WPS 中“另存为” .xlsx）"
HEADER_SCAN_ROWS = 20  # title, subtitle and a blank line or two sit above a real header
MAX_COLUMNS = 100  # no template has more than 20 columns; a styled cell at XFD must not widen every row
EMPTY_RUN_END = 1000  # so many empty rows in a row end the table (a sheet formatted down to row 1,048,576)
PROLOG = re.compile(rb"^(\xef\xbb\xbf)?\s*(<\?[^>]*\?>\s*|<!--.*?-->\s*)*", re.S)


@dataclass(frozen=True)
class Limits:
    max_rows: int  # data rows per sheet, from the purpose of the template
    max_bytes: int = 20 * 1024 * 1024  # the file as uploaded
    max_uncompressed: int = 100 * 1024 * 1024  # all parts inflated
    max_ratio: int = 100  # inflated / compressed, for parts over 1 MB; real sheets stay under 30
    max_parts: int = 2000


def _size(uploaded) -> int:
    size = getattr(uploaded, "size", None)
    if size is None:
        uploaded.seek(0, 2)
        size = uploaded.tell()
    uploaded.seek(0)
    return size


def archive_check(uploaded, limits: Limits) -> None:
    """Refuse from the zip directory alone, before inflating anything big."""
    size = _size(uploaded)
    if size > limits.max_bytes:
        raise ImportRefused(f"文件超过 {size_label(limits.max_bytes)}，不能导入；请删除多余的工作表或分成几个文件。")
    try:
        with zipfile.ZipFile(uploaded) as archive:
            parts = archive.infolist()
            if len(parts) > limits.max_parts or "xl/workbook.xml" not in {p.filename for p in parts}:
                raise ImportRefused(NOT_EXCEL)
            total = sum(p.file_size for p in parts)
            if total > limits.max_uncompressed:
                cap = size_label(limits.max_uncompressed)
                raise ImportRefused(f"文件解压后超过 {cap}，超出导入上限；请删除多余的内容或分成几个文件。")
            for part in parts:
                if part.file_size > 1024 * 1024 and part.file_size > limits.max_ratio * max(part.compress_size, 1):
                    raise ImportRefused(f"文件中的「{part.filename}」压缩比异常，不像 Excel 保存的文件，不能导入。")
            for part in parts:
                if part.filename.endswith((".xml", ".rels")):
                    _prolog_check(archive, part)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise ImportRefused(NOT_EXCEL) from None
    finally:
        uploaded.seek(0)


def _prolog_check(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    """The first thing after the XML declaration and comments must be an element, not <!DOCTYPE …>."""
    with archive.open(part) as stream:
        head = stream.read(64 * 1024)
    if not head.strip():
        return
    if b"\x00" in head:  # UTF-16 would hide a DOCTYPE from this check; Excel writes UTF-8
        raise ImportRefused(NOT_EXCEL)
    rest = head[PROLOG.match(head).end() :]
    if not re.match(rb"<[A-Za-z_]", rest) or re.search(rb"<!(DOCTYPE|ENTITY)", head, re.I):
        raise ImportRefused(NOT_EXCEL)


def workbook_open(uploaded, limits: Limits):
    """A read-only openpyxl workbook of a checked file; the caller closes it."""
    from openpyxl import load_workbook

    archive_check(uploaded, limits)
    try:
        return load_workbook(uploaded, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportRefused(NOT_EXCEL) from None


def _head(sheet) -> list[tuple[int, tuple]]:
    rows = sheet.iter_rows(max_row=HEADER_SCAN_ROWS, max_col=MAX_COLUMNS, values_only=True)
    return list(enumerate(rows, start=1))


def _best_header(head: list[tuple[int, tuple]], spec: TableSpec) -> tuple[int, tuple] | None:
    scored = [(header_score(cells, spec), -number, number, cells) for number, cells in head]
    best = max(scored, default=None)
    if best is None or best[0] < 2:  # one known word is a title or a note, not a header
        return None
    return best[2], best[3]


def _sheet_choose(book, spec: TableSpec):
    """The sheet the template names; else the only visible sheet whose header has every required column."""
    if spec.sheet in book.sheetnames:
        return book[spec.sheet]
    fitting, partial = [], []
    for sheet in book.worksheets:
        if getattr(sheet, "sheet_state", "visible") != "visible":
            continue
        found = _best_header(_head(sheet), spec)
        if found is None:
            continue
        match = header_match(found[1], spec, row=found[0])
        (partial if any("缺少此列" in e.reason for e in match.errors) else fitting).append(sheet)
    if len(fitting) > 1:
        names = "".join(f"「{s.title}」" for s in fitting)
        raise ImportRefused(f"工作表{names}都像要导入的表，请把要导入的那张命名为「{spec.sheet}」，或删去其他几张。")
    if fitting:
        return fitting[0]
    return partial[0] if len(partial) == 1 else None


def table_read(book, spec: TableSpec, limits: Limits) -> Table | None:
    """The data rows of the spec's sheet, or None when no sheet looks like it."""
    sheet = _sheet_choose(book, spec)
    if sheet is None:
        return None
    table = Table(sheet=sheet.title)
    found = _best_header(_head(sheet), spec)
    if found is None:
        table.header_row = 1
        table.errors = header_match((), spec, row=1, sheet=sheet.title).errors
        return table
    table.header_row, cells = found
    match = header_match(cells, spec, row=table.header_row, sheet=sheet.title)
    table.positions, table.errors = match.positions, match.errors
    if table.errors:
        return table
    try:
        rows_collect(table, _body(sheet, table.header_row), spec=spec, max_rows=limits.max_rows, what=spec.sheet)
    except ImportRefused:
        raise
    except Exception:  # malformed sheet XML surfaces while iterating
        raise ImportRefused(NOT_EXCEL) from None
    return table


def _body(sheet, header_row: int):
    empty = 0
    rows = sheet.iter_rows(min_row=header_row + 1, max_col=MAX_COLUMNS, values_only=True)
    for number, cells in enumerate(rows, start=header_row + 1):
        empty = 0 if any(c is not None and str(c).strip() for c in cells) else empty + 1
        if empty >= EMPTY_RUN_END:
            return
        yield number, cells


def excel_read(uploaded, spec: TableSpec, limits: Limits) -> Table | None:
    """Open, find the sheet, read it, close: what an import with one sheet needs."""
    book = workbook_open(uploaded, limits)
    try:
        return table_read(book, spec, limits)
    except ImportRefused:
        raise
    except Exception:
        raise ImportRefused(NOT_EXCEL) from None
    finally:
        book.close()
