"""Recounting the dashboard roll-ups from the measures and problems themselves.

The triggers (rectification/rollup_triggers.py) keep the roll-ups exact on every write; these
functions are for what triggers cannot know: the day moving on (rollups_advance, from the daily
job) and repair (rollups_rebuild, `manage.py rollups_rebuild`). Both lock the measure and problem
tables against writers for their few seconds, so no write lands between the count and its rows.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import connections, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Coalesce, TruncWeek

from zuofeng.rectification.models import (
    ClosureRollup,
    Measure,
    MeasureRollup,
    MeasureState,
    Problem,
    ProblemRollup,
    RollupDay,
)

MEASURE_KEY = ("campaign_id", "unit_id", "state", "light", "overdue")
CLOSURE_KEY = ("campaign_id", "unit_id", "week")
PROBLEM_KEY = ("campaign_id", "unit_id", "category_id", "symptom_id", "source_id")
ROLLUPS = {
    "measure": (MeasureRollup, MEASURE_KEY),
    "closure": (ClosureRollup, CLOSURE_KEY),
    "problem": (ProblemRollup, PROBLEM_KEY),
}


def _overdue(before: dt.date | None):
    if before is None:
        return Value(False)
    counted = Q(deadline__lt=before, is_ongoing=False) & ~Q(state=MeasureState.CLOSED)
    return ExpressionWrapper(counted, output_field=BooleanField())


def rollups_recount(*, using: str = "default", unit_ids: Iterable[int] | None = None) -> dict[str, dict[tuple, int]]:
    """The roll-ups as they should be, counted from scratch: {"measure"|"closure"|"problem": {key: n}}."""
    day = RollupDay.objects.using(using).filter(pk=1).first()
    measures = Measure.objects.using(using).order_by()
    problems = Problem.objects.using(using).order_by()
    if unit_ids is not None:
        measures, problems = measures.filter(unit_id__in=unit_ids), problems.filter(unit_id__in=unit_ids)
    by_state = measures.annotate(overdue=_overdue(day and day.overdue_before)).values_list(*MEASURE_KEY)
    by_week = (
        measures.filter(closed_on__isnull=False)
        .annotate(week=TruncWeek("closed_on"))
        .values_list("campaign_id", "unit_id", "week")
    )
    by_kind = problems.annotate(of_campaign=F("ledger__campaign_id"), symptom_key=Coalesce("symptom_id", 0))
    by_kind = by_kind.values_list("of_campaign", "unit_id", "category_id", "symptom_key", "source_id")
    return {
        "measure": {tuple(key): n for *key, n in by_state.annotate(n=Count("pk"))},
        "closure": {tuple(key): n for *key, n in by_week.annotate(n=Count("pk"))},
        "problem": {tuple(key): n for *key, n in by_kind.annotate(n=Count("pk"))},
    }


def rollups_stored(*, using: str = "default") -> dict[str, dict[tuple, int]]:
    """The roll-up tables as they are, in the shape of rollups_recount."""
    return {
        kind: {tuple(key): n for *key, n in model.objects.using(using).values_list(*fields, "n")}
        for kind, (model, fields) in ROLLUPS.items()
    }


def _lock_writers(using: str) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # SHARE: readers go on, writers wait for this transaction (and it for theirs, already begun)
            cursor.execute("LOCK TABLE rectification_measure, rectification_problem IN SHARE MODE")


def _write(using: str, counts: dict[str, dict[tuple, int]], unit_ids: list[int] | None) -> None:
    """Replace the stored rows of the roll-ups in `counts` (of `unit_ids`, or all) with the counted ones."""
    for kind, (model, key) in ROLLUPS.items():
        if kind not in counts:
            continue
        stored = model.objects.using(using)
        (stored if unit_ids is None else stored.filter(unit_id__in=unit_ids)).delete()
        rows = [model(**dict(zip(key, values, strict=True)), n=n) for values, n in counts[kind].items() if n]
        stored.bulk_create(rows, batch_size=5000)


def rollups_rebuild(*, using: str = "default", unit_ids: list[int] | None = None) -> dict[str, int]:
    """Recount every roll-up (or those of `unit_ids`) and replace the stored rows; returns rows per roll-up."""
    with transaction.atomic(using=using):
        _lock_writers(using)
        counts = rollups_recount(using=using, unit_ids=unit_ids)
        _write(using, counts, unit_ids)
    return {kind: len(rows) for kind, rows in counts.items()}


def rollups_advance(*, today: dt.date, using: str = "default") -> int:
    """Count overdue as of `today`: recount the units with an open measure whose deadline lies between
    the day the roll-ups were counted against and today. Returns how many units were recounted."""
    with transaction.atomic(using=using):
        _lock_writers(using)
        day, _ = RollupDay.objects.using(using).select_for_update().get_or_create(pk=1)
        before = day.overdue_before
        if before == today:
            return 0
        crossing = Q(deadline__lt=max(before, today)) if before else Q(deadline__lt=today)
        if before:
            crossing &= Q(deadline__gte=min(before, today))
        unit_ids = list(
            Measure.objects.using(using)
            .filter(crossing, is_ongoing=False)
            .exclude(state=MeasureState.CLOSED)
            .order_by()
            .values_list("unit_id", flat=True)
            .distinct()
        )
        day.overdue_before = today
        day.save(update_fields=["overdue_before"])
        if unit_ids:
            counts = rollups_recount(using=using, unit_ids=unit_ids)
            _write(using, {"measure": counts["measure"]}, unit_ids)
    return len(unit_ids)
