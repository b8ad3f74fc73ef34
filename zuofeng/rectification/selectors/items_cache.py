"""The key under which the drawn table of the dashboard's drill-down list (dashboard/items/) is cached.

The table shows, for one page of the measures matching the filters in the person's scope: each
measure's light, state, deadline (or 长期坚持) and text, its problem's description and its unit's
qualified name (区教育局·办公室); above it the count, the scope's root and the filters in words (the
names of a unit, category, symptom or source). It follows from (and only from):

- the units the person sees (dashboard_cache.who_key: "all" or a digest of exactly their ids) and the
  ?root= unit, already checked against the person by dashboard_scope;
- the normalised filter values, the page number and the query its page links keep;
- the campaign's id and updated_at, today (flag=overdue), RollupDay, as the board's key;
- two change markers, read in one statement BEFORE the table is computed, so a table cached under them
  is never older than the commits they count:
  DashboardStamp (stamp_triggers.py: a measure's unit, state, light, deadline, 长期坚持; a problem's
  category, symptom and source; a list's state; a unit's names, tree, order and being active) and
  LedgerStamp (ledger_stamp_triggers.py: every column of measures and problems — a measure's text and a
  problem's description, which DashboardStamp leaves out on purpose — and, in row 0, the names of
  units, categories, symptoms and sources, renamed or deleted).

A named filter whose item does not exist (“（不存在）”) is not cached: creating a category, symptom or
source bumps no marker. Both markers are sums over every unit or list, so any such write in the city
ends every cached table: the cache pays off on the reads between writes, which a leader's reloads are.
"""

import datetime as dt
import hashlib

from django.db import connection

from zuofeng.rectification import ledger_stamp_triggers
from zuofeng.rectification.selectors.dashboard_cache import who_key
from zuofeng.rectification.stamp_triggers import MARKER

CACHE_SECONDS = 600  # every shown column is watched: the limit only frees memory of tables not asked for
_LEDGERS = f"SELECT coalesce(sum(changes), 0) FROM {ledger_stamp_triggers.STAMP}"  # noqa: S608 - fixed text
_READ = f"SELECT ({MARKER}), (SELECT overdue_before FROM rectification_rollupday WHERE id = 1), ({_LEDGERS})"  # noqa: S608


def items_marker() -> tuple[int, object, int]:
    """DashboardStamp's sum, the roll-ups' 逾期 day and LedgerStamp's sum, in one round trip."""
    with connection.cursor() as cursor:
        cursor.execute(_READ)
        changes, day, ledgers = cursor.fetchone()
    return int(changes), day, int(ledgers)


def items_page_number(value: str | None) -> int | None:
    """The page asked for as page_or_404 reads it; None for a value it refuses (then nothing is cached)."""
    if value in (None, ""):
        return 1
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        return None
    return int(value)


def items_cache_key(*, scope, filters: dict, page: int, query: str, today: dt.date) -> str:
    changes, day, ledgers = items_marker()
    campaign = scope.campaign
    root = scope.root.pk if scope.root is not None else 0
    stamp = campaign.updated_at.isoformat() if campaign.updated_at else ""
    asked = ",".join(f"{name}={filters[name]}" for name in sorted(filters) if filters[name] not in (None, ""))
    # the query is the person's text (any parameters): in the key as a digest, never as itself
    asked = hashlib.sha256(f"{asked}|{page}|{query}".encode()).hexdigest()
    who = who_key(scope.user)
    return f"items:1:{campaign.pk}:{stamp}:{root}:{who}:{today}:{day}:{changes}:{ledgers}:{asked}"
