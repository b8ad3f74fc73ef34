"""The auditor's export: Excel (.xlsx) and CSV, row by row so a large trail never sits in memory."""

import csv
import json
import tempfile
from collections.abc import Iterator

import xlsxwriter
from django.db.models import QuerySet
from django.utils import timezone

from zuofeng.audit.labels import action_label, object_type_label
from zuofeng.audit.models import AuditEntry

XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header row
COLUMNS = [
    ("序号", 8),
    ("时间", 20),
    ("账号", 14),
    ("姓名", 10),
    ("角色", 16),
    ("IP地址", 16),
    ("操作", 16),
    ("操作代码", 22),
    ("对象类型", 12),
    ("对象ID", 10),
    ("对象", 24),
    ("结果", 6),
    ("说明", 30),
    ("修改前", 40),
    ("修改后", 40),
    ("前序哈希", 20),
    ("哈希", 20),
]


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _cells(entry: AuditEntry) -> list:
    return [
        entry.id,
        timezone.localtime(entry.at).replace(tzinfo=None),
        entry.actor_username,
        entry.actor_name,
        entry.role,
        entry.ip or "",
        action_label(entry.action),
        entry.action,
        object_type_label(entry.object_type),
        entry.object_id,
        entry.object_repr,
        entry.get_result_display(),
        entry.detail,
        _json(entry.before),
        _json(entry.after),
        entry.prev_hash,
        entry.hash,
    ]


def write_xlsx(queryset: QuerySet[AuditEntry]):
    """An open temporary file holding the workbook, positioned at its start."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to FileResponse, which closes it
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "tmpdir": tempfile.gettempdir()})
    sheet = book.add_worksheet("审计日志")
    header = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for col, (title, width) in enumerate(COLUMNS):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, title, header)
    sheet.freeze_panes(1, 0)
    for row, entry in enumerate(queryset.iterator(chunk_size=2000), start=1):
        for col, value in enumerate(_cells(entry)):
            if col == 0:
                sheet.write_number(row, col, value)
            elif col == 1:
                sheet.write_datetime(row, col, value, when)
            else:
                # write_string, never write(): text such as "=1+1" must not become a formula.
                sheet.write_string(row, col, str(value))
    book.close()
    out.seek(0)
    return out


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_safe(value) -> str:
    text = str(value)
    # A cell starting with = + - @ would run as a formula when the CSV is opened in Excel.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_rows(queryset: QuerySet[AuditEntry]) -> Iterator[str]:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([title for title, _ in COLUMNS])
    for entry in queryset.iterator(chunk_size=2000):
        cells = _cells(entry)
        cells[1] = cells[1].strftime("%Y-%m-%d %H:%M:%S")
        yield writer.writerow([_csv_safe(value) for value in cells])
