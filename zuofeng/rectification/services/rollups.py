"""Recounting the dashboard roll-ups from the measures and problems themselves (and the filing
counts from the lists and the unit roll-ups).

The triggers (rectification/rollup_triggers.py) keep the roll-ups exact on every write; these
functions are for what triggers cannot know: the day moving on (rollups_advance, from the daily
job) and repair (rollups_rebuild, `manage.py rollups_rebuild`). Both lock the measure and problem
tables against writers for their few seconds, so no write lands between the count and its rows.
The counts are the triggers' own column definitions, run over the whole tables.
"""

# ruff: noqa: S608 - every statement here is built from this module's fixed text, never from input

import datetime as dt

from django.db import connections, transaction
from django.db.models import Sum

from zuofeng.rectification import stamp_triggers
from zuofeng.rectification.models import (
    ClosureRollup,
    FilingRollup,
    Measure,
    MeasureState,
    ProblemRollup,
    RollupDay,
    UnitRollup,
)
from zuofeng.rectification.rollup_triggers import (
    FILING_ROLLUP,
    LEDGER_TABLE,
    MEASURE_COUNTS,
    MEASURE_TABLE,
    PROBLEM_FROM,
    PROBLEM_TABLE,
    UNIT_COLUMNS,
    closure_rollup_select,
    filing_select,
    has_filing,
    problem_rollup_select,
    unit_rollup_select,
)

CLOSURE_KEY = ("campaign_id", "unit_id", "week")
FILING_KEY = ("campaign_id", "status", "submitted_on")
PROBLEM_KEY = ("campaign_id", "unit_id", "category_id", "symptom_id", "source_id")


def _rows(using: str, sql: str, unit_ids: list[int] | None) -> list[tuple]:
    where, params = ("", [])
    if unit_ids is not None:
        where, params = f"WHERE m.unit_id IN ({', '.join(['%s'] * len(unit_ids))})", list(unit_ids)
    with connections[using].cursor() as cursor:
        cursor.execute(sql.format(where=where), params)
        return cursor.fetchall()


def _date(value) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value  # SQLite answers text


def rollups_recount(*, using: str = "default", unit_ids: list[int] | None = None) -> dict[str, dict]:
    """The roll-ups as they should be, counted from scratch, in the shape of rollups_stored."""
    vendor = connections[using].vendor
    units: dict[tuple, dict] = {}
    measure_sql = f"SELECT {unit_rollup_select()} FROM {MEASURE_TABLE} m {{where}} GROUP BY m.campaign_id, m.unit_id"
    for campaign_id, unit_id, _problems, *counts in _rows(using, measure_sql, unit_ids):
        units[(campaign_id, unit_id)] = {"problems": 0, **dict(zip(MEASURE_COUNTS, counts, strict=True))}
    problem_sql = (
        f"SELECT l.campaign_id, m.unit_id, count(*) FROM {PROBLEM_TABLE} m {PROBLEM_FROM} {{where}} GROUP BY 1, 2"
    )
    for campaign_id, unit_id, n in _rows(using, problem_sql, unit_ids):
        units.setdefault((campaign_id, unit_id), dict.fromkeys(UNIT_COLUMNS, 0))["problems"] = n
    closure_sql = (
        f"SELECT {closure_rollup_select(vendor)} FROM {MEASURE_TABLE} m {{where}} "
        f"{'AND' if unit_ids is not None else 'WHERE'} m.closed_on IS NOT NULL GROUP BY 1, 2, 3"
    )
    kinds_sql = (
        f"SELECT {problem_rollup_select()} FROM {PROBLEM_TABLE} m {PROBLEM_FROM} {{where}} GROUP BY 1, 2, 3, 4, 5"
    )
    counts = {
        "unit": units,
        "closure": {(c, u, _date(week)): n for c, u, week, n in _rows(using, closure_sql, unit_ids)},
        "problem": {tuple(key): n for *key, n in _rows(using, kinds_sql, unit_ids)},
    }
    if unit_ids is None and has_filing(connections[using]):  # per campaign, not per unit; from 0010 on
        counts["filing"] = filing_recount(using=using)
    return counts


def filing_recount(*, using: str = "default") -> dict[tuple, int]:
    """FilingRollup as it should be: every list by (campaign, status, day first submitted). The status
    reads the unit roll-ups' problem counts, as the triggers do."""
    vendor = connections[using].vendor
    sql = f"SELECT {filing_select(vendor)}, count(*) FROM {LEDGER_TABLE} m GROUP BY 1, 2, 3"
    return {(c, status, _date(day)): n for c, status, day, n in _rows(using, sql, None)}


def rollups_stored(*, using: str = "default") -> dict[str, dict]:
    """The roll-up tables as they are: {"unit": {(campaign, unit): {column: n}}, "closure"|"problem": {key: n}}."""
    units = UnitRollup.objects.using(using).values_list("campaign_id", "unit_id", *UNIT_COLUMNS)
    return {
        "unit": {(c, u): dict(zip(UNIT_COLUMNS, counts, strict=True)) for c, u, *counts in units},
        "closure": {tuple(k): n for *k, n in ClosureRollup.objects.using(using).values_list(*CLOSURE_KEY, "n")},
        "problem": {tuple(k): n for *k, n in ProblemRollup.objects.using(using).values_list(*PROBLEM_KEY, "n")},
        "filing": filing_stored(using=using),
    }


def _lock_writers(using: str) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # SHARE: readers go on, writers wait for this transaction (and it for theirs, already begun)
            cursor.execute(f"LOCK TABLE {MEASURE_TABLE}, {PROBLEM_TABLE} IN SHARE MODE")


def rollups_rebuild(*, using: str = "default") -> dict[str, int]:
    """Recount every roll-up and replace the stored rows; returns the rows per roll-up."""
    with transaction.atomic(using=using):
        _lock_writers(using)
        counts = rollups_recount(using=using)
        for model in (UnitRollup, ClosureRollup, ProblemRollup):
            model.objects.using(using).all().delete()
        UnitRollup.objects.using(using).bulk_create(
            [UnitRollup(campaign_id=c, unit_id=u, **columns) for (c, u), columns in counts["unit"].items()],
            batch_size=2000,
        )
        ClosureRollup.objects.using(using).bulk_create(
            [ClosureRollup(**dict(zip(CLOSURE_KEY, key, strict=True)), n=n) for key, n in counts["closure"].items()],
            batch_size=5000,
        )
        ProblemRollup.objects.using(using).bulk_create(
            [ProblemRollup(**dict(zip(PROBLEM_KEY, key, strict=True)), n=n) for key, n in counts["problem"].items()],
            batch_size=5000,
        )
        # a repair may change figures without a write to measures or problems: cached boards go
        stamp_triggers.bump_all(connections[using])
        # counted again: the unit roll-ups' triggers moved the filing counts while they were replaced
        if has_filing(connections[using]):  # from migration 0010 on
            counts["filing"] = filing_rebuild(using=using)
    return {kind: len(rows) for kind, rows in counts.items()}


def filing_stored(*, using: str = "default") -> dict[tuple, int]:
    """FilingRollup as it counts: its signed rows summed per key, keys at zero left out."""
    sums = FilingRollup.objects.using(using).values_list(*FILING_KEY).annotate(total=Sum("n")).order_by()
    return {tuple(key): n for *key, n in sums if n}


def filing_compact(*, using: str = "default") -> int:
    """Fold FilingRollup's signed rows into one row per key (the daily job); returns the rows left.
    Writers wait the moment it takes (PostgreSQL: the table locked against inserts), readers do not."""
    return len(_filing_replace(filing_stored, locked=[FILING_ROLLUP], using=using))


def filing_rebuild(*, using: str = "default") -> dict[tuple, int]:
    """Recount FilingRollup from the lists and replace its rows (in the caller's transaction, or its own)."""
    return _filing_replace(filing_recount, locked=[LEDGER_TABLE, FILING_ROLLUP], using=using)


def _filing_replace(count, *, locked: list[str], using: str) -> dict[tuple, int]:
    """FilingRollup's rows replaced by one row per key of count(), with `locked` held against writers."""
    with transaction.atomic(using=using):
        connection = connections[using]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {', '.join(locked)} IN SHARE ROW EXCLUSIVE MODE")
        counts = count(using=using)
        FilingRollup.objects.using(using).all().delete()
        FilingRollup.objects.using(using).bulk_create(
            [FilingRollup(**dict(zip(FILING_KEY, key, strict=True)), n=n) for key, n in counts.items()]
        )
    return counts


def rollups_advance(*, today: dt.date, using: str = "default") -> int:
    """Count 逾期 as of `today`: recount it for the units with an open measure whose deadline lies
    between the day the roll-ups were counted against and today. Returns how many units."""
    with transaction.atomic(using=using):
        _lock_writers(using)
        day, _ = RollupDay.objects.using(using).select_for_update().get_or_create(pk=1)
        before = day.overdue_before
        if before == today:
            return 0
        crossing = (
            {"deadline__lt": today}
            if before is None
            else {"deadline__gte": min(before, today), "deadline__lt": max(before, today)}
        )
        unit_ids = list(
            Measure.objects.using(using)
            .filter(is_ongoing=False, **crossing)
            .exclude(state=MeasureState.CLOSED)
            .order_by()
            .values_list("unit_id", flat=True)
            .distinct()
        )
        day.overdue_before = today
        day.save(update_fields=["overdue_before"])
        if unit_ids:
            overdue = MEASURE_COUNTS["overdue"].format(m="m.")
            with connections[using].cursor() as cursor:
                cursor.execute(
                    f"UPDATE rectification_unitrollup SET overdue = (SELECT count(*) FROM {MEASURE_TABLE} m "
                    f"WHERE m.campaign_id = rectification_unitrollup.campaign_id "
                    f"AND m.unit_id = rectification_unitrollup.unit_id AND {overdue}) "
                    f"WHERE unit_id IN ({', '.join(['%s'] * len(unit_ids))})",
                    unit_ids,
                )
    return len(unit_ids)
