"""What every import shares, from an Excel file or from pasted text.

One error per bad cell, named by row and column in Chinese; headers matched by the names
officials really use (a synonym table per template); notes rows under the table recognised;
at most MAX_ERRORS_SHOWN errors listed, with the total. The Excel reading itself (sizes,
zip bombs, malformed XML) is in core/safe_xlsx.py.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Listing more than this helps nobody: the sender fixes the first ones and re-imports.
MAX_ERRORS_SHOWN = 200


@dataclass
class RowError:
    row: int
    column: str
    reason: str
    sheet: str = ""  # shown in its own column where a workbook has several sheets

    def __str__(self) -> str:
        return f"第 {self.row} 行「{self.column}」：{self.reason}"


class ImportRefused(Exception):
    """The whole file or text is refused before any row is checked (too big, not Excel, too many rows)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ErrorListing:
    """What every import result says of its `errors`: whether all went well, the first
    MAX_ERRORS_SHOWN to list, and how many there are in all."""

    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors_shown(self) -> list[RowError]:
        return self.errors[:MAX_ERRORS_SHOWN]

    @property
    def error_total(self) -> int:
        return len(self.errors)


def errors_capped(errors: list[RowError]) -> tuple[list[RowError], int]:
    """The first MAX_ERRORS_SHOWN errors and how many there are in all."""
    return errors[:MAX_ERRORS_SHOWN], len(errors)


@dataclass(frozen=True)
class Column:
    attr: str
    title: str
    required: bool = False
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    """The columns of one template sheet; `sheet` is the name the template gives it.

    `is_example` tells the template's own example rows (values by attribute) from real ones;
    they are set aside while reading, so they count against no cap.
    """

    sheet: str
    columns: tuple[Column, ...]
    is_example: Callable[[dict[str, Any]], bool] | None = None

    @property
    def titles(self) -> dict[str, str]:
        return {c.attr: c.title for c in self.columns}

    def lookup(self) -> dict[str, Column]:
        table = {}
        for column in self.columns:
            for name in (column.title, *column.synonyms):
                table[header_key(name)] = column
        return table

    def expected(self) -> str:
        return "、".join(c.title + ("*" if c.required else "") for c in self.columns)


def header_key(value: Any) -> str:
    """A header as typed, without what people add around it: spaces, line breaks, *, （必填）, full-width forms."""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    text = re.sub(r"\s+|\*", "", text)
    return re.sub(r"\((必填|选填|可选)\)$", "", text).lower()


def _column_for(key: str, lookup: dict[str, Column]) -> Column | None:
    if key in lookup:
        return lookup[key]
    # "完成时限(年月日)", "责任人(姓名)": the words before a bracketed explanation
    bare = re.sub(r"\(.*\)$", "", key)
    return lookup.get(bare) if bare else None


def header_score(cells: tuple, spec: TableSpec) -> int:
    """How many cells of a row are known headers; the header row is the one with most."""
    lookup = spec.lookup()
    return sum(1 for cell in cells if _column_for(header_key(cell), lookup) is not None)


@dataclass
class HeaderMatch:
    positions: dict[str, int] = field(default_factory=dict)  # attr → 0-based column
    errors: list[RowError] = field(default_factory=list)
    width: int = 0  # columns up to the last header


def header_match(cells: tuple, spec: TableSpec, *, row: int, sheet: str = "") -> HeaderMatch:
    """Place every header cell; an unknown or repeated one is refused by name, never skipped."""
    lookup, match = spec.lookup(), HeaderMatch()
    seen: dict[str, str] = {}
    for index, cell in enumerate(cells):
        key = header_key(cell)
        if not key:
            continue
        match.width = index + 1
        label = _cell_label(cell)
        column = _column_for(key, lookup)
        if column is None:
            reason = f"无法识别表头「{label}」；应为：{spec.expected()}（请改成其中之一，或删除此列）"
            match.errors.append(RowError(row, label, reason, sheet=sheet))
        elif column.attr in match.positions:
            reason = f"「{label}」与「{seen[column.attr]}」都是「{column.title}」，请只保留一列"
            match.errors.append(RowError(row, label, reason, sheet=sheet))
        else:
            match.positions[column.attr], seen[column.attr] = index, label
    for column in spec.columns:
        if column.required and column.attr not in match.positions:
            reason = f"缺少此列；表头应为：{spec.expected()}"
            match.errors.append(RowError(row, column.title, reason, sheet=sheet))
    return match


def _cell_label(cell: Any) -> str:
    return re.sub(r"\s+", " ", str(cell)).strip()


def cell_text(value: Any) -> str:
    """A cell as the person typed it: 13900001234 and 101 come back from Excel as numbers."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# Lines officials put under a table: who filled it in, who checked it, a phone number, notes.
NOTES_ROW = re.compile(
    r"^(填表人|填报人|制表人|审核人|审批人|核稿人|单位负责人|主要负责人|负责人|分管领导|联系人|联系电话|电话|"
    r"填报日期|填表日期|制表日期|报送日期|填报单位|注|说明|备注)\s*([:：]|\s|$)"
)


def is_notes_row(cells) -> bool:
    first = next((cell_text(c) for c in cells if cell_text(c)), "")
    return bool(first) and bool(NOTES_ROW.match(first))


@dataclass
class Table:
    """Data rows of one sheet (or pasted text), keyed by attribute, with Excel row numbers."""

    sheet: str = ""
    header_row: int = 0
    positions: dict[str, int] = field(default_factory=dict)
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    notes_rows: list[int] = field(default_factory=list)
    examples: int = 0
    errors: list[RowError] = field(default_factory=list)

    def notes_summary(self) -> str:
        if not self.notes_rows:
            return ""
        return f"已跳过表尾的填表说明行 {len(self.notes_rows)} 行（第 {'、'.join(map(str, self.notes_rows))} 行）"


def rows_collect(table: Table, numbered_cells, *, spec: TableSpec, max_rows: int, what: str) -> None:
    """Fill table.rows from (row number, cells) after the header; trailing notes rows are set aside.

    A value under no header is reported once per column rather than dropped.
    """
    trailing_notes: list[int] = []
    reported: set[int] = set()
    placed = set(table.positions.values())
    for number, cells in numbered_cells:
        if not any(cell_text(c) for c in cells):
            continue
        if is_notes_row(cells):
            trailing_notes.append(number)
            continue
        if trailing_notes:  # notes followed by data were not notes after all
            table.errors.extend(_notes_in_table(table, trailing_notes))
            trailing_notes = []
        for index, cell in enumerate(cells):
            if index not in placed and cell_text(cell) and index not in reported:
                reported.add(index)
                reason = "此列有内容但没有表头，无法确定是哪一项；请补上表头或删除此列"
                table.errors.append(RowError(number, column_letter(index), reason, sheet=table.sheet))
        values = {attr: cells[i] if i < len(cells) else None for attr, i in table.positions.items()}
        if spec.is_example is not None and spec.is_example(values):
            table.examples += 1
            continue
        table.rows.append((number, values))
        if len(table.rows) > max_rows:
            where = table.sheet or what
            raise ImportRefused(f"「{where}」超过 {max_rows:,} 行，超出单次导入的上限；请分成几个文件导入。")
    table.notes_rows = trailing_notes


def _notes_in_table(table: Table, numbers: list[int]) -> list[RowError]:
    reason = "填表说明行只能放在表格最后"
    return [RowError(n, "整行", reason, sheet=table.sheet) for n in numbers]


def column_letter(index: int) -> str:
    """0 → A, 26 → AA: how Excel names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters} 列"
