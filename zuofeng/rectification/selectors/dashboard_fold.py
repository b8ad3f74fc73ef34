"""The dashboard's lines summed in the database: one grouped query, whatever the number of units.

For a person who sees every unit (the office, a city-wide inspector) the line a unit is summed into
is a component of its path: the first one after the level unit's path, or the first one of all when
the lines are the top units. The database groups the units and their roll-ups by that component, so
the office's page reads ~150 summed lines instead of folding 3,510 (or 18,510) unit rows in Python.

It answers only when that rule holds: every unit visible and every unit active (an inactive unit's
children would be summed into their nearest active ancestor, which a path component cannot say).
Otherwise `fold` returns None and dashboard.py folds in Python as before; the two agree (tested).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, F, FilteredRelation, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, StrIndex, Substr

from zuofeng.accounts.permissions import ALL, visible_unit_ids
from zuofeng.organisation.models import Unit
from zuofeng.rectification.models import Ledger, LedgerState

LEDGER_STATES = tuple(LedgerState.values)


@dataclass
class Folded:
    """What the page needs from the units: the lines with their sums, the tallies and the trail."""

    level_id: int | None
    line_ids: list[int]  # the level unit (本级) first, then its children; or the top units
    trail_ids: list[int]
    sums: dict[int, list[int]]  # line id → figures in FIGURES + LIGHT_SEVERITY order
    members: dict[int, int]
    filed: dict[int, int]
    ledger_states: dict[int, str]  # unit id → its list's state (for the line units at least)
    total: list[int]
    states: dict[str, int]
    lights: dict[str, int]
    ledger_counts: dict[str, int]  # list state → units; units without a list under NOT_STARTED


def _line_key(level: Unit | None):
    """The id (as text) of the line a unit's path falls in: a path component, or the level itself."""
    start = 2 if level is None else len(level.path) + 1  # paths are "/1/7/42/"
    rest = Substr("path", start)
    component = Substr(rest, 1, StrIndex(rest, Value("/")) - 1)
    if level is None:
        return component
    return Case(When(path=level.path, then=Value(str(level.pk))), default=component)


def _sum(expression):
    return Coalesce(Sum(expression, output_field=IntegerField()), 0)


def _level(scope) -> tuple[bool, Unit | None, list[int]]:
    """Whether every unit is active; the unit whose children are the lines (None: the top units
    are); and the top units. One query: the top units and any inactive unit."""
    found = (
        Unit.objects.filter(Q(is_active=False) | Q(parent__isnull=True))
        .order_by("sort_key")
        .values_list("pk", "path", "is_active", "parent_id")
    )
    tops, all_active = [], True
    for pk, path, active, parent_id in found:
        all_active = all_active and active
        if active and parent_id is None:
            tops.append((pk, path))
    if scope.root is not None:
        return all_active, scope.root, []
    if len(tops) == 1:
        return all_active, Unit(pk=tops[0][0], path=tops[0][1]), [tops[0][0]]
    return all_active, None, [pk for pk, _path in tops]


def fold(scope, today: dt.date) -> Folded | None:
    """The dashboard's lines from one grouped query, or None when the path rule does not hold."""
    from zuofeng.rectification.selectors import dashboard as d  # the figures' names live there

    if visible_unit_ids(scope.user) is not ALL:
        return None
    all_active, level, tops = _level(scope)
    if not all_active:
        return None
    units = Unit.objects.filter(is_active=True)
    if level is not None:
        units = units.filter(path__startswith=level.path)
        children = units.filter(parent_id=level.pk).order_by("sort_key").values_list("pk", flat=True)
        line_ids = [level.pk, *children]
        trail_ids = [int(part) for part in level.path.strip("/").split("/")[:-1]]
    else:
        line_ids, trail_ids = tops, []
    campaign = scope.campaign
    filed = Q(ledger__state__in=d.SUBMITTED_STATES)
    approved = F("rollup__measures") - F("rollup__state_planned")
    # Named apart from Unit's own fields and relations (an annotation may not shadow them).
    columns = {
        "f_problems": _sum("rollup__problems"),
        "f_measures": _sum("rollup__measures"),
        # 已提交: all of a unit's measures once its list went to review, else those past review
        "f_submitted": _sum(Case(When(filed, then=F("rollup__measures")), default=approved)),
        "f_approved": _sum(approved),
        "f_closed": _sum("rollup__state_closed"),
        "f_overdue": _sum("rollup__overdue"),
        **{f"f_open_{light}": _sum(f"rollup__open_{light}") for light in d.LIGHT_SEVERITY},
        **{f"f_state_{state}": _sum(f"rollup__state_{state}") for state in d.STATES},
        **{f"f_light_{light}": _sum(f"rollup__light_{light}") for light in d.LIGHTS},
        # units by their list's state (清单状态), from the same join rather than a second query
        **{f"f_ledger_{state}": _sum(Case(When(ledger__state=state, then=1), default=0)) for state in LEDGER_STATES},
    }
    figure_names = [f"f_{name}" for name in d.FIGURES] + [f"f_open_{light}" for light in d.LIGHT_SEVERITY]
    grouped = (
        units.annotate(
            ledger=FilteredRelation("ledgers", condition=Q(ledgers__campaign=campaign)),
            rollup=FilteredRelation("rollups", condition=Q(rollups__campaign=campaign)),
            line=_line_key(level),
        )
        .order_by()
        .values("line")
        .annotate(f_members=Count("id"), f_filed=_sum(Case(When(filed, then=1), default=0)), **columns)
    )
    width = len(d.FIGURES) + len(d.LIGHT_SEVERITY)
    sums, members, filed_n = {}, {}, {}
    states, lights = dict.fromkeys(d.STATES, 0), dict.fromkeys(d.LIGHTS, 0)
    ledger_counts = dict.fromkeys(LEDGER_STATES, 0)
    for row in grouped:
        line = int(row["line"])
        members[line], filed_n[line] = row["f_members"], row["f_filed"]
        sums[line] = [row[name] for name in figure_names]
        for state in d.STATES:
            states[state] += row[f"f_state_{state}"]
        for light in d.LIGHTS:
            lights[light] += row[f"f_light_{light}"]
        for state in LEDGER_STATES:
            ledger_counts[state] += row[f"f_ledger_{state}"]
    _add_overdue_since(d, scope, today, level, sums)
    total = [sum(column) for column in zip(*sums.values(), strict=True)] if sums else [0] * width
    ledger_states = dict(Ledger.objects.filter(campaign=campaign, unit_id__in=line_ids).values_list("unit_id", "state"))
    ledger_counts[d.NOT_STARTED] = sum(members.values()) - sum(ledger_counts.values())
    return Folded(
        level_id=level.pk if level is not None else None,
        line_ids=line_ids,
        trail_ids=trail_ids,
        sums={pk: sums.get(pk, [0] * width) for pk in line_ids},
        members={pk: members.get(pk, 0) for pk in line_ids},
        filed={pk: filed_n.get(pk, 0) for pk in line_ids},
        ledger_states=ledger_states,
        total=total,
        states=states,
        lights=lights,
        ledger_counts=ledger_counts,
    )


def _add_overdue_since(d, scope, today: dt.date, level: Unit | None, sums: dict) -> None:
    """The overdue measures the roll-ups do not count yet, added to their units' lines (none once the
    daily job ran today; otherwise a bounded read on the deadline index)."""
    since = d._overdue_since(scope, today)
    if not since:
        return
    column = d.FIGURES.index("overdue")
    depth = 0 if level is None else len(level.path.strip("/").split("/"))
    for unit_id, path in Unit.objects.filter(pk__in=since).values_list("pk", "path"):
        parts = [int(part) for part in path.strip("/").split("/")]
        line = parts[depth] if len(parts) > depth else parts[-1]
        if line in sums:
            sums[line][column] += since[unit_id]
