"""The reviewer's queue's rows drawn by string formatting, as the list's rows are (views/ledger_rows.py).

The office's queue shows ~500 close-out requests; through the template engine their rows were two
thirds of the page's time. The HTML is the template's own (rectification/review/queue.html draws the
tables around them); tests/rectification/test_review_queue_compiled.py compares it with the template's.
"""

import unicodedata
from collections.abc import Callable
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length

from zuofeng.core.cn import cn_local_datetime
from zuofeng.rectification.selectors.review import QueueLine

LEDGER_ROW = (
    "<tr>\n<td>{unit}</td>\n"
    '<td class="text-nowrap">{at}</td>\n'
    '<td class="{late}">{days} 天</td>\n'
    "<td>{pending} 项</td>\n"
    '<td class="text-end"><a class="btn btn-sm btn-primary" href="{url}">逐项审核</a></td>\n</tr>\n'
)
CHANGE_ROW = (
    "<tr>\n<td>{unit}</td>\n<td>{text}</td>\n<td>{requester}</td>\n"
    '<td class="text-nowrap">{at}</td>\n<td>{days} 天</td>\n'
    '<td class="text-end"><a class="btn btn-sm btn-primary" href="{url}">审核</a></td>\n</tr>\n'
)
CLOSE_ROW = (
    "<tr>\n<td>{unit}</td>\n<td>{text}</td>\n<td>{deadline}</td>\n"
    '<td class="text-nowrap">{at}</td>\n<td>{days} 天</td>\n'
    '<td class="text-end"><a class="btn btn-sm btn-primary" href="{url}">核实销号</a></td>\n</tr>\n'
)
SHORT = 40  # characters of a measure's text shown
_PK = 918_273_645  # reversed once a page with this id, then the row's id put in its place


def _url_pattern(name: str) -> str:
    return reverse(name, args=[_PK]).replace(str(_PK), "{}")


def _short(text: str) -> str:
    """As the template's `|truncatechars:40`: Truncator counts the characters that are not combining
    marks in the NFC form and ends with the active language's "…" (zh-hans: "..."); its loop over
    every character is skipped when the first 41 hold no combining mark (then it cuts where it would)."""
    text = unicodedata.normalize("NFC", text)
    if len(text) <= SHORT:
        return escape(text)
    if not any(map(unicodedata.combining, text[: SHORT + 1])):
        return escape(add_truncation_text(text[: calculate_truncate_chars_length(SHORT, None)]))
    return escape(Truncator(text).chars(SHORT))


def _drawn(row: str, url_name: str, lines: list[QueueLine], own: Callable[[QueueLine], dict]) -> SafeString:
    """The rows: the columns every table has, and the table's `own` ones."""
    url = _url_pattern(url_name)
    return mark_safe(
        "".join(
            row.format(
                unit=escape(line.unit.qualified_name), at=cn_local_datetime(line.at), days=line.waiting_days,
                url=url.format(line.pk), **own(line),
            )
            for line in lines
        )
    )  # fmt: skip


def _ledger(line: QueueLine) -> dict:
    return {"late": "text-danger fw-bold" if line.waiting_days > 3 else "", "pending": line.pending_count}


def ledger_rows(lines: list[QueueLine]) -> SafeString:
    return _drawn(LEDGER_ROW, "rectification:ledger_review", lines, _ledger)


def change_rows(lines: list[QueueLine]) -> SafeString:
    return _drawn(
        CHANGE_ROW, "rectification:change_decide", lines,
        lambda line: {"text": _short(line.text), "requester": escape(line.requester or "—")},
    )  # fmt: skip


def close_rows(lines: list[QueueLine]) -> SafeString:
    return _drawn(
        CLOSE_ROW, "rectification:measure_detail", lines,
        lambda line: {"text": _short(line.text), "deadline": line.deadline_label},
    )  # fmt: skip
