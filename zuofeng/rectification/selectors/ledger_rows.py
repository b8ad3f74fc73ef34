"""The rows of a unit's list as shown (整改清单 table), read as plain values, not model instances.

A list has ~50 problems and ~100 measures. Building them as model instances with their related
objects (category, symptom, source, unit, person, key area, benchmarks) cost more than the queries
themselves; these rows hold only what the table shows, already in display form where it is one
lookup (names), so the page costs the same few queries and no per-row object graph however long the
list. The responsible units and people are read by id afterwards: joining them made PostgreSQL hash
every unit and person of the city to show one list (views/ledger_rows.py draws the rows).
"""

import datetime as dt
from dataclasses import dataclass, field

from zuofeng.core.cn import cn_date
from zuofeng.core.compiled import CompiledValues
from zuofeng.organisation.models import Person, Unit
from zuofeng.rectification.models import ItemReview, Ledger, Light, Measure, MeasureState, Problem

LIGHT_LABELS = dict(Light.choices)


class MeasureLines(list):
    """A problem's measures. Answers `.all()` too, as a prefetched related manager does, so the entry
    form template (also given real problems) reads `problem.measures.all` from either."""

    def all(self) -> "MeasureLines":
        return self


@dataclass(slots=True)
class MeasureLine:
    pk: int
    order: int
    text: str
    standard: str
    remark: str
    key_area: str  # its name; "" when none
    leader: str
    unit: str  # 责任单位's display name; "" means the list's own unit
    person: str  # 责任人: the chosen person's name, else the typed name
    starts_on: dt.date
    deadline: dt.date | None
    is_ongoing: bool
    light: str
    state: str
    version: int
    locked: bool = False

    @property
    def deadline_label(self) -> str:
        return "长期坚持" if self.is_ongoing else cn_date(self.deadline)

    @property
    def light_label(self) -> str:
        return LIGHT_LABELS[self.light]


@dataclass(slots=True)
class ProblemLine:
    pk: int
    order: int
    category: str
    symptom: str
    source: str
    source_detail: str
    found_on: dt.date
    review: str
    review_comment: str
    description: str
    version: int
    origin: str  # 督查发现 / 群众提 when the problem came from outside the unit (services/outside.py)
    origin_deadline: dt.date | None
    benchmarks: list[str] = field(default_factory=list)
    measures: MeasureLines = field(default_factory=MeasureLines)

    @property
    def locked(self) -> bool:
        """Approved in review: neither it nor its measures may be edited (services.problem_is_locked)."""
        return self.review == ItemReview.APPROVED


PROBLEM_COLUMNS = (
    "pk",
    "order",
    "category__name",
    "symptom__name",
    "source__name",
    "source_detail",
    "found_on",
    "review",
    "review_comment",
    "description",
    "version",
    "origin",
    "origin_deadline",
)
MEASURE_COLUMNS = (
    "problem_id",
    "pk",
    "order",
    "text",
    "standard",
    "remark",
    "key_area__name",
    "responsible_leader",
    "responsible_unit_id",
    "responsible_person_id",
    "responsible_name",
    "starts_on",
    "deadline",
    "is_ongoing",
    "light",
    "state",
    "version",
)


def _problems(ledger_id: int):
    return Problem.objects.filter(ledger_id=ledger_id).order_by("order", "id").values(*PROBLEM_COLUMNS)


def _marks(ledger_id: int):
    return (
        Problem.benchmarks.through.objects.filter(problem__ledger_id=ledger_id)
        .order_by("benchmark__order", "benchmark_id")
        .values("problem_id", "benchmark__name")
    )


def _measures(ledger_id: int):
    return Measure.objects.filter(problem__ledger_id=ledger_id).order_by("order", "id").values(*MEASURE_COLUMNS)


# The whole list's three queries, compiled once per process (core/compiled.py): compiling them cost
# more CPU than PostgreSQL spent answering them.
WHOLE_LIST = (CompiledValues(_problems, "ledger_id"), CompiledValues(_marks, "ledger_id"),
              CompiledValues(_measures, "ledger_id"))  # fmt: skip


def ledger_lines(*, ledger: Ledger, problem_id: int | None = None, measure_id: int | None = None) -> list[ProblemLine]:
    """The list's problems in order, each with its measures in order (5 queries at most).

    `problem_id` reads that problem alone; `measure_id` that measure alone (under its problem)."""
    if problem_id is None and measure_id is None:
        problems, marks, measures = (query.rows(ledger_id=ledger.pk) for query in WHOLE_LIST)
    else:
        problems, marks, measures = _some(ledger, problem_id, measure_id)
    lines = {}
    for pk, order, category, symptom, *rest in problems:
        lines[pk] = ProblemLine(pk, order, category, symptom or "", *rest)
    if not lines:
        return []
    for problem_pk, name in marks:
        lines[problem_pk].benchmarks.append(name)
    rows = list(measures)
    units = _names(Unit, {row[8] for row in rows}, "short_name", "name")
    people = _names(Person, {row[9] for row in rows}, "name")
    for problem_pk, pk, order, text, standard, remark, key_area, leader, unit, person, name, *rest in rows:
        problem = lines[problem_pk]
        line = MeasureLine(pk, order, text, standard, remark, key_area or "", leader,
                           units.get(unit, ""), people.get(person) or name, *rest)  # fmt: skip
        line.locked = problem.locked or line.state != MeasureState.PLANNED
        problem.measures.append(line)
    return list(lines.values())


def _some(ledger: Ledger, problem_id: int | None, measure_id: int | None):
    """One problem's or one measure's rows (the htmx answers), lazily: nothing more is read when the
    problem is not found."""
    problems = Problem.objects.filter(ledger=ledger).order_by("order", "id")
    if problem_id is not None:
        problems = problems.filter(pk=problem_id)
    if measure_id is not None:
        problems = problems.filter(measures__pk=measure_id)
    problems = list(problems.values_list(*PROBLEM_COLUMNS))
    ids = [row[0] for row in problems]
    marks = (
        Problem.benchmarks.through.objects.filter(problem_id__in=ids)
        .order_by("benchmark__order", "benchmark_id")
        .values_list("problem_id", "benchmark__name")
    )
    measures = Measure.objects.filter(problem_id__in=ids).order_by("order", "id")
    if measure_id is not None:
        measures = measures.filter(pk=measure_id)
    return problems, marks, measures.values_list(*MEASURE_COLUMNS)


def _names(model, ids: set, *columns: str) -> dict[int, str]:
    """Display names by id (the first non-empty of `columns`); no query when there are no ids."""
    ids.discard(None)
    if not ids:
        return {}
    rows = model.objects.filter(pk__in=ids).values_list("pk", *columns)
    return {pk: next((name for name in names if name), "") for pk, *names in rows}
