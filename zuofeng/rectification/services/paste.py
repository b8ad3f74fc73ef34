"""Rows pasted from Excel or a Word table into the list: parsed here, checked and saved by the importer.

The clipboard gives tab-separated lines from both; Excel quotes a cell holding a line break
("第一行\n第二行", inner quotes doubled), Word marks a line break inside a cell with \\v. A first
line whose cells are known headers (the synonym table of ledger_columns) sets the column order;
without one the template's order applies. Everything after parsing is importer.table_import, so
the checks, the messages, the all-or-nothing save, re-paste without duplicates and the audit
entry are the import's own.
"""

import csv
import io

from zuofeng.core.imports import ImportRefused, RowError, Table, header_match, header_score, rows_collect
from zuofeng.rectification.models import Ledger
from zuofeng.rectification.services.importer import ImportResult, import_allowed, table_import
from zuofeng.rectification.services.ledger_columns import COLUMNS, LIMITS, SPEC

# 10,000 rows (the import's cap) of a few hundred characters each, about 12 MB of UTF-8, under
# DATA_UPLOAD_MAX_MEMORY_SIZE; the form field refuses more before parsing.
MAX_CHARS = 4_000_000
WHAT = "粘贴的内容"


def paste_records(text: str) -> list[list[str]]:
    """The pasted text as rows of cells."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    rows = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quotechar='"', strict=False)
    return [[cell.replace("\v", "\n").strip() for cell in row] for row in rows]


def paste_table(text: str) -> Table:
    if len(text) > MAX_CHARS:
        raise ImportRefused(f"粘贴的内容超过 {MAX_CHARS:,} 个字符，请分几次粘贴。")
    records = paste_records(text)
    table = Table()
    first = 1
    if records and header_score(tuple(records[0]), SPEC) >= 2:
        match = header_match(tuple(records[0]), SPEC, row=1)
        table.header_row, table.positions, table.errors = 1, match.positions, match.errors
        if table.errors:
            return table
        first = 2
    else:
        table.positions = {attr: index for index, (attr, _title, _required) in enumerate(COLUMNS)}
    numbered = ((number, tuple(cells)) for number, cells in enumerate(records[first - 1 :], start=first))
    rows_collect(table, numbered, spec=SPEC, max_rows=LIMITS.max_rows, what=WHAT)
    return table


def ledger_paste(*, actor, ledger: Ledger, text: str, save: bool) -> ImportResult:
    """Check pasted rows (save=False: for the preview) or save them all in one transaction."""
    import_allowed(actor=actor, ledger=ledger)
    try:
        table = paste_table(text)
    except ImportRefused as refused:
        return ImportResult(errors=[RowError(1, WHAT, refused.message)])
    if not table.rows and not table.errors:
        return ImportResult(
            errors=[RowError(1, WHAT, "没有粘贴任何行；请在 Excel 或 Word 中选中表格的行，复制后粘贴到这里")]
        )
    return table_import(actor=actor, ledger=ledger, table=table, how="粘贴", save=save)
