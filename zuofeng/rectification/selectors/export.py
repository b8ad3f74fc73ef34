"""Rows of the consolidated ledger (整改台账), streamed for exports of any size.

Rows are plain dicts read with values() (no model instances) in chunks; each chunk's
benchmarks, latest progress and evidence names are fetched with three queries for the whole
chunk, so memory stays flat and the query count grows with chunks, not with rows. Units are
named with their ancestors (区教育局·办公室): one more query per chunk that meets units not seen before.
"""

from collections.abc import Iterator

from django.db.models import QuerySet

from zuofeng.organisation.selectors import unit_qualified_names
from zuofeng.rectification.models import Evidence, LedgerState, Measure, Problem, ProgressUpdate
from zuofeng.rectification.selectors.dashboard import Scope

CHUNK = 2000
FIELDS = (
    "id",
    "unit_id",
    "unit__path",
    "problem__ledger__state",
    "problem_id",
    "problem__source__name",
    "problem__source_detail",
    "problem__description",
    "problem__category__name",
    "problem__symptom__name",
    "text",
    "standard",
    "responsible_leader",
    "responsible_unit_id",
    "responsible_unit__path",
    "responsible_person__name",
    "responsible_name",
    "deadline",
    "is_ongoing",
    "light",
    "closed_on",
    "remark",
)
ORDER = ("unit__sort_key", "unit_id", "problem__order", "problem_id", "order", "id")


def ledger_export_measures(
    *, scope: Scope, unit_id: int | None = None, approved_only: bool = False
) -> QuerySet[Measure]:
    """Measures of the scope (or of one unit of it) in official order: unit by unit, problem by problem.
    `approved_only`: only lists that passed review (what an office hands upward as final)."""
    qs = scope.measures()
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    if approved_only:
        qs = qs.filter(problem__ledger__state=LedgerState.APPROVED)
    return qs.order_by(*ORDER)


def _names(chunk: list[dict], known: dict[int, str]) -> None:
    paths = {}
    for row in chunk:
        for key in ("unit", "responsible_unit"):
            pk = row[f"{key}_id"]
            if pk is not None and pk not in known:
                paths[pk] = row[f"{key}__path"]
    if paths:
        known.update(unit_qualified_names(paths=paths))
    ledger_states = dict(LedgerState.choices)
    for row in chunk:
        row["unit_label"] = known[row["unit_id"]]
        row["responsible_unit_label"] = known.get(row["responsible_unit_id"], "")
        row["ledger_state_label"] = ledger_states.get(row["problem__ledger__state"], "")


def _details(chunk: list[dict], known: dict[int, str]) -> list[dict]:
    _names(chunk, known)
    measure_ids = [row["id"] for row in chunk]
    problem_ids = {row["problem_id"] for row in chunk}
    through = Problem.benchmarks.through
    benchmarks: dict[int, list[str]] = {}
    for problem_id, name in (
        through.objects.filter(problem_id__in=problem_ids)
        .order_by("problem_id", "benchmark__order", "benchmark_id")
        .values_list("problem_id", "benchmark__name")
    ):
        benchmarks.setdefault(problem_id, []).append(name)
    latest: dict[int, tuple[str, int]] = {}
    for measure_id, text, percent in (
        ProgressUpdate.objects.filter(measure_id__in=measure_ids)
        .order_by("measure_id", "-reported_on", "-id")
        .values_list("measure_id", "text", "percent")
    ):
        latest.setdefault(measure_id, (text, percent))
    evidence: dict[int, list[str]] = {}
    for measure_id, name in (
        Evidence.objects.filter(measure_id__in=measure_ids).order_by("id").values_list("measure_id", "original_name")
    ):
        evidence.setdefault(measure_id, []).append(name)
    for row in chunk:
        row["benchmarks"] = benchmarks.get(row["problem_id"], [])
        row["progress"] = latest.get(row["id"])
        row["evidence"] = evidence.get(row["id"], [])
    return chunk


def ledger_export_records(qs: QuerySet[Measure], *, chunk_size: int = CHUNK) -> Iterator[dict]:
    chunk: list[dict] = []
    known: dict[int, str] = {}  # unit id → qualified name, across chunks
    for row in qs.values(*FIELDS).iterator(chunk_size=chunk_size):
        chunk.append(row)
        if len(chunk) >= chunk_size:
            yield from _details(chunk, known)
            chunk = []
    if chunk:
        yield from _details(chunk, known)
