"""Judging reads: what a judge may score, the opinion queue, and the ranking the office decides on.

Scores: every criterion is scored 0–100; a judge's total for a nomination is
Σ score_i × weight_i / 100 (weights from Award.criteria add up to 100, so the total is 0–100 too).
Only a judge who scored every criterion has a total. The totals of all judges are combined by
the award's `judging.aggregate` setting in the campaign definition: "mean" (default) or "median".
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions import judge_conflict_paths, may
from zuofeng.accounts.roles import assignments, has_role
from zuofeng.campaigns.models import Award
from zuofeng.nominations.models import JudgeAssignment, Nomination, NominationState, Score
from zuofeng.nominations.services.forms import display_value, masked_value
from zuofeng.nominations.services.forms import form_fields as award_fields
from zuofeng.organisation.models import Unit

CENT = Decimal("0.01")
MEAN, MEDIAN = "mean", "median"
AGGREGATE_LABELS = {MEAN: "平均分", MEDIAN: "中位数"}
LONG_TYPES = ("textarea", "honours")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# ── ranking arithmetic (pure) ───────────────────────────────────────────────


def judge_total(scores: dict[int, Decimal], weights: list[int]) -> Decimal | None:
    """One judge's weighted total, or None while a criterion is still unscored."""
    if not weights or any(i not in scores for i in range(len(weights))):
        return None
    return cents(sum((scores[i] * weights[i] for i in range(len(weights))), Decimal(0)) / 100)


def aggregate(totals: list[Decimal], method: str = MEAN) -> Decimal | None:
    if not totals:
        return None
    if method == MEDIAN:
        return cents(statistics.median(sorted(totals)))
    return cents(sum(totals, Decimal(0)) / len(totals))


@dataclass
class RankRow:
    nomination_id: int
    totals: dict[int, Decimal]  # judge id → weighted total
    aggregate: Decimal | None
    judges: int
    rank: int | None = None
    tie: bool = False
    nomination: Nomination | None = field(default=None, compare=False)


def rank(
    entries: dict[int, dict[int, dict[int, Decimal]]], weights: list[int], method: str = MEAN, order: list[int] = ()
) -> list[RankRow]:
    """entries: nomination id → judge id → criterion → score. Highest aggregate first; unscored last.

    Equal aggregates (to 2 decimals) share a rank and are flagged as ties; `order` (official unit
    order of the nominations) breaks nothing but keeps tied rows in a stable, familiar sequence.
    """
    position = {pk: i for i, pk in enumerate(order)}
    rows = []
    for pk, by_judge in entries.items():
        totals = {j: t for j, s in by_judge.items() if (t := judge_total(s, weights)) is not None}
        rows.append(RankRow(pk, totals, aggregate(list(totals.values()), method), len(totals)))
    rows.sort(key=lambda r: (r.aggregate is None, -(r.aggregate or 0), position.get(r.nomination_id, 0)))
    counts: dict[Decimal, int] = {}
    for row in rows:
        if row.aggregate is not None:
            counts[row.aggregate] = counts.get(row.aggregate, 0) + 1
    for i, row in enumerate(rows):
        if row.aggregate is None:
            continue
        previous = rows[i - 1] if i else None
        row.rank = previous.rank if previous and previous.aggregate == row.aggregate else i + 1
        row.tie = counts[row.aggregate] > 1
    return rows


# ── award settings ──────────────────────────────────────────────────────────


def award_weights(award: Award) -> list[int]:
    return [int(c.get("weight", 0)) for c in award.criteria or []]


def award_aggregate(award: Award) -> str:
    """The award's `judging.aggregate` from the campaign definition file; mean unless it says median."""
    for item in (award.campaign.definition or {}).get("awards", []):
        if item.get("key") == award.key:
            method = (item.get("judging") or {}).get("aggregate", MEAN)
            return MEDIAN if method == MEDIAN else MEAN
    return MEAN


def award_ranking(*, award: Award) -> list[RankRow]:
    """The ranking of the award's nominations in judging or decided, with their nominations attached."""
    nominations = list(
        Nomination.objects.filter(
            award=award,
            state__in=[NominationState.JUDGING, NominationState.SELECTED, NominationState.NOT_SELECTED],
        )
        .select_related("unit")
        .order_by("unit__sort_key", "id")
    )
    entries: dict[int, dict[int, dict[int, Decimal]]] = {n.pk: {} for n in nominations}
    for s in Score.objects.filter(nomination__in=nominations).values("nomination_id", "judge_id", "criterion", "score"):
        entries[s["nomination_id"]].setdefault(s["judge_id"], {})[s["criterion"]] = s["score"]
    rows = rank(entries, award_weights(award), award_aggregate(award), [n.pk for n in nominations])
    by_pk = {n.pk: n for n in nominations}
    for row in rows:
        row.nomination = by_pk[row.nomination_id]
    return rows


# ── who judges what ─────────────────────────────────────────────────────────


def judge_awards(*, user) -> QuerySet[Award]:
    if not has_role(user, Role.JUDGE):
        return Award.objects.none()
    return Award.objects.filter(judge_assignments__judge=user).select_related("campaign").order_by("campaign", "order")


def judge_nominations(*, user, award: Award) -> list[Nomination]:
    """Nominations in judging the user may score: never their own unit nor the units it reviews."""
    if not JudgeAssignment.objects.filter(award=award, judge=user).exists() or not has_role(user, Role.JUDGE):
        return []
    candidates = (
        Nomination.objects.filter(award=award, state=NominationState.JUDGING)
        .select_related("unit", "award")
        .order_by("unit__sort_key", "id")
    )
    paths = conflict_paths(user)
    return [n for n in candidates if not n.unit.path.startswith(paths)]


def conflict_paths(user) -> tuple[str, ...]:
    return judge_conflict_paths(user)


def judgeable(*, user) -> QuerySet[Nomination]:
    """Every nomination in judging the judge may see, across their awards (conflicts removed by path)."""
    if not has_role(user, Role.JUDGE):
        return Nomination.objects.none()
    queryset = Nomination.objects.filter(state=NominationState.JUDGING, award__judge_assignments__judge=user)
    for path in conflict_paths(user):
        queryset = queryset.exclude(unit__path__startswith=path)
    return queryset


def judge_scores(*, user, nominations) -> dict[int, dict[int, Score]]:
    """The user's own scores: nomination id → criterion → Score."""
    result: dict[int, dict[int, Score]] = {}
    for s in Score.objects.filter(judge=user, nomination__in=list(nominations)):
        result.setdefault(s.nomination_id, {})[s.criterion] = s
    return result


# the unit's names (qualified on the home page), and its reviewer, parent and path for reviews_not_own
_QUEUE_UNIT_FIELDS = ("unit__name", "unit__short_name", "unit__path", "unit__reviewer", "unit__parent")


def opinion_queue(*, user) -> list[Nomination]:
    """Submitted nominations waiting for this user's opinion (office: all; a leader: the units they review).
    Read: what the queue and the home page show, and what may() reads of the unit; never the filled
    form (`data`, the widest column) nor the campaign."""
    queryset = (
        Nomination.objects.filter(state=NominationState.SUBMITTED)
        .select_related("unit", "award")
        .only("id", "title", "submitted_at", "award__name", "award__order", *_QUEUE_UNIT_FIELDS)
    )
    if not has_role(user, Role.OFFICE):
        led = [a.unit_id for a in assignments(user) if a.role == Role.UNIT_LEADER]
        reviewed = Unit.objects.filter(Q(reviewer_id__in=led) | Q(reviewer__isnull=True, parent_id__in=led))
        queryset = queryset.filter(unit__in=reviewed)
    return [n for n in queryset.order_by("award__order", "unit__sort_key", "id") if may(user, "nomination.opinion", n)]


# ── the form's content, with private fields masked ──────────────────────────


def form_fields(nomination: Nomination, *, show_private: bool) -> list[dict]:
    """The filled form as (label, value) in the form's order; phone and birth month masked unless allowed.

    The opinion block is not part of it: it comes from the Opinion row.
    """
    data = nomination.data or {}
    result = []
    for f in award_fields(nomination.award):
        value = data.get(f.key)
        shown = masked_value(f, value) if f.private and not show_private else display_value(f, value)
        result.append(
            {"key": f.key, "label": f.label, "value": shown, "private": f.private, "long": f.type in LONG_TYPES}
        )
    return result
