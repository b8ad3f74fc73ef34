"""Reading scores: always through accounts.permissions (a unit sees its own and the units it reviews;
after publication, the ranking of every unit — totals only; the office everything)."""

import statistics
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from zuofeng.accounts.permissions import may, scope_to_units
from zuofeng.assessment.models import AssessmentRun, ItemScore, RunState, UnitScore
from zuofeng.assessment.rubric import rubric_for, run_rubric
from zuofeng.assessment.selectors.records import SOURCE_LINES
from zuofeng.campaigns.models import Campaign
from zuofeng.nominations.models import Nomination
from zuofeng.organisation.selectors import units_qualify
from zuofeng.rectification.models import Ledger, Measure


def latest_run(campaign: Campaign | None) -> AssessmentRun | None:
    if campaign is None:
        return None
    return AssessmentRun.objects.filter(campaign=campaign).order_by("-id").first()


def current_run(campaign: Campaign | None) -> AssessmentRun | None:
    if campaign is None:
        return None
    return AssessmentRun.objects.filter(campaign=campaign, state=RunState.DONE).order_by("-id").first()


def home_assessment(*, user, campaign: Campaign) -> dict | None:
    """The home page's card: the office's open 异议, a unit's own scores; None before any result.

    The office's card is one query (the run's id with its open 异议 counted); a unit's is the run's id,
    then its scores when there is a result — the run's own row (its rubric copy) is never read."""
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from zuofeng.assessment.models import Objection, ObjectionState

    runs = AssessmentRun.objects.filter(campaign=campaign, state=RunState.DONE).order_by("-id")
    if may(user, "assessment.answer"):
        open_ = Objection.objects.filter(score__run=OuterRef("pk"), state=ObjectionState.OPEN).order_by()
        counted = open_.values("score__run").annotate(n=Count("pk")).values("n")
        row = runs.values_list("pk", Coalesce(Subquery(counted), 0)).first()
        return None if row is None else {"open_objections": row[1]}
    run_id = runs.values_list("pk", flat=True).first()
    if run_id is None:
        return None
    return {"own": list(own_scores(user=user, run=run_id)[:5])}


def own_scores(*, user, run: AssessmentRun | int) -> QuerySet[UnitScore]:
    """The scores a person may open item by item: every one for the office; own and reviewed units else."""
    if not may(user, "assessment.view"):
        return UnitScore.objects.none()
    qs = UnitScore.objects.filter(run=run).select_related("unit")
    return scope_to_units(user, qs).order_by("ranking", "rank", "unit__sort_key")


def ranking_scores(*, user, run: AssessmentRun) -> QuerySet[UnitScore]:
    """The ranking table: all units once published (or for the office), else only the visible ones."""
    if may(user, "assessment.ranking", run):
        return UnitScore.objects.filter(run=run).select_related("unit").order_by("ranking", "rank", "unit__sort_key")
    return own_scores(user=user, run=run)


def score_get(*, user, pk: int) -> UnitScore:
    score = get_object_or_404(UnitScore.objects.select_related("unit", "run__campaign"), pk=pk)
    if not may(user, "assessment.view", score):
        raise PermissionDenied("您无权查看该单位的考核得分。")
    return score


def item_get(*, user, pk: int) -> ItemScore:
    item = get_object_or_404(ItemScore.objects.select_related("score__unit", "score__run"), pk=pk)
    if not may(user, "assessment.view", item.score):
        raise PermissionDenied("您无权查看该单位的考核得分。")
    return item


@dataclass
class ItemLine:
    item: ItemScore
    name: str
    group: str
    kind: str
    note: str


def score_lines(score: UnitScore) -> list[tuple[str, list[ItemLine]]]:
    """The unit's items under their group names, in the rubric's order."""
    rubric = rubric_for(run_rubric(score.run.rubric), score.ranking)
    items = {i.key: i for i in score.items.prefetch_related("adjustments__actor")}
    groups = []
    for group in rubric.groups:
        lines = [ItemLine(items[i.key], i.name, group.name, i.kind, i.note) for i in group.items if i.key in items]
        label = f"{group.name}（{'加分，上限' if group.bonus else '权重'} {group.weight}）"
        groups.append((label, lines))
    return groups


def item_names(score: UnitScore) -> dict[str, str]:
    rubric = rubric_for(run_rubric(score.run.rubric), score.ranking)
    return {i.key: i.name for g in rubric.groups for i in g.items}


@dataclass
class RecordLine:
    kind: str
    label: str
    detail: str
    url: str


def _measure_lines(ids):
    rows = Measure.objects.filter(pk__in=ids).select_related("unit", "problem").order_by("unit__sort_key", "id")
    rows = list(rows)
    units_qualify([m.unit for m in rows])
    return [
        RecordLine(
            "整改措施",
            m.text,
            f"{m.unit.qualified_name} · 完成时限 {m.deadline_label} · {m.get_state_display()}"
            + (f" · 销号 {m.closed_on.isoformat()}" if m.closed_on else ""),
            reverse("rectification:measure_detail", args=[m.pk]),
        )
        for m in rows
    ]


def _ledger_lines(ids):
    rows = list(Ledger.objects.filter(pk__in=ids).select_related("unit").order_by("unit__sort_key"))
    units_qualify([ledger.unit for ledger in rows])
    return [
        RecordLine(
            "整改清单",
            f"{ledger.unit.qualified_name}整改清单",
            f"{ledger.get_state_display()}"
            + (f" · 审核通过 {ledger.approved_at.date().isoformat()}" if ledger.approved_at else ""),
            reverse("rectification:ledger_detail", args=[ledger.pk]),
        )
        for ledger in rows
    ]


def _nomination_lines(ids):
    rows = Nomination.objects.filter(pk__in=ids).select_related("award").order_by("id")
    return [
        RecordLine(
            "申报",
            n.title or str(n),
            f"{n.award.name} · {n.get_state_display()}",
            reverse("nominations:detail", args=[n.pk]),
        )
        for n in rows
    ]


_LINES = {"measure": _measure_lines, "ledger": _ledger_lines, "nomination": _nomination_lines}
_LINES.update({kind: partial(lines, line=RecordLine) for kind, lines in SOURCE_LINES.items()})


def item_records(item: ItemScore) -> list[RecordLine]:
    """The records behind an item, as they stand now, each linking to its own page."""
    by_kind: dict[str, list[int]] = {}
    for record in item.records:
        by_kind.setdefault(record["type"], []).append(record["id"])
    lines = []
    for kind, ids in by_kind.items():
        lines += _LINES[kind](ids)
    return lines


def chart_data(scores: list[UnitScore], names: dict[str, str]) -> dict:
    """Score distribution (5-point bins) and each unit against its ranking's median."""
    totals = [float(s.total) for s in scores]
    bins = {}
    for t in totals:
        low = min(int(t // 5 * 5), 100)
        bins[low] = bins.get(low, 0) + 1
    labels = [f"{low}–{low + 5}" for low in sorted(bins)]
    per_ranking: dict[str, list[UnitScore]] = {}
    for s in scores:
        per_ranking.setdefault(s.ranking, []).append(s)
    medians = {}
    for ranking, rows in per_ranking.items():
        median = statistics.median([r.total for r in rows]) if rows else Decimal(0)
        medians[ranking] = {
            "name": names.get(ranking, ranking),
            "median": float(median),
            "units": [r.unit.display_name for r in rows],
            "values": [float(r.total) for r in rows],
        }
    return {"distribution": {"labels": labels, "values": [bins[k] for k in sorted(bins)]}, "medians": medians}
