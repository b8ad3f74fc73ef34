"""Computed rubric items: one function per item kind, each returning, for every assessed unit, its
points and the records behind them.

A kind whose records live in an app that is not installed yet (督查, 简报, 群众投诉, 攻坚项目) is
registered with that app's label as its `source`: while the app is absent the item is reported as
skipped (来源尚未启用), never as zero, and the scoring leaves it out of the group's full marks. To wire
one after its app is merged: write its function here and put it in KINDS in place of `_not_wired`.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from zuofeng.campaigns.models import Award, Campaign, Milestone
from zuofeng.campaigns.schema import RubricItemDef
from zuofeng.nominations.models import ACTIVE_STATES, Nomination, NominationState
from zuofeng.organisation.models import Unit
from zuofeng.rectification.models import Ledger, Measure, MeasureState

CENT = Decimal("0.01")


def dec(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Result:
    points: Decimal | None
    detail: str = ""
    records: list[dict] = field(default_factory=list)
    skipped: bool = False


@dataclass
class Context:
    """What every kind reads: the campaign, the cut-off and which top unit each unit's records count for."""

    campaign: Campaign
    cutoff: dt.date
    unit_ids: list[int]  # the assessed (top-level) units

    def __post_init__(self):
        self.end = timezone.make_aware(dt.datetime.combine(self.cutoff, dt.time(23, 59, 59, 999999)))
        assessed = set(self.unit_ids)
        self.top_of: dict[int, int] = {}
        for pk, path in Unit.objects.values_list("pk", "path"):
            top = int(path.strip("/").split("/")[0]) if path.strip("/") else pk
            if top in assessed:
                self.top_of[pk] = top

    def by_unit(self, rows, unit_attr: str = "unit_id") -> dict[int, list]:
        grouped: dict[int, list] = defaultdict(list)
        for row in rows:
            top = self.top_of.get(getattr(row, unit_attr))
            if top is not None:
                grouped[top].append(row)
        return grouped


def _records(kind: str, rows) -> list[dict]:
    return [{"type": kind, "id": row.pk} for row in rows]


def _per_item(item: RubricItemDef, found: list, what: str, kind: str) -> Result:
    """A counted item: per_item points for each record found."""
    points = dec(Decimal(str(item.per_item)) * len(found))
    return Result(points, f"{what} {len(found)} 项 × {dec(item.per_item)} 分", _records(kind, found))


# ── rectification ───────────────────────────────────────────────────────────────────────────────


def _measures(ctx: Context):
    # As of the cut-off by the dates that matter (deadline, 销号日期), not by when a row was typed in:
    # lists are often entered or imported after the fact.
    return Measure.objects.filter(campaign=ctx.campaign, is_ongoing=False).only(
        "pk", "unit_id", "deadline", "state", "closed_on"
    )


def _done_by(measure: Measure, day: dt.date) -> bool:
    return measure.state == MeasureState.CLOSED and measure.closed_on is not None and measure.closed_on <= day


def milestone_on_time(ctx: Context, item: RubricItemDef) -> dict[int, Result]:
    """Full points when every list of the unit's tree was approved by the milestone's date (9月15日)."""
    milestone = Milestone.objects.get(campaign=ctx.campaign, key=item.milestone)
    due = min(milestone.due_on, ctx.cutoff)
    ledgers = ctx.by_unit(Ledger.objects.filter(campaign=ctx.campaign).only("pk", "unit_id", "approved_at"))
    results = {}
    for unit_id in ctx.unit_ids:
        rows = ledgers.get(unit_id, [])
        late = [ledger for ledger in rows if ledger.approved_at is None or timezone.localdate(ledger.approved_at) > due]
        if not rows:
            results[unit_id] = Result(dec(0), f"未提交整改清单（{milestone.due_on.isoformat()} 前应审核通过）")
        elif late:
            results[unit_id] = Result(
                dec(0), f"{len(late)} 份清单未在 {milestone.due_on.isoformat()} 前审核通过", _records("ledger", late)
            )
        else:
            results[unit_id] = Result(dec(item.points), f"{len(rows)} 份清单均按时审核通过", _records("ledger", rows))
    return results


def completion_rate(ctx: Context, item: RubricItemDef) -> dict[int, Result]:
    """Points × the share of measures due by the cut-off that were 销号 by then; the rest are the records."""
    due = ctx.by_unit(_measures(ctx).filter(deadline__lte=ctx.cutoff))
    results = {}
    for unit_id in ctx.unit_ids:
        rows = due.get(unit_id, [])
        if not rows:
            results[unit_id] = Result(dec(item.points), "截止日前无到期措施，按满分计")
            continue
        done = sum(1 for m in rows if _done_by(m, ctx.cutoff))
        undone = sorted((m for m in rows if not _done_by(m, ctx.cutoff)), key=lambda m: m.pk)
        rate = Decimal(done) / Decimal(len(rows))
        results[unit_id] = Result(
            dec(Decimal(str(item.points)) * rate),
            f"到期 {len(rows)} 项，已销号 {done} 项，完成率 {dec(rate * 100)}%",
            _records("measure", undone),
        )
    return results


def overdue_measures(ctx: Context, item: RubricItemDef) -> dict[int, Result]:
    """Per item for each measure past its deadline and not 销号 at the cut-off."""
    rows = (
        _measures(ctx)
        .filter(deadline__lt=ctx.cutoff)
        .filter(~Q(state=MeasureState.CLOSED) | Q(closed_on__isnull=True) | Q(closed_on__gt=ctx.cutoff))
    )
    late = ctx.by_unit(rows.order_by("pk"))
    results = {}
    for unit_id in ctx.unit_ids:
        results[unit_id] = _per_item(item, late.get(unit_id, []), "逾期未完成", "measure")
    return results


# ── nominations ─────────────────────────────────────────────────────────────────────────────────


def nomination_quota(ctx: Context, item: RubricItemDef) -> dict[int, Result]:
    """Points when the unit's submitted nominations for the award are within its quota (十佳 ≤ 1, 事例 ≥ 1)."""
    award = Award.objects.get(campaign=ctx.campaign, key=item.award)
    rows = ctx.by_unit(
        Nomination.objects.filter(award=award, state__in=ACTIVE_STATES, submitted_at__lte=ctx.end).order_by("pk")
    )
    quota = f"至少 {award.quota_min} 项" if award.quota_min else ""
    if award.quota_max is not None:
        quota = f"{quota}、至多 {award.quota_max} 项" if quota else f"至多 {award.quota_max} 项"
    results = {}
    for unit_id in ctx.unit_ids:
        found = rows.get(unit_id, [])
        n = len(found)
        met = n >= (award.quota_min or 0) and (award.quota_max is None or n <= award.quota_max)
        results[unit_id] = Result(
            dec(item.points if met else 0),
            f"报送「{award.name}」{n} 项（要求{quota}）{'，符合' if met else '，不符合'}",
            _records("nomination", found),
        )
    return results


def awards_won(ctx: Context, item: RubricItemDef) -> dict[int, Result]:
    """Per item for each nomination selected (入选) by the cut-off, any award."""
    rows = ctx.by_unit(
        Nomination.objects.filter(
            campaign=ctx.campaign, state=NominationState.SELECTED, decided_at__lte=ctx.end
        ).order_by("pk")
    )
    results = {}
    for unit_id in ctx.unit_ids:
        results[unit_id] = _per_item(item, rows.get(unit_id, []), "入选", "nomination")
    return results


# ── sources not yet merged ──────────────────────────────────────────────────────────────────────


def _not_wired(ctx: Context, item: RubricItemDef) -> dict[int, Result]:
    # The source app exists but this kind's counting is not written yet: still skipped, said plainly.
    return {unit_id: Result(None, "来源已启用，计分尚未接入", skipped=True) for unit_id in ctx.unit_ids}


@dataclass(frozen=True)
class Kind:
    label: str
    compute: Callable[[Context, RubricItemDef], dict[int, Result]]
    source: str | None = None  # app label whose records this kind reads; None: always there


KINDS: dict[str, Kind] = {
    "milestone_on_time": Kind("时间节点按时完成", milestone_on_time),
    "completion_rate": Kind("到期措施完成率", completion_rate),
    "overdue_measures": Kind("逾期措施", overdue_measures),
    "nomination_quota": Kind("按名额报送", nomination_quota),
    "awards_won": Kind("获奖加分", awards_won),
    "paper_closeout": Kind("纸面销号", _not_wired, source="supervision"),
    "findings_by_severity": Kind("督查发现问题", _not_wired, source="supervision"),
    "accountability_by_degree": Kind("作风问责", _not_wired, source="supervision"),
    "briefing_adopted": Kind("简报采用", _not_wired, source="notices"),
    "complaints_on_time": Kind("投诉按期办结", _not_wired, source="complaints"),
    "satisfaction": Kind("群众满意率", _not_wired, source="complaints"),
    "project_milestones": Kind("攻坚项目节点", _not_wired, source="projects"),
}

SKIPPED_DETAIL = "来源尚未启用（{source} 模块未上线），本项不计分、不计入满分"
SOURCE_NAMES = {"supervision": "督查问责", "notices": "活动信息", "complaints": "群众投诉", "projects": "攻坚项目"}


def source_ready(kind: Kind) -> bool:
    return kind.source is None or apps.is_installed(f"zuofeng.{kind.source}")


def item_compute(ctx: Context, item: RubricItemDef) -> dict[int, Result]:
    """Every unit's result for one item; hand-scored items start empty, waiting for the office."""
    if item.kind == "hand":
        return {unit_id: Result(None, "待作风办评分") for unit_id in ctx.unit_ids}
    kind = KINDS[item.kind]
    if not source_ready(kind):
        detail = SKIPPED_DETAIL.format(source=SOURCE_NAMES.get(kind.source, kind.source))
        return {unit_id: Result(None, detail, skipped=True) for unit_id in ctx.unit_ids}
    return kind.compute(ctx, item)
