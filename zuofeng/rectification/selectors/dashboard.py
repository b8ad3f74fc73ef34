"""Dashboard figures (整改工作看板) and the drill-down list behind every number.

The per-unit table shows one level of the tree at a time: the top units a person sees, each with
its whole subtree rolled up, or — for `?root=` or a person who sees one top unit — that unit's own
figures (本级) and one line per child subtree. A city (3,000 units) is ~150 lines, not 3,000.

Every figure comes from the roll-ups (UnitRollup, ClosureRollup, ProblemRollup), which triggers
keep exact in the transaction of every write (rectification/rollup_triggers.py): one row per unit
with its counts, instead of 300,000 measures. Python folds the units into the lines, so the page
costs the same number of queries for 3 units or 3,000. 逾期 is the one figure that moves with the
calendar: the roll-up counts it as of RollupDay.overdue_before (moved to today by the daily job) and
a bounded query on the deadline index adds the measures that fell due since (none once the job ran).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Count, FilteredRelation, Q, QuerySet, Sum
from django.http import Http404

from zuofeng.accounts.permissions import ALL, may, scope_to_units, visible_unit_ids
from zuofeng.campaigns.models import Campaign
from zuofeng.core import clock
from zuofeng.organisation.models import Unit
from zuofeng.rectification.lights import DEFAULTS as LIGHT_DEFAULTS
from zuofeng.rectification.lights import thresholds, unit_light
from zuofeng.rectification.models import (
    ClosureRollup,
    Ledger,
    LedgerState,
    Light,
    Measure,
    MeasureState,
    Problem,
    ProblemRollup,
    RollupDay,
    UnitRollup,
)
from zuofeng.rectification.selectors.dashboard_fold import Folded, fold

NOT_STARTED = "not_started"
NOT_STARTED_LABEL = "未开始"
# Worst first (the order of the light figures in a row); a unit's light is lights.unit_light.
LIGHT_SEVERITY = [Light.RED, Light.YELLOW, Light.GREEN, Light.NONE]
OPEN = ~Q(state=MeasureState.CLOSED)
SUBMITTED_STATES = (LedgerState.SUBMITTED, LedgerState.APPROVED)
FLAGS = {
    # 已提交: the list went to review, or the measure is already past review.
    "submitted": Q(problem__ledger__state__in=SUBMITTED_STATES) | ~Q(state=MeasureState.PLANNED),
    "approved": ~Q(state=MeasureState.PLANNED),
    "closed": Q(state=MeasureState.CLOSED),
    "open": OPEN,
}
UNIT_FIELDS = ("id", "name", "short_name", "path", "sort_key", "depth", "parent_id")
LIGHTS = tuple(Light.values)  # enum .values rebuilds its list on every call
STATES = tuple(MeasureState.values)
# Rows are counted on a never-null column of the covering index, not on the id: the id is not in the
# index, and reading it would visit the table for each of 300,000 measures.
MEASURES = "unit"
PROBLEMS = "ledger"
# A unit's figures, in this order, then its open measures by light, worst first (see _Figures).
FIGURES = ("problems", "measures", "submitted", "approved", "closed", "overdue")
WIDTH = len(FIGURES) + len(LIGHT_SEVERITY)


def overdue_q(today: dt.date) -> Q:
    return Q(deadline__lt=today, is_ongoing=False) & OPEN


@dataclass
class Scope:
    """What one person sees on the dashboard: their visible units, optionally one subtree (?root=)."""

    user: object
    campaign: Campaign
    root: Unit | None = None

    def _narrow(self, qs: QuerySet, unit_field: str = "unit") -> QuerySet:
        qs = scope_to_units(self.user, qs, unit_field)
        if self.root is not None:
            path = "path" if unit_field == "self" else f"{unit_field}__path"
            qs = qs.filter(**{f"{path}__startswith": self.root.path})
        return qs

    def units(self) -> QuerySet[Unit]:
        return self._narrow(Unit.objects.filter(is_active=True), "self").order_by("sort_key")

    def ledgers(self) -> QuerySet[Ledger]:
        return self._narrow(Ledger.objects.filter(campaign=self.campaign))

    def problems(self) -> QuerySet[Problem]:
        return self._narrow(Problem.objects.filter(ledger__campaign=self.campaign))

    def measures(self) -> QuerySet[Measure]:
        return self._narrow(Measure.objects.filter(campaign=self.campaign))


def dashboard_scope(*, user, campaign: Campaign, root_id: int | None = None, action: str = "ledger.dashboard") -> Scope:
    """The scope of the page; a root the person may not see is a 404, as if it did not exist."""
    root = None
    if root_id is not None:
        root = Unit.objects.filter(pk=root_id).first()
        if root is None or not may(user, action, root):
            raise Http404("未找到该单位，或您无权查看。")
    return Scope(user=user, campaign=campaign, root=root)


@dataclass
class Row:
    """One line of the per-unit table: a unit's own figures, or a unit with its whole visible subtree."""

    unit: Unit
    ledger_state: str = NOT_STARTED
    problems: int = 0
    measures: int = 0
    submitted: int = 0
    approved: int = 0
    closed: int = 0
    overdue: int = 0
    lights: dict = field(default_factory=lambda: dict.fromkeys(LIGHTS, 0))
    members: int = 1  # units summed into this row (a subtree row has more than one)
    filed: int = 0  # of those, units whose list is submitted or approved
    own: bool = False  # 本级: the level unit alone, above the lines of its children
    limits: dict = field(default_factory=lambda: dict(LIGHT_DEFAULTS))  # the campaign's share rule

    @classmethod
    def of(cls, unit: Unit | None, figures: list[int], **extra) -> "Row":
        row = cls(unit=unit, **extra)
        for name, value in zip(FIGURES, figures, strict=False):
            setattr(row, name, value)
        for light, value in zip(LIGHT_SEVERITY, figures[len(FIGURES) :], strict=True):
            row.lights[light] = value
        return row

    @property
    def rate(self) -> float:
        return round(100 * self.closed / self.measures, 1) if self.measures else 0.0

    @property
    def light(self) -> str:
        """The share rule of the campaign (lights.unit_light), not the worst single measure."""
        lights = self.lights
        return unit_light(
            red=lights[Light.RED],
            yellow=lights[Light.YELLOW],
            green=lights[Light.GREEN],
            closed=self.closed,
            limits=self.limits,
        )

    @property
    def light_label(self) -> str:
        return Light(self.light).label

    @property
    def ledger_state_label(self) -> str:
        if self.members > 1:
            return f"{self.filed}/{self.members} 个单位已提交"
        return NOT_STARTED_LABEL if self.ledger_state == NOT_STARTED else LedgerState(self.ledger_state).label

    @property
    def drill(self) -> str:
        """The items filter for this line: the subtree (root=) or the unit alone (unit=)."""
        return "unit" if self.own or self.members == 1 else "root"


@dataclass
class Dashboard:
    scope: Scope
    level: Unit | None  # the unit whose children are the lines; None: the person's top units
    trail: list[Unit]  # visible ancestors of `level`, top first, for going back up
    rows: list[Row]
    by_category: list[dict]
    by_symptom: list[dict]
    by_source: list[dict]
    by_ledger_state: list[dict]
    by_state: list[dict]
    by_light: list[dict]
    closures: list[dict]
    total: Row


def _ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def _fetch(qs: QuerySet):
    """Stream the rows of a grouped query, skipping Django's per-row conversion (ints and plain strings)
    and never holding them all: ~25,000 tuples kept alive at once made the garbage collector sweep
    the whole heap on one request in four, adding a third to its time."""
    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        yield from cursor


@dataclass
class _Tree:
    """The visible units of the scope and the lines of the table they fold into."""

    paths: dict[int, str]  # unit id → path, in official order
    parents: dict[int, int | None]  # unit id → nearest visible ancestor
    level_id: int | None
    line_ids: list[int]  # the level unit (本级) first, then its child subtrees, in official order

    def __post_init__(self) -> None:
        self._line: dict[int, int | None] = {pk: pk for pk in self.line_ids}

    def line_of(self, unit_id: int) -> int | None:
        """The line a unit is summed into: the line unit it is or lies under (at most one: lines are
        siblings), else None. Walks up the visible ancestors, remembering the answer on the way."""
        known = self._line
        chain, unit = [], unit_id
        while unit is not None and unit not in known:
            chain.append(unit)
            unit = self.parents[unit]
        line = None if unit is None else known[unit]
        for pk in chain:
            known[pk] = line
        return line


def _tree(scope: Scope, paths: dict[int, str], parents: dict[int, int | None]) -> _Tree:
    # The nearest visible ancestor is the parent in the tree this person sees (a reviewer may see
    # units whose parents are hidden from them); usually the parent itself.
    for pk, parent_id in parents.items():
        if parent_id is not None and parent_id not in paths:
            parents[pk] = next((a for a in reversed(_ids(paths[pk])[:-1]) if a in paths), None)
    tops = [pk for pk, parent in parents.items() if parent is None]
    level_id = scope.root.pk if scope.root else (tops[0] if len(tops) == 1 else None)
    if level_id is None:
        return _Tree(paths=paths, parents=parents, level_id=None, line_ids=tops)
    children = [pk for pk, parent in parents.items() if parent == level_id]
    return _Tree(paths=paths, parents=parents, level_id=level_id, line_ids=[level_id, *children])


def _trail_ids(scope: Scope, tree: _Tree) -> list[int]:
    if tree.level_id not in tree.paths:
        return []
    visible = visible_unit_ids(scope.user)
    return [a for a in _ids(tree.paths[tree.level_id])[:-1] if visible is ALL or a in visible]


def _rollups(scope: Scope, model) -> QuerySet:
    return scope._narrow(model.objects.filter(campaign=scope.campaign)).order_by()


# UnitRollup columns read per unit: first those of the figures, then those of the state/light tallies
UNIT_SUMS = (
    "problems",
    "measures",
    "state_planned",
    "state_closed",
    "overdue",
    *(f"open_{light}" for light in LIGHT_SEVERITY),
    *(f"state_{state}" for state in STATES),
    *(f"light_{light}" for light in LIGHTS),
)


def _overdue_since(scope: Scope, today: dt.date) -> dict[int, int]:
    """Per unit, the overdue measures the roll-up does not count yet (deadline between the roll-up's
    day and today; negative when asked about an earlier day). Nothing to read once the job ran today."""
    day = RollupDay.objects.filter(pk=1).values_list("overdue_before", flat=True).first()
    if day == today:
        return {}
    later, earlier = (today, day) if day is None or day < today else (day, today)
    window = Q(deadline__lt=later) if earlier is None else Q(deadline__gte=earlier, deadline__lt=later)
    sign = 1 if later == today else -1
    groups = scope.measures().filter(window, is_ongoing=False).filter(OPEN).order_by().values_list("unit_id")
    return {unit_id: sign * n for unit_id, n in groups.annotate(n=Count(MEASURES))}


def overdue_total(scope: Scope, today: dt.date | None = None) -> int:
    """The scope's 逾期 measures (overdue_q) from the roll-ups: ~3,000 unit rows summed in the database
    instead of counting 300,000 measures. Inactive units count, as in `scope.measures()`."""
    today = today or clock.today()
    rolled = _rollups(scope, UnitRollup).aggregate(n=Sum("overdue"))["n"] or 0
    return rolled + sum(_overdue_since(scope, today).values())


def _unit_rows(scope: Scope) -> QuerySet:
    """Every visible unit in official order with its list's state and its roll-up counts (NULL where it
    has none): one row per unit, read as it is stored."""
    campaign = scope.campaign
    return (
        scope.units()
        .annotate(
            ledger=FilteredRelation("ledgers", condition=Q(ledgers__campaign=campaign)),
            rollup=FilteredRelation("rollups", condition=Q(rollups__campaign=campaign)),
        )
        .values_list("id", "path", "parent_id", "ledger__state", *(f"rollup__{column}" for column in UNIT_SUMS))
    )


def _units(scope: Scope, today: dt.date) -> tuple[_Tree, dict, dict, dict, dict]:
    """The tree; per visible unit its list's state and its figures (a tuple in FIGURES +
    LIGHT_SEVERITY order); and the state and light tallies of all of them."""
    since = _overdue_since(scope, today)
    paths, parents, ledger_states, figures, tallies = {}, {}, {}, {}, []
    for unit_id, path, parent_id, ledger_state, problems, measures, planned, closed, overdue, *rest in _fetch(
        _unit_rows(scope)
    ):
        paths[unit_id], parents[unit_id] = path, parent_id
        if ledger_state is not None:
            ledger_states[unit_id] = ledger_state
        if problems is None:
            continue  # no problems and no measures
        approved = measures - planned
        # 已提交: all of a unit's measures once its list went to review, else those past review
        submitted = measures if ledger_state in SUBMITTED_STATES else approved
        overdue += since.get(unit_id, 0)
        figures[unit_id] = (problems, measures, submitted, approved, closed, overdue, *rest[: len(LIGHT_SEVERITY)])
        tallies.append(rest[len(LIGHT_SEVERITY) :])
    sums = [sum(column) for column in zip(*tallies, strict=True)] or [0] * (len(STATES) + len(LIGHTS))
    states = dict(zip(STATES, sums[: len(STATES)], strict=True))
    lights = dict(zip(LIGHTS, sums[len(STATES) :], strict=True))
    return _tree(scope, paths, parents), ledger_states, figures, states, lights


def _summed(rows: list[tuple]) -> list[int]:
    return [sum(column) for column in zip(*rows, strict=True)] if rows else [0] * WIDTH


def _fold_in_python(scope: Scope, today: dt.date) -> Folded:
    """Every visible unit read and summed into its line here: for people whose visible units are not
    whole subtrees of active units (dashboard_fold sums the others' lines in the database)."""
    tree, ledger_states, figures, states, lights = _units(scope, today)
    rows: dict[int, list[tuple]] = {pk: [] for pk in tree.line_ids}
    members = dict.fromkeys(tree.line_ids, 0)
    filed = dict.fromkeys(tree.line_ids, 0)
    ledger_counts = dict.fromkeys([NOT_STARTED, *LedgerState.values], 0)
    for unit_id in tree.paths:
        ledger_counts[ledger_states.get(unit_id, NOT_STARTED)] += 1
        key = tree.line_of(unit_id)
        if key is not None:
            members[key] += 1
            filed[key] += ledger_states.get(unit_id) in SUBMITTED_STATES
            if unit_id in figures:
                rows[key].append(figures[unit_id])
    return Folded(
        level_id=tree.level_id,
        line_ids=tree.line_ids,
        trail_ids=_trail_ids(scope, tree),
        sums={pk: _summed(rows[pk]) for pk in tree.line_ids},
        members=members,
        filed=filed,
        ledger_states=ledger_states,
        total=_summed(list(figures.values())),
        states=states,
        lights=lights,
        ledger_counts=ledger_counts,
    )


def _problem_kinds(scope: Scope) -> dict[str, dict]:
    kinds: dict[str, dict] = {"category": {}, "symptom": {}, "source": {}}
    groups = _rollups(scope, ProblemRollup).values_list("category_id", "symptom_id", "source_id").annotate(n=Sum("n"))
    for category_id, symptom_id, source_id, n in groups:
        for kind, key in (("category", category_id), ("symptom", symptom_id or None), ("source", source_id)):
            kinds[kind][key] = kinds[kind].get(key, 0) + n
    return kinds


def _closures(scope: Scope) -> list[dict]:
    weeks = _rollups(scope, ClosureRollup).values_list("week").annotate(n=Sum("n")).order_by("week")
    return [{"week": week, "n": n} for week, n in weeks]


def _counted(counts: dict, labels: dict, keys: list) -> list[dict]:
    return [{"key": key, "label": labels[key], "n": counts.get(key, 0)} for key in keys]


def _named(counts: dict, items) -> list[dict]:
    """Counts in the campaign's order, with names; items nobody chose are left out."""
    named = [{"key": item.pk, "label": item.name, "n": counts[item.pk]} for item in items if counts.get(item.pk)]
    if counts.get(None):
        named.append({"key": None, "label": "未填写", "n": counts[None]})
    return named


def dashboard_get(*, scope: Scope, today: dt.date | None = None) -> Dashboard:
    today = today or clock.today()
    folded = fold(scope, today) or _fold_in_python(scope, today)
    units = Unit.objects.only(*UNIT_FIELDS).in_bulk([*folded.line_ids, *folded.trail_ids])
    limits = thresholds(scope.campaign)
    rows = [
        Row.of(
            units[pk],
            folded.sums[pk],
            ledger_state=folded.ledger_states.get(pk, NOT_STARTED),
            members=folded.members[pk],
            filed=folded.filed[pk],
            own=pk == folded.level_id,
            limits=limits,
        )
        for pk in folded.line_ids
    ]
    kinds = _problem_kinds(scope)
    campaign = scope.campaign
    ledger_labels = {NOT_STARTED: NOT_STARTED_LABEL, **dict(LedgerState.choices)}
    return Dashboard(
        scope=scope,
        level=units.get(folded.level_id),
        trail=[units[pk] for pk in folded.trail_ids],
        rows=rows,
        by_category=[
            {"key": c.pk, "label": c.name, "n": kinds["category"].get(c.pk, 0)}
            for c in campaign.categories.filter(is_active=True).order_by("order", "id")
        ],
        by_symptom=_named(kinds["symptom"], campaign.symptoms.order_by("category__order", "order", "id")),
        by_source=_named(kinds["source"], campaign.sources.order_by("order", "id")),
        by_ledger_state=_counted(folded.ledger_counts, ledger_labels, [NOT_STARTED, *LedgerState.values]),
        by_state=_counted(folded.states, dict(MeasureState.choices), MeasureState.values),
        by_light=_counted(folded.lights, dict(Light.choices), Light.values),
        closures=_closures(scope),
        total=Row.of(scope.root, folded.total, limits=limits),
    )


def dashboard_items(
    *,
    scope: Scope,
    unit: int | None = None,
    category: int | None = None,
    symptom: int | None = None,
    source: int | None = None,
    light: str = "",
    state: str = "",
    ledger_state: str = "",
    flag: str = "",
    today: dt.date | None = None,
) -> QuerySet[Measure]:
    """The measures behind a dashboard number, in official unit order.

    PostgreSQL walks the units in sort_key order and reads each unit's measures from
    rect_measure_dash_idx, so the first pages cost the same whatever the size of the city.
    """
    qs = scope.measures()
    exact = {
        "unit_id": unit,
        "problem__category_id": category,
        "problem__symptom_id": symptom,
        "problem__source_id": source,
        "light": light,
        "state": state,
        "problem__ledger__state": ledger_state,
    }
    qs = qs.filter(**{key: value for key, value in exact.items() if value not in (None, "")})
    if light and light != Light.CLOSED:
        qs = qs.filter(OPEN)  # the table counts lights of open measures only
    if flag == "overdue":
        qs = qs.filter(overdue_q(today or clock.today()))
    elif flag in FLAGS:
        qs = qs.filter(FLAGS[flag])
    return qs.select_related("unit", "problem").order_by(
        "unit__sort_key", "problem__order", "problem_id", "order", "id"
    )
