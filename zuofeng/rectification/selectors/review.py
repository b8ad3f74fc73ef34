"""Reads for 审核把关: the reviewer's queue, the items to review, history, and change requests."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, IntegerField, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from zuofeng.accounts.models import Role, User
from zuofeng.accounts.permissions import edited_units_q, may, scope_to_units, visible_unit_ids
from zuofeng.accounts.roles import assignments, has_role
from zuofeng.audit.labels import action_label
from zuofeng.campaigns.models import KeyArea
from zuofeng.campaigns.selectors import campaign_heavy_fields
from zuofeng.core import clock
from zuofeng.core.cn import cn_date
from zuofeng.core.compiled import CompiledPerKey, CompiledValues
from zuofeng.organisation.models import Person, Unit
from zuofeng.organisation.selectors import units_qualify
from zuofeng.rectification.models import (
    ChangeRequest,
    ChangeState,
    ItemReview,
    Ledger,
    LedgerEvent,
    LedgerState,
    Measure,
    MeasureState,
    Problem,
    measure_deadline_label,
)
from zuofeng.rectification.services.review import CHANGE_FIELDS, FK_FIELDS

QUEUE_LIMIT = 500


def reviewed_units_q(user, prefix: str = "") -> Q:
    """Units whose review authority the user holds: assigned or child units of the units they lead;
    the office reviews the units nobody else reviews (the top level)."""
    led = [a.unit_id for a in assignments(user) if a.role == Role.UNIT_LEADER]
    q = Q(**{f"{prefix}reviewer_id__in": led}) | Q(**{f"{prefix}reviewer__isnull": True, f"{prefix}parent_id__in": led})
    if has_role(user, Role.OFFICE):
        q |= Q(**{f"{prefix}reviewer__isnull": True, f"{prefix}parent__isnull": True})
    return q


def _waiting_days(since: dt.datetime | None, today: dt.date) -> int:
    return (today - timezone.localtime(since).date()).days if since else 0


def _queues(user, campaign) -> tuple[QuerySet, QuerySet, QuerySet]:
    """Submitted lists, pending change requests and close-out requests this user reviews: the units
    they review (reviewed_units_q), less the units they fill in themselves (may() refuses those)."""
    own = edited_units_q(user, "unit__")
    ledgers = scope_to_units(user, Ledger.objects.filter(reviewed_units_q(user, "unit__"), state=LedgerState.SUBMITTED))
    if campaign is not None:
        ledgers = ledgers.filter(campaign=campaign)
    changes = scope_to_units(
        user,
        ChangeRequest.objects.filter(reviewed_units_q(user, "measure__unit__"), state=ChangeState.PENDING),
        unit_field="measure__unit",
    ).exclude(edited_units_q(user, "measure__unit__"))
    closes = scope_to_units(
        user, Measure.objects.filter(reviewed_units_q(user, "unit__"), state=MeasureState.CLOSE_REQUESTED)
    ).exclude(own)
    return ledgers.exclude(own), changes, closes


class _RowCount(Subquery):
    """A queryset's number of rows as one column of another query: (SELECT count(*) FROM (…))."""

    template = "(SELECT count(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()
    empty_result_set_value = 0  # e.g. pk__in=[]: Django knows it is empty without asking

    def __init__(self, queryset: QuerySet):
        super().__init__(queryset.order_by().values("pk"))


def review_waiting(*, user, campaign=None) -> dict:
    """For the home page: how many items wait for this user's review, and for how many days the oldest
    list has waited (None: no list waits). Counts in the database; no queue rows are loaded.

    One query: the three counts and the oldest list's time are columns of one row — the user's own,
    a row that is always there — instead of a count query and then a query for the time."""
    if not may(user, "ledger.review"):
        return {"waiting": 0, "oldest_days": None}
    (row,) = _WAITING.rows(_waiting_key(user, campaign), user=user, campaign=campaign)
    *counts, oldest_at = row
    return {
        "waiting": sum(counts),
        "oldest_days": None if oldest_at is None or not counts[0] else _waiting_days(oldest_at, clock.today()),
    }


def _waiting(*, user, campaign) -> QuerySet:
    ledgers, changes, closes = _queues(user, campaign)
    oldest = Subquery(ledgers.order_by("submitted_at", "id").values("submitted_at")[:1])
    return User.objects.filter(pk=user.pk).values_list(
        _RowCount(ledgers), _RowCount(changes), _RowCount(closes), oldest
    )


# Building and compiling this query was ~80% of review_waiting's time (decisions §50): its SQL is kept
# per person, under everything _queues reads of them (roles with their units, visible units) and the
# campaign, so a changed role or unit is a new key, never a stale query.
_WAITING = CompiledPerKey(_waiting)


def _waiting_key(user, campaign) -> tuple:
    held = tuple((a.role, a.unit_id, a.include_subtree, a.unit.path if a.unit_id else None) for a in assignments(user))
    return (user.pk, campaign.pk if campaign is not None else None, held, visible_unit_ids(user))


@dataclass(slots=True)
class QueueLine:
    """One row of the reviewer's queue as the page shows it (views/review_rows.py draws it)."""

    pk: int
    at: dt.datetime | None  # local: submitted (a list), requested (a change), changed (a close-out request)
    unit: Unit  # with id, code, name, short_name and path: enough for its qualified name
    waiting_days: int = 0
    pending_count: int = 0  # a list's items still to review
    text: str = ""  # a measure's text
    requester: str = ""  # who asked for the change, as User.display_name
    deadline_label: str = ""  # a measure's 完成时限, as Measure.deadline_label


_UNIT = ("id", "code", "name", "short_name", "path")


def _queue_ledgers(*, user, campaign) -> QuerySet:
    ledgers = _queues(user, campaign)[0].annotate(
        pending_count=Count("problems", filter=Q(problems__review=ItemReview.PENDING))
    )
    return ledgers.order_by("submitted_at", "id").values_list(
        "id", "submitted_at", "pending_count", *(f"unit__{f}" for f in _UNIT)
    )


def _queue_changes(*, user, campaign) -> QuerySet:
    requester = ("requested_by_id", "requested_by__username", "requested_by__first_name", "requested_by__last_name")
    return (
        _queues(user, campaign)[1]
        .order_by("created_at", "id")
        .values_list(
            "id", "created_at", "measure__text", *requester, "requested_by__person__name",
            *(f"measure__unit__{f}" for f in _UNIT),
        )[:QUEUE_LIMIT]
    )  # fmt: skip


def _queue_closes(*, user, campaign) -> QuerySet:
    closes = _queues(user, campaign)[2].order_by("updated_at", "id")
    return closes.values_list("id", "updated_at", "text", "is_ongoing", "deadline", *(f"unit__{f}" for f in _UNIT))[
        :QUEUE_LIMIT
    ]


# Building and compiling these three queries was ~45% of the queue page's time (decisions §57): kept
# per person under the same key as the home page's count (_waiting_key: roles with their units, the
# units they see, the campaign), so a changed role or unit is a new key. Rows are read every time.
_QUEUE_LEDGERS = CompiledPerKey(_queue_ledgers)
_QUEUE_CHANGES = CompiledPerKey(_queue_changes)
_QUEUE_CLOSES = CompiledPerKey(_queue_closes)


def _units(rows: list, start: int, units: dict[int, Unit]) -> None:
    """One Unit per unit the rows name (the columns of _UNIT from `start`): a unit with many rows in
    the queue (the office's close-out requests) is built and qualified once."""
    for row in rows:
        if row[start] not in units:
            units[row[start]] = Unit(**dict(zip(_UNIT, row[start : start + len(_UNIT)], strict=True)))


def _local(row: tuple, zone) -> tuple:
    """The row with its time (second column) in the current time zone, as _waiting_days and
    cn_datetime read it: converted once here with the zone looked up once a page, not by
    timezone.localtime twice a row (each looks the active zone up again; the office has ~500 rows)."""
    pk, at, *rest = row
    return (pk, at.astimezone(zone) if at else at, *rest)


def review_queue(*, user, campaign=None) -> dict:
    """Lists, change requests and close-out requests waiting for this user's review, oldest first.

    Every row _queues finds is the user's to review: its filters are may()'s rules for these actions
    (reviews_not_own) written as SQL, so rows are not checked again one by one."""
    if not may(user, "ledger.review"):
        return {"ledgers": [], "changes": [], "closes": [], "change_total": 0, "close_total": 0}
    today, zone = clock.today(), timezone.get_current_timezone()
    key = _waiting_key(user, campaign)
    inputs = {"user": user, "campaign": campaign}
    ledger_rows = _QUEUE_LEDGERS.rows(key, **inputs)
    change_rows = _QUEUE_CHANGES.rows(key, **inputs)
    close_rows = _QUEUE_CLOSES.rows(key, **inputs)
    units: dict[int, Unit] = {}
    for rows, start in ((ledger_rows, 3), (change_rows, 8), (close_rows, 5)):
        _units(rows, start, units)
    # named with their parents on the page (区教育局·办公室), one query for all of them
    units_qualify(list(units.values()))
    ledgers = [
        QueueLine(pk, at, units[row[3]], (today - at.date()).days if at else 0, pending_count=pending)
        for row in ledger_rows
        for pk, at, pending in [_local(row[:3], zone)]
    ]
    changes = [
        QueueLine(pk, at, units[row[8]], (today - at.date()).days, text=text,
                  requester=_actor_name(*actor) if requester_id else "")
        for row in change_rows
        for pk, at, text, requester_id, *actor in [_local(row[:8], zone)]
    ]  # fmt: skip
    closes = [
        QueueLine(pk, at, units[row[5]], (today - at.date()).days, text=text,
                  deadline_label=measure_deadline_label(is_ongoing=ongoing, deadline=deadline))
        for row in close_rows
        for pk, at, text, ongoing, deadline in [_local(row[:5], zone)]
    ]  # fmt: skip
    full = QUEUE_LIMIT in (len(changes), len(closes))
    totals = _WAITING.rows(key, **inputs)[0][1:3] if full else (len(changes), len(closes))
    return {
        "ledgers": ledgers,
        "changes": changes,
        "closes": closes,
        "change_total": totals[0],
        "close_total": totals[1],
    }


def ledger_for_user(*, user, pk: int) -> Ledger | None:
    """The ledger if the user may see it, else None."""
    ledgers = Ledger.objects.select_related("unit", "unit__parent", "campaign")
    ledger = scope_to_units(user, ledgers.defer(*campaign_heavy_fields("campaign__"))).filter(pk=pk)
    ledger = ledger.first()
    if ledger is None or not may(user, "ledger.view", ledger):
        return None
    return ledger


def problems_to_review(*, ledger: Ledger) -> QuerySet[Problem]:
    return (
        ledger.problems.filter(review=ItemReview.PENDING)
        .select_related("category", "symptom", "source", "recorded_by", "recorded_by__person")
        .prefetch_related(
            "benchmarks",
            Prefetch(
                "measures",
                queryset=Measure.objects.select_related("responsible_unit", "responsible_person", "key_area"),
            ),
        )
        .order_by("order", "id")
    )


def reviewed_problem_count(*, ledger: Ledger) -> dict[str, int]:
    counts = dict(ledger.problems.values_list("review").annotate(n=Count("id")).values_list("review", "n"))
    return {value: counts.get(value, 0) for value in ItemReview.values}


# ── history ────────────────────────────────────────────────────────────────


def _state_label(event, value: str) -> str:
    if not value:
        return ""
    if event.action.startswith("change."):
        choices = ChangeState
    elif event.action.startswith("problem."):
        choices = ItemReview
    elif event.measure_id:
        choices = MeasureState
    else:
        choices = LedgerState
    return choices(value).label if value in choices.values else value


@dataclass(slots=True)
class HistoryLine:
    """One step as the history table shows it (a LedgerEvent's shown columns, labelled)."""

    at: dt.datetime
    action: str
    from_state: str
    to_state: str
    comment: str
    actor_name: str
    problem_id: int | None
    problem: dict | None  # {"order": …}: "第3项问题"
    measure_id: int | None
    measure: dict | None  # {"text": …}
    action_label: str = ""
    from_label: str = ""
    to_label: str = ""


def _history(ledger_id: int):
    return (
        LedgerEvent.objects.filter(ledger_id=ledger_id)
        .order_by("-at", "-id")
        .values(
            "at", "action", "from_state", "to_state", "comment", "actor_id", "actor__username",
            "actor__first_name", "actor__last_name", "actor__person__name", "problem_id", "problem__order",
            "measure_id", "measure__text",
        )
    )  # fmt: skip


# Shown on every list page: compiled once per process (core/compiled.py), read as values.
_HISTORY = CompiledValues(_history, "ledger_id")


def _actor_name(username, first_name, last_name, person_name) -> str:
    """User.display_name from the row: the person's name, else the account's full name, else its username."""
    if person_name is not None:
        return person_name
    return f"{first_name} {last_name}".strip() or username


def ledger_history(*, ledger: Ledger) -> list[HistoryLine]:
    """Every step on the list and its items, newest first, labelled for reading."""
    lines = []
    for (
        at,
        action,
        from_state,
        to_state,
        comment,
        actor_id,
        *actor,
        problem_id,
        order,
        measure_id,
        text,
    ) in _HISTORY.rows(ledger_id=ledger.pk):
        line = HistoryLine(
            at, action, from_state, to_state, comment, _actor_name(*actor) if actor_id else "系统",
            problem_id, {"order": order} if problem_id else None,
            measure_id, {"text": text} if measure_id else None,
        )  # fmt: skip
        line.action_label = action_label(action, to_state)
        line.from_label = _state_label(line, from_state)
        line.to_label = _state_label(line, to_state)
        lines.append(line)
    return lines


# ── change requests ────────────────────────────────────────────────────────


def change_for_user(*, user, pk: int) -> ChangeRequest | None:
    qs = scope_to_units(
        user,
        ChangeRequest.objects.select_related(
            "measure", "measure__unit", "measure__problem", "requested_by", "requested_by__person", "decided_by"
        ),
        unit_field="measure__unit",
    )
    change = qs.filter(pk=pk).first()
    if change is None or not may(user, "ledger.view", change.measure):
        return None
    return change


def measure_for_user(*, user, pk: int) -> Measure | None:
    qs = Measure.objects.select_related(
        "unit", "problem", "campaign", "problem__ledger", "responsible_unit", "responsible_person", "key_area"
    )
    qs = scope_to_units(user, qs)
    measure = qs.filter(pk=pk).first()
    if measure is None or not may(user, "ledger.view", measure):
        return None
    return measure


def _display(name: str, value, lookups: dict) -> str:
    if value is None or value == "":
        return "（空）"
    if name in FK_FIELDS:
        obj = lookups[name].get(value)
        if obj is None:
            return "（已删除）"
        return obj.name if not isinstance(obj, Unit) else obj.display_name
    if name in ("starts_on", "deadline"):
        return cn_date(dt.date.fromisoformat(value))
    if name == "is_ongoing":
        return "是" if value else "否"
    return str(value)


def change_rows(changes: list[ChangeRequest]) -> list[ChangeRequest]:
    """Attach `rows` (field label, old, new) to each change; three queries whatever the count."""
    ids: dict[str, set] = {"responsible_unit": set(), "responsible_person": set(), "key_area": set()}
    for change in changes:
        for values in (change.old_values, change.new_values):
            for name, bucket in ids.items():
                if values.get(name) is not None:
                    bucket.add(values[name])
    lookups = {
        "responsible_unit": Unit.objects.in_bulk(ids["responsible_unit"]),
        "responsible_person": Person.objects.in_bulk(ids["responsible_person"]),
        "key_area": KeyArea.objects.in_bulk(ids["key_area"]),
    }
    for change in changes:
        change.rows = [
            (
                CHANGE_FIELDS.get(name, name),
                _display(name, change.old_values.get(name), lookups),
                _display(name, new, lookups),
            )
            for name, new in change.new_values.items()
        ]
    return changes


def measure_changes(*, measure: Measure) -> list[ChangeRequest]:
    changes = list(
        measure.change_requests.select_related(
            "requested_by", "requested_by__person", "decided_by", "decided_by__person"
        ).order_by("-created_at", "-id")
    )
    return change_rows(changes)
