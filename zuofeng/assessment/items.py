"""Computed rubric items: one function per item kind, each returning, for every assessed unit, its
points and the records behind them.

Kinds that read another domain (督查问责, 活动信息, 群众投诉, 攻坚项目) go through that app's selectors
(reads of every unit as of the cut-off) and name the app as their `source`. All four apps are
installed; the 来源尚未启用 path (skipped, never zero, left out of the group's full marks) stays for a
kind whose `source` is not installed. `satisfaction` is skipped per unit the same way when the unit
has no published survey result (fewer counted answers than the period's minimum).
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
from zuofeng.complaints.selectors.cases import complaints_due
from zuofeng.complaints.selectors.survey import survey_published_until
from zuofeng.nominations.models import ACTIVE_STATES, Nomination, NominationState
from zuofeng.notices.selectors.info import adopted_items
from zuofeng.organisation.models import Unit
from zuofeng.projects.selectors.projects import milestones_due, projects_approved
from zuofeng.rectification.models import Ledger, Measure, MeasureState
from zuofeng.supervision.selectors.cases import decided_cases
from zuofeng.supervision.selectors.rechecks import paper_closure_items
from zuofeng.supervision.selectors.rounds import confirmed_findings

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


# ── shapes shared by the source apps' items ───────────────────────────────────────────────────────


def _weighted(item: RubricItemDef, found: list, label_of: Callable, kind: str) -> Result:
    """A weighted item: each record adds the weight of its label (一般 −1, 较重 −2 …); no records, 0 points."""
    counts: dict[str, int] = {}
    points = Decimal(0)
    for row in found:
        label = label_of(row)
        counts[label] = counts.get(label, 0) + 1
        points += Decimal(str(item.weights.get(label, 0)))
    parts = "、".join(f"{label} {n} 项" for label, n in counts.items())
    detail = f"{parts}，计 {dec(points)} 分" if found else "无"
    return Result(dec(points), detail, _records(kind, found))


def _rate(item: RubricItemDef, due: list, missed: list, what: str, kind: str) -> Result:
    """Points × the share of records due that were met; none due is full points; the missed are the records."""
    if not due:
        return Result(dec(item.points), f"截止日前无到期{what}，按满分计")
    met = len(due) - len(missed)
    rate = Decimal(met) / Decimal(len(due))
    return Result(
        dec(Decimal(str(item.points)) * rate),
        f"到期{what} {len(due)} 项，按期 {met} 项，按期率 {dec(rate * 100)}%",
        _records(kind, missed),
    )


# ── supervision (督查问责) ─────────────────────────────────────────────────────────────────────────


def paper_closeout(ctx: Context, item: RubricItemDef) -> dict[int, Result]:
    """Per item for each closed measure found not fixed on 回头看 (纸面销号) by the cut-off."""
    rows = ctx.by_unit(paper_closure_items(campaign=ctx.campaign, until=ctx.end))
    return {unit_id: _per_item(item, rows.get(unit_id, []), "纸面销号", "recheck") for unit_id in ctx.unit_ids}


def findings_by_severity(ctx: Context, item: RubricItemDef) -> dict[int, Result]:
    """Each confirmed inspection finding found by the cut-off, weighted by its severity (一般/较重/严重)."""
    rows = ctx.by_unit(confirmed_findings(campaign=ctx.campaign, until=ctx.cutoff))
    return {
        unit_id: _weighted(item, rows.get(unit_id, []), lambda f: f.get_severity_display(), "finding")
        for unit_id in ctx.unit_ids
    }


def accountability_by_degree(ctx: Context, item: RubricItemDef) -> dict[int, Result]:
    """Each accountability decision made by the cut-off, weighted by the case's degree (情节)."""
    rows = ctx.by_unit(decided_cases(campaign=ctx.campaign, until=ctx.cutoff))
    return {
        unit_id: _weighted(item, rows.get(unit_id, []), lambda c: c.get_degree_display(), "case")
        for unit_id in ctx.unit_ids
    }


# ── notices (活动信息) ──────────────────────────────────────────────────────────────────────────────


def briefing_adopted(ctx: Context, item: RubricItemDef) -> dict[int, Result]:
    """Per item for each 活动信息 the office adopted into a 简报 by the cut-off."""
    rows = ctx.by_unit(adopted_items(campaign=ctx.campaign, until=ctx.end))
    return {unit_id: _per_item(item, rows.get(unit_id, []), "被采用", "info") for unit_id in ctx.unit_ids}


# ── projects (攻坚项目) ─────────────────────────────────────────────────────────────────────────────


def project_milestones(ctx: Context, item: RubricItemDef) -> dict[int, Result]:
    """Points × the share of milestones due by the cut-off that were done by their own date. A unit with no
    approved project has taken no part in 突破攻坚: 0, like a unit with no list (milestone_on_time)."""
    projects = ctx.by_unit(projects_approved(campaign=ctx.campaign, until=ctx.cutoff))
    due = ctx.by_unit(milestones_due(campaign=ctx.campaign, until=ctx.cutoff), unit_attr="owner_unit_id")
    results = {}
    for unit_id in ctx.unit_ids:
        if not projects.get(unit_id):
            results[unit_id] = Result(dec(0), "无已通过审核的攻坚项目")
            continue
        rows = due.get(unit_id, [])
        missed = [m for m in rows if m.done_on is None or m.done_on > m.due_on]
        results[unit_id] = _rate(item, rows, missed, "节点", "milestone")
    return results


# ── complaints (群众投诉、满意度测评) ────────────────────────────────────────────────────────────────


def complaints_on_time(ctx: Context, item: RubricItemDef) -> dict[int, Result]:
    """Points × the share of complaints due by the cut-off that the unit answered by their deadline."""
    due = ctx.by_unit(complaints_due(campaign=ctx.campaign, until=ctx.cutoff))
    results = {}
    for unit_id in ctx.unit_ids:
        rows = due.get(unit_id, [])
        missed = [c for c in rows if c.replied_on is None or c.replied_on > c.deadline]
        results[unit_id] = _rate(item, rows, missed, "投诉", "complaint")
    return results


def satisfaction(ctx: Context, item: RubricItemDef) -> dict[int, Result]:
    """Points × the share of 满意 and 基本满意 in the newest published survey result of the unit and of each
    unit under it (weighted by counted answers). A unit with no published result (fewer counted answers
    than the period's minimum) has nothing to score: skipped for that unit, not zero."""
    found: dict[int, list] = defaultdict(list)
    for unit_id, (period, result) in survey_published_until(campaign=ctx.campaign, until=ctx.end).items():
        if (top := ctx.top_of.get(unit_id)) is not None:
            found[top].append((period, result))
    results = {}
    for unit_id in ctx.unit_ids:
        rows = found.get(unit_id)
        if not rows:
            detail = "无已公布的满意度测评结果（有效份数未达最少份数），本项不计分、不计入满分"
            results[unit_id] = Result(None, detail, skipped=True)
            continue
        counted = sum(result.counted for _, result in rows)
        share = sum(Decimal(str(result.overall)) * result.counted for _, result in rows) / counted
        periods = sorted({period.pk for period, _ in rows})
        results[unit_id] = Result(
            dec(Decimal(str(item.points)) * share / 100),
            f"测评有效 {counted} 份（{len(rows)} 个单位），满意及基本满意 {dec(share)}%",
            [{"type": "survey", "id": pk} for pk in periods],
        )
    return results


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
    "paper_closeout": Kind("纸面销号", paper_closeout, source="supervision"),
    "findings_by_severity": Kind("督查发现问题", findings_by_severity, source="supervision"),
    "accountability_by_degree": Kind("作风问责", accountability_by_degree, source="supervision"),
    "briefing_adopted": Kind("简报采用", briefing_adopted, source="notices"),
    "complaints_on_time": Kind("投诉按期办结", complaints_on_time, source="complaints"),
    "satisfaction": Kind("群众满意率", satisfaction, source="complaints"),
    "project_milestones": Kind("攻坚项目节点", project_milestones, source="projects"),
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
