"""Dashboard figures (整改工作看板) and the drill-down list behind every number.

Every figure is one grouped query (values + Count(filter=Q(...))) over the visible units, so
the page costs the same number of queries for 3 units or 3,000; per-unit and per-subtree
totals are summed in Python from those rows.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from zuofeng.accounts.permissions import may, scope_to_units
from zuofeng.campaigns.models import Campaign
from zuofeng.core import clock
from zuofeng.organisation.models import Unit
from zuofeng.rectification.models import Ledger, LedgerState, Light, Measure, MeasureState, Problem

NOT_STARTED = "not_started"
NOT_STARTED_LABEL = "未开始"
# Worst first: a unit's light is the worst light among its open measures.
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
    """One line of the per-unit table: a unit alone, or a top-level unit with its whole subtree."""

    unit: Unit
    ledger_state: str = NOT_STARTED
    problems: int = 0
    measures: int = 0
    submitted: int = 0
    approved: int = 0
    closed: int = 0
    overdue: int = 0
    lights: dict = field(default_factory=lambda: dict.fromkeys(Light.values, 0))
    members: int = 1  # units summed into this row (a subtree row has more than one)
    filed: int = 0  # of those, units whose list is submitted or approved

    def add(self, other: "Row") -> None:
        for name in ("problems", "measures", "submitted", "approved", "closed", "overdue"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for key, n in other.lights.items():
            self.lights[key] += n

    @property
    def rate(self) -> float:
        return round(100 * self.closed / self.measures, 1) if self.measures else 0.0

    @property
    def light(self) -> str:
        """Worst light of the open measures; 已销号 when every measure is closed."""
        for light in LIGHT_SEVERITY:
            if self.lights[light]:
                return light
        return Light.CLOSED if self.closed else Light.NONE

    @property
    def light_label(self) -> str:
        return Light(self.light).label

    @property
    def ledger_state_label(self) -> str:
        if self.members > 1:
            return f"{self.filed}/{self.members} 个单位已提交"
        return NOT_STARTED_LABEL if self.ledger_state == NOT_STARTED else LedgerState(self.ledger_state).label


@dataclass
class Dashboard:
    scope: Scope
    rows: list[Row]
    subtrees: list[Row]
    by_category: list[dict]
    by_symptom: list[dict]
    by_source: list[dict]
    by_ledger_state: list[dict]
    by_state: list[dict]
    by_light: list[dict]
    closures: list[dict]
    total: Row


def _unit_rows(scope: Scope, today: dt.date) -> tuple[list[Row], dict, dict]:
    """Per-unit rows from one grouped scan of measures and one of problems; also the global tallies.

    已提交 needs no join: a unit's measures all belong to its one list, whose state is known.
    """
    units = scope.units().only("id", "name", "short_name", "path", "sort_key", "depth", "parent_id")
    rows = {unit.pk: Row(unit=unit) for unit in units}
    for unit_id, state in scope.ledgers().values_list("unit_id", "state"):
        if unit_id in rows:
            rows[unit_id].ledger_state = state
    kinds: dict[str, dict] = {"category": {}, "symptom": {}, "source": {}}
    problem_groups = (
        scope.problems()
        .order_by()
        .values_list("unit_id", "category_id", "symptom_id", "source_id")
        .annotate(n=Count("id"))
    )
    for unit_id, category_id, symptom_id, source_id, n in problem_groups:
        if unit_id not in rows:
            continue
        rows[unit_id].problems += n
        for kind, key in (("category", category_id), ("symptom", symptom_id), ("source", source_id)):
            kinds[kind][key] = kinds[kind].get(key, 0) + n
    states: dict[str, int] = dict.fromkeys(MeasureState.values, 0)
    lights: dict[str, int] = dict.fromkeys(Light.values, 0)
    weeks: dict[dt.date, int] = {}
    # Grouped by the closing date itself (a handful per unit), folded into weeks here: cheaper
    # than a date function evaluated and converted for every group.
    groups = (
        scope.measures()
        .order_by()
        .values_list("unit_id", "state", "light", "closed_on")
        .annotate(n=Count("id"), overdue=Count("id", filter=overdue_q(today)))
    )
    for unit_id, state, light, closed_on, n, overdue in groups:
        row = rows.get(unit_id)
        if row is None:
            continue
        row.measures += n
        row.overdue += overdue
        if state != MeasureState.PLANNED:
            row.approved += n
        if state == MeasureState.CLOSED:
            row.closed += n
        else:
            row.lights[light] += n
        states[state] += n
        lights[light] += n
        if closed_on is not None:
            week = closed_on - dt.timedelta(days=closed_on.weekday())
            weeks[week] = weeks.get(week, 0) + n
    for row in rows.values():
        row.submitted = row.measures if row.ledger_state in SUBMITTED_STATES else row.approved
    return list(rows.values()), kinds, {"state": states, "light": lights, "week": weeks}


def _subtrees(rows: list[Row]) -> list[Row]:
    """Top-level units of the scope with everything below them (rows are in sort_key, i.e. preorder)."""
    subtrees: list[Row] = []
    current: Row | None = None
    for row in rows:
        if current is None or not row.unit.path.startswith(current.unit.path):
            current = Row(unit=row.unit, ledger_state=row.ledger_state, members=0)
            subtrees.append(current)
        current.add(row)
        current.members += 1
        current.filed += row.ledger_state in SUBMITTED_STATES
    return subtrees


def _counted(pairs, labels: dict, keys: list) -> list[dict]:
    counts = dict(pairs)
    return [{"key": key, "label": labels[key], "n": counts.get(key, 0)} for key in keys]


def _named(counts: dict, items) -> list[dict]:
    """Counts in the campaign's order, with names; items nobody chose are left out."""
    named = [{"key": item.pk, "label": item.name, "n": counts[item.pk]} for item in items if counts.get(item.pk)]
    if counts.get(None):
        named.append({"key": None, "label": "未填写", "n": counts[None]})
    return named


def dashboard_get(*, scope: Scope, today: dt.date | None = None) -> Dashboard:
    today = today or clock.today()
    rows, kinds, tallies = _unit_rows(scope, today)
    total = Row(unit=scope.root)
    for row in rows:
        total.add(row)
    campaign = scope.campaign
    ledger_counts: dict[str, int] = {}
    for row in rows:
        ledger_counts[row.ledger_state] = ledger_counts.get(row.ledger_state, 0) + 1
    ledger_labels = {NOT_STARTED: NOT_STARTED_LABEL, **dict(LedgerState.choices)}
    return Dashboard(
        scope=scope,
        rows=rows,
        subtrees=_subtrees(rows),
        by_category=[
            {"key": c.pk, "label": c.name, "n": kinds["category"].get(c.pk, 0)}
            for c in campaign.categories.filter(is_active=True).order_by("order", "id")
        ],
        by_symptom=_named(kinds["symptom"], campaign.symptoms.order_by("category__order", "order", "id")),
        by_source=_named(kinds["source"], campaign.sources.order_by("order", "id")),
        by_ledger_state=_counted(ledger_counts.items(), ledger_labels, [NOT_STARTED, *LedgerState.values]),
        by_state=_counted(tallies["state"].items(), dict(MeasureState.choices), MeasureState.values),
        by_light=_counted(tallies["light"].items(), dict(Light.choices), Light.values),
        closures=[{"week": week, "n": n} for week, n in sorted(tallies["week"].items())],
        total=total,
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
    """The measures behind a dashboard number, in official unit order."""
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
