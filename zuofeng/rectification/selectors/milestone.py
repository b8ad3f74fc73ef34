"""The 9月15日 milestone (完成找差和整改措施制定): where every unit that must file stands, on time or late.

A fixed number of queries, and no Python loop over the units, whatever their number: the status
(from the list's state and the roll-up's problem count) and the lateness of every unit are SQL
expressions; the counts come from FilingRollup for the office (no join over the units) or one
grouped query for a reviewer's units; and the rows read one page at a time in official order
(`tracking_page`), each with its list's approval time and its roll-up's problem count from the same
joined row.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Case, Count, FilteredRelation, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions import ALL, may, scope_to_units, visible_unit_ids
from zuofeng.accounts.roles import has_role
from zuofeng.campaigns.models import Milestone
from zuofeng.core import clock
from zuofeng.organisation.models import Unit, UnitKind
from zuofeng.rectification.models import FilingRollup, LedgerState
from zuofeng.rectification.selectors.review import reviewed_units_q


class FilingStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    DRAFTING = "drafting", "起草中"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已通过"


# Late units worth chasing: the ball is in their court (not waiting for the reviewer, not done).
CHASEABLE = frozenset({FilingStatus.NOT_STARTED, FilingStatus.DRAFTING, FilingStatus.RETURNED})

_FROM_LEDGER = {
    LedgerState.DRAFT: FilingStatus.DRAFTING,
    LedgerState.SUBMITTED: FilingStatus.SUBMITTED,
    LedgerState.RETURNED: FilingStatus.RETURNED,
    LedgerState.APPROVED: FilingStatus.APPROVED,
}


PAGE_SIZE = 100


@dataclass
class UnitLine:
    """What a tracking row shows of its unit; the Unit itself is loaded only to chase it."""

    pk: int
    code: str
    display_name: str
    parent_name: str


@dataclass
class TrackingRow:
    unit: UnitLine
    status: str
    late: bool
    days_late: int = 0
    ledger_id: int | None = None
    problem_count: int = 0
    first_submitted_at: dt.datetime | None = None
    approved_at: dt.datetime | None = None

    @property
    def status_label(self) -> str:
        return FilingStatus(self.status).label


# A row as the database gives it (see _ROW_FIELDS); days late are worked out for the rows shown only.
# The list and the roll-up are joined for the status already, so their approval time and problem count
# come with the row (a unit has one list and one roll-up row per campaign).
_ROW_FIELDS = ("pk", "code", "name", "short_name", "parent__name", "parent__short_name",
               "ledger__id", "status", "late", "ledger__first_submitted_at",
               "ledger__approved_at", "rollup__problems")  # fmt: skip


@dataclass
class Tracking:
    milestone: Milestone | None
    today: dt.date
    matches: QuerySet | None = None  # the filtered units with their status and lateness, in official order
    match_count: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    late_count: int = 0
    chase_count: int = 0
    total: int = 0

    @property
    def due_on(self) -> dt.date | None:
        return self.milestone.due_on if self.milestone else None

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        return [(value, label, self.counts.get(value, 0)) for value, label in FilingStatus.choices]

    def row(self, values: tuple) -> TrackingRow:
        pk, code, name, short_name, parent_name, parent_short, ledger_id, status, late, first, *more = values
        approved, problems = more
        days_late = _Lateness(self.due_on, self.today)(first)[1] if late else 0
        unit = UnitLine(pk, code, short_name or name, parent_short or parent_name or "")
        problems = (problems or 0) if ledger_id else 0
        return TrackingRow(unit, status, late, days_late, ledger_id, problems, first, approved)

    @property
    def rows(self) -> list[TrackingRow]:
        """Every matching row (the API and tests; the page reads one page of them)."""
        return [self.row(values) for values in self.matches] if self.matches is not None else []

    @property
    def chase_units(self) -> list[Unit]:
        """Late units among the rows that still owe their list."""
        return self.chase_first()

    def chase_first(self, limit: int | None = None) -> list[Unit]:
        """The first `limit` of chase_units (all when None), in official order."""
        if self.matches is None or not self.chase_count:
            return []
        if limit is not None and self.chase_count * WALK >= limit * self.total:
            ids = self._walk(limit)
        else:  # few of them: the database filters every unit (a hash join over units and lists)
            chased = self.matches.filter(late=True, status__in=CHASEABLE)
            ids = list(chased.values_list("pk", flat=True)[:limit])
        return list(Unit.objects.filter(pk__in=ids).order_by("sort_key"))

    def _walk(self, limit: int) -> list[int]:
        """The first late units worth chasing, found by reading the units in official order a few
        hundred at a time (an index walk that stops early). When they are this common the first
        read finds them; the filtered query would join every unit to its list whatever the limit,
        as the planner cannot tell how many rows the status and lateness expressions keep."""
        rows = self.matches.order_by("sort_key", "pk").values_list("pk", "sort_key", "status", "late")
        found: list[int] = []
        after = None
        while len(found) < limit:
            page = rows.filter(Q(sort_key__gt=after[0]) | Q(sort_key=after[0], pk__gt=after[1])) if after else rows
            chunk = list(page[:WALK])
            found += [pk for pk, _key, status, late in chunk if late and status in CHASEABLE]
            if len(chunk) < WALK:
                break
            after = (chunk[-1][1], chunk[-1][0])
        return found[:limit]


# units read at a time when walking the official order for the first late units (Tracking._walk)
WALK = 200


def rectification_milestone(*, campaign) -> Milestone | None:
    return (
        Milestone.objects.filter(campaign=campaign, applies_to="rectification", is_active=True)
        .order_by("due_on", "order")
        .first()
    )


def tracked_units(*, user):
    """Units this user follows: every visible unit for the office and inspectors, else the ones they review."""
    if not may(user, "ledger.dashboard"):
        return Unit.objects.none()
    units = scope_to_units(user, Unit.objects.filter(is_active=True), unit_field="self")
    if not has_role(user, Role.OFFICE, Role.INSPECTOR):
        units = units.filter(reviewed_units_q(user))
    return units


class _Lateness:
    """Late = not submitted by the end of the due day (Beijing time), or first submitted after it.

    Compares each submission time with the day's bounds, worked out once: converting 3,000
    timestamps to local dates was a tenth of the page. (Beijing time has no daylight saving, so a
    local day is always 24 hours.)
    """

    def __init__(self, due_on: dt.date | None, today: dt.date):
        self.due_on, self.today = due_on, today
        if due_on is not None:
            self.due_start = timezone.make_aware(dt.datetime.combine(due_on, dt.time.min))
            self.due_end = self.due_start + dt.timedelta(days=1)

    def by_day(self, day: dt.date | None) -> bool:
        """Late, from the Beijing day of the first submission (None: never submitted)."""
        if self.due_on is None:
            return False
        return self.today > self.due_on if day is None else day > self.due_on

    def __call__(self, first_submitted_at: dt.datetime | None) -> tuple[bool, int]:
        if self.due_on is None:
            return False, 0
        if first_submitted_at is None:
            return (self.today > self.due_on), max((self.today - self.due_on).days, 0)
        if first_submitted_at < self.due_end:
            return False, 0
        return True, (first_submitted_at - self.due_start).days


def _status():
    """FilingStatus in SQL: no list, or a draft without a problem (the roll-up's count: a unit has one
    list per campaign), is 未开始; otherwise the list's state."""
    unbegun = Q(ledger__state=LedgerState.DRAFT) & (Q(rollup__problems__isnull=True) | Q(rollup__problems=0))
    return Case(
        When(ledger__id__isnull=True, then=Value(FilingStatus.NOT_STARTED)),
        When(unbegun, then=Value(FilingStatus.NOT_STARTED)),
        *(When(ledger__state=state, then=Value(status)) for state, status in _FROM_LEDGER.items()),
        output_field=models.CharField(),
    )


def _late(lateness: _Lateness):
    """_Lateness in SQL: not submitted and the due day is past, or first submitted after it."""
    if lateness.due_on is None:
        return Value(False)
    return Case(
        When(ledger__first_submitted_at__isnull=True, then=Value(lateness.today > lateness.due_on)),
        When(ledger__first_submitted_at__lt=lateness.due_end, then=Value(False)),
        default=Value(True),
        output_field=models.BooleanField(),
    )


_UNREAD = object()


def milestone_tracking(
    *, user, campaign, today: dt.date | None = None, status: str = "", late: bool | None = None, milestone=_UNREAD
) -> Tracking:
    """Counts by status and lateness, and the matching rows as a query to be read a page at a time:
    the same few queries for 30 units or 18,000. `milestone`: the campaign's rectification milestone
    when the caller has it already (None: it has none).

    For a person who follows every unit (the office, a city-wide inspector) the counts come from
    FilingRollup (a few hundred rows kept by triggers) and the units table (a count, and the few
    inactive or subordinate units); for others, from one query grouping their units with their lists."""
    today = today or clock.today()
    if milestone is _UNREAD:
        milestone = rectification_milestone(campaign=campaign)
    tracking = Tracking(milestone=milestone, today=today, counts=dict.fromkeys(FilingStatus.values, 0))
    lateness = _Lateness(tracking.due_on, today)
    follows_all = has_role(user, Role.OFFICE, Role.INSPECTOR) and visible_unit_ids(user) is ALL
    units = tracked_units(user=user)
    left_out, active_left_out = _left_out(every=follows_all, units=units)
    rows = _annotated(units.exclude(pk__in=left_out) if left_out else units, campaign=campaign, lateness=lateness)
    if follows_all and may(user, "ledger.dashboard"):
        groups = _groups_from_rollup(
            campaign=campaign, lateness=lateness, left_out=left_out, active_left_out=active_left_out
        )
    else:
        groups = rows.order_by().values_list("status", "late").annotate(n=Count("id"))
    for state, is_late, n in groups:
        tracking.counts[state] += n
        tracking.late_count += n if is_late else 0
        tracking.chase_count += n if is_late and state in CHASEABLE else 0
        tracking.total += n
        if (not status or state == status) and (late is None or is_late == late):
            tracking.match_count += n
    if status:
        rows = rows.filter(status=status)
    if late is not None:
        rows = rows.filter(late=late)
    tracking.matches = rows.order_by("sort_key").values_list(*_ROW_FIELDS)
    return tracking


def _left_out(*, every: bool, units) -> tuple[list[int], int]:
    """Units the model's rule (Unit.in_scope) leaves out: subordinate units without the listed
    functions; for a person who follows every unit, inactive units too (the roll-up counts their
    lists, the page does not). Read in Python for the few such units, as the rule lives on the model.
    Returns their ids and how many of them are active."""
    found = Unit.objects.filter(Q(kind=UnitKind.SUBORDINATE) | Q(is_active=False)) if every else units
    if not every:
        found = found.filter(kind=UnitKind.SUBORDINATE)
    left_out, active_left_out = [], 0
    for pk, kind, functions, active in found.values_list("pk", "kind", "functions", "is_active"):
        if not active or not Unit.in_scope.fget(SimpleNamespace(kind=kind, functions=functions)):
            left_out.append(pk)
            active_left_out += active
    return left_out, active_left_out


def _annotated(units, *, campaign, lateness: _Lateness) -> QuerySet:
    """Units with their list and roll-up joined, their status and lateness as SQL expressions."""
    return units.annotate(
        ledger=FilteredRelation("ledgers", condition=Q(ledgers__campaign=campaign)),
        rollup=FilteredRelation("rollups", condition=Q(rollups__campaign=campaign)),
        status=_status(),
        late=_late(lateness),
    )


def _groups_from_rollup(
    *, campaign, lateness: _Lateness, left_out: list[int], active_left_out: int
) -> list[tuple[str, bool, int]]:
    """(status, late, units) from FilingRollup: every list of the campaign by status and day first
    submitted, less the lists of the units left out, plus 未开始 for the active units without a list."""
    groups: Counter = Counter()
    lists = 0
    rollup = FilingRollup.objects.filter(campaign=campaign).values_list("status", "submitted_on")
    for state, day, n in rollup.annotate(total=Sum("n")).order_by():  # a key's signed rows summed
        groups[(state, lateness.by_day(None if day == FilingRollup.NEVER else day))] += n
        lists += n
    if left_out:  # their lists are counted in the roll-up but not shown
        leaving = _annotated(Unit.objects.filter(pk__in=left_out), campaign=campaign, lateness=lateness)
        grouped = leaving.filter(ledger__id__isnull=False).order_by().values_list("status", "late")
        for state, is_late, n in grouped.annotate(n=Count("id")):
            groups[(state, is_late)] -= n
            lists -= n
    without_list = Unit.objects.filter(is_active=True).count() - active_left_out - lists
    groups[(FilingStatus.NOT_STARTED, lateness.by_day(None))] += without_list
    return [(state, is_late, n) for (state, is_late), n in groups.items() if n]


def tracking_page(*, tracking: Tracking, number, size: int | None = None) -> Page:
    """One page of the rows (one query)."""
    paginator = Paginator(tracking.matches if tracking.matches is not None else [], size or PAGE_SIZE)
    paginator.count = tracking.match_count  # known from the grouped counts: no COUNT over the units
    page = paginator.get_page(number)
    page.object_list = [tracking.row(values) for values in page.object_list]
    return page
