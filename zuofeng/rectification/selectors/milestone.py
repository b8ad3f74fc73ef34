"""The 9月15日 milestone (完成找差和整改措施制定): where every unit that must file stands, on time or late.

A fixed number of queries whatever the number of units: the units joined to their ledgers, as plain
values in one query (no model instances: the office follows ~3,000 units), which draft ledgers have
a problem, and, for the one page of rows shown (`tracking_page`), approval times and problem counts
(from the roll-ups). Counting every ledger's problems would read the whole problem table.
"""

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import FilteredRelation, Q
from django.utils import timezone

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions import may, scope_to_units
from zuofeng.accounts.roles import has_role
from zuofeng.campaigns.models import Milestone
from zuofeng.core import clock
from zuofeng.organisation.models import Unit, UnitKind
from zuofeng.rectification.models import Ledger, LedgerState, Problem, UnitRollup
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


# (unit line fields, status, late, days late, ledger id, first submitted): a row before it is shown.
_Match = tuple[tuple[int, str, str, str], str, bool, int, int | None, dt.datetime | None]


def _row(match: _Match) -> TrackingRow:
    unit, status, late, days_late, ledger_id, first = match
    return TrackingRow(UnitLine(*unit), status, late, days_late, ledger_id, first_submitted_at=first)


@dataclass
class Tracking:
    milestone: Milestone | None
    today: dt.date
    matches: list[_Match] = field(default_factory=list)  # the filtered rows, as tuples (cheap for 3,000)
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

    @property
    def rows(self) -> list[TrackingRow]:
        return [_row(match) for match in self.matches]

    @property
    def chase_units(self) -> list[Unit]:
        """Late units among the rows that still owe their list."""
        return self.chase_first()

    def chase_first(self, limit: int | None = None) -> list[Unit]:
        """The first `limit` of chase_units (all when None), in official order: the rows already are."""
        ids = [unit[0] for unit, status, late, *_ in self.matches if late and status in CHASEABLE][:limit]
        return list(Unit.objects.filter(pk__in=ids).order_by("sort_key")) if ids else []


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

    def __call__(self, first_submitted_at: dt.datetime | None) -> tuple[bool, int]:
        if self.due_on is None:
            return False, 0
        if first_submitted_at is None:
            return (self.today > self.due_on), max((self.today - self.due_on).days, 0)
        if first_submitted_at < self.due_end:
            return False, 0
        return True, (first_submitted_at - self.due_start).days


def _unit_lines(units_qs, campaign) -> list[tuple[tuple[int, str, str, str], tuple | None]]:
    """The in-scope units in official order as UnitLine fields, each with its list in the campaign as
    (id, state, first submitted) or None: one query for both (functions read only for subordinate units)."""
    functions = dict(units_qs.filter(kind=UnitKind.SUBORDINATE).order_by().values_list("pk", "functions"))
    units = (
        units_qs.annotate(ledger=FilteredRelation("ledgers", condition=Q(ledgers__campaign=campaign)))
        .order_by("sort_key")
        .values_list("pk", "code", "name", "short_name", "kind", "parent__name", "parent__short_name",
                     "ledger__id", "ledger__state", "ledger__first_submitted_at")
    )  # fmt: skip
    lines = []
    for pk, code, name, short_name, kind, parent_name, parent_short, ledger_id, state, first in units:
        if pk in functions and not Unit.in_scope.fget(SimpleNamespace(kind=kind, functions=functions[pk])):
            continue  # the model's own rule: subordinate units only with the listed functions
        ledger = (ledger_id, state, first) if ledger_id is not None else None
        lines.append(((pk, code, short_name or name, parent_short or parent_name or ""), ledger))
    return lines


def milestone_tracking(
    *, user, campaign, today: dt.date | None = None, status: str = "", late: bool | None = None
) -> Tracking:
    today = today or clock.today()
    milestone = rectification_milestone(campaign=campaign)
    lines = _unit_lines(tracked_units(user=user), campaign)
    drafts = [ledger[0] for _unit, ledger in lines if ledger and ledger[1] == LedgerState.DRAFT]
    begun = Problem.objects.filter(ledger_id__in=drafts).order_by().values_list("ledger_id", flat=True).distinct()
    drafts_begun = set(begun) if drafts else set()
    tracking = Tracking(milestone=milestone, today=today, counts=dict.fromkeys(FilingStatus.values, 0))
    lateness = _Lateness(tracking.due_on, today)
    for unit, ledger in lines:
        if ledger is None or (ledger[1] == LedgerState.DRAFT and ledger[0] not in drafts_begun):
            state = FilingStatus.NOT_STARTED
        else:
            state = _FROM_LEDGER[ledger[1]]
        first = ledger[2] if ledger else None
        is_late, days_late = lateness(first)
        tracking.counts[state] += 1
        tracking.late_count += is_late
        tracking.chase_count += is_late and state in CHASEABLE
        tracking.total += 1
        if (not status or state == status) and (late is None or is_late == late):
            tracking.matches.append((unit, state, is_late, days_late, ledger[0] if ledger else None, first))
    return tracking


def tracking_page(*, tracking: Tracking, number, size: int | None = None) -> Page:
    """One page of the rows, with its ledgers' approval time and problem count (one query)."""
    page = Paginator(tracking.matches, size or PAGE_SIZE).get_page(number)
    page.object_list = [_row(match) for match in page.object_list]
    ids = [row.ledger_id for row in page.object_list if row.ledger_id]
    extra = Ledger.objects.filter(pk__in=ids).values_list("pk", "approved_at", "unit_id", "campaign_id")
    found = {pk: (approved_at, unit_id, campaign_id) for pk, approved_at, unit_id, campaign_id in extra} if ids else {}
    # A unit has one list per campaign, so its roll-up's problem count is its list's (counting the
    # problems of a hundred lists read ~5,000 rows a page)
    keys = {(unit_id, campaign_id) for _approved, unit_id, campaign_id in found.values()}
    counts = (
        UnitRollup.objects.filter(
            unit_id__in={unit for unit, _ in keys}, campaign_id__in={c for _, c in keys}
        ).values_list("unit_id", "campaign_id", "problems")
        if keys
        else []
    )
    problems = {(unit_id, campaign_id): n for unit_id, campaign_id, n in counts}
    for row in page.object_list:
        approved_at, unit_id, campaign_id = found.get(row.ledger_id, (None, None, None))
        row.approved_at, row.problem_count = approved_at, problems.get((unit_id, campaign_id), 0)
    return page
