"""Computing, adjusting and publishing the year-end scores (年终考核).

`run_request` queues a snapshot as of a cut-off date; `run_execute` (the background task) computes
every item for every assessed unit and stores points with the records behind them. A second
computation for the same campaign must say why: it is a deliberate, audited act, and it carries the
office's adjustments (with their reasons) over to the new snapshot. Totals, ranks and grades are
recomputed from the stored items after every adjustment (`ranking_refresh`), never from the records.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zuofeng.accounts.permissions import may
from zuofeng.assessment.items import Context, item_compute
from zuofeng.assessment.models import (
    Adjustment,
    AssessmentRun,
    ItemScore,
    ItemStatus,
    RunState,
    UnitScore,
)
from zuofeng.assessment.rubric import NoRubric, assessed_units, campaign_rubric, rubric_for, run_rubric
from zuofeng.assessment.scoring import ItemValue, Placed, item_clamp, q, rank_and_grade, total_score
from zuofeng.audit.services import audit_record
from zuofeng.campaigns.models import Campaign
from zuofeng.core import clock
from zuofeng.core.jobs import job_beat, job_claim, stale_after


def _require(actor, action: str, obj=None) -> None:
    if not may(actor, action, obj):
        raise PermissionDenied("您无权办理此事项。")


def busy(model, campaign: Campaign) -> bool:
    """Whether a computation of `model` (AssessmentRun, ClusterRun) is queued or running for the campaign.

    A running one whose heartbeat stopped (its worker died) is marked failed here, so it cannot
    block the office for ever; a queued one waits for a worker.
    """
    limit = clock.now() - stale_after()
    model.objects.filter(campaign=campaign, state=RunState.RUNNING, heartbeat_at__lt=limit).update(
        state=RunState.FAILED, error="后台计算中断：超过时限没有进展，请重新计算。", finished_at=clock.now()
    )
    return model.objects.filter(campaign=campaign, state__in=(RunState.QUEUED, RunState.RUNNING)).exists()


def current_run(campaign: Campaign) -> AssessmentRun | None:
    return AssessmentRun.objects.filter(campaign=campaign, state=RunState.DONE).order_by("-id").first()


@transaction.atomic
def run_request(*, actor, campaign: Campaign, cutoff: dt.date, reason: str = "") -> AssessmentRun:
    _require(actor, "assessment.compute")
    try:
        definition = campaign_rubric(campaign)
    except NoRubric as error:
        raise ValidationError(str(error)) from None
    previous = current_run(campaign)
    reason = reason.strip()
    if previous is not None and not reason:
        raise ValidationError({"reason": "已有考核结果，重新计算须填写理由"})
    if busy(AssessmentRun, campaign):
        raise ValidationError("考核得分正在计算中，请等待完成后再操作")
    run = AssessmentRun.objects.create(
        campaign=campaign,
        cutoff=cutoff,
        reason=reason,
        rubric=definition.model_dump(mode="json"),
        requested_by=actor,
    )
    audit_record(
        actor=actor,
        action="assessment.recompute" if previous else "assessment.compute",
        obj=run,
        after={"cutoff": cutoff, "reason": reason, "previous_run": previous.pk if previous else None},
    )
    from zuofeng.assessment.tasks.compute import assessment_run_compute

    transaction.on_commit(lambda: assessment_run_compute.enqueue(run.pk))
    return run


def run_execute(*, run_id: int) -> int:
    """The background task: compute and store every unit's items; returns the number of units."""
    if not job_claim(AssessmentRun, run_id):
        return AssessmentRun.objects.get(pk=run_id).done
    run = AssessmentRun.objects.select_related("campaign").get(pk=run_id)
    try:
        count = _compute(run)
    except Exception as error:  # the page shows the failure; the worker logs the traceback
        AssessmentRun.objects.filter(pk=run_id).update(
            state=RunState.FAILED, error=f"计算失败：{error}", finished_at=clock.now()
        )
        raise
    return count


def _compute(run: AssessmentRun) -> int:
    definition = run_rubric(run.rubric)
    units = assessed_units(definition)
    job_beat(AssessmentRun, run.pk, total=len(units))
    ctx = Context(campaign=run.campaign, cutoff=run.cutoff, unit_ids=[u.pk for u, _ in units])
    results: dict[str, dict] = {}
    rankings = {ranking.key for _, ranking in units}
    for ranking_key in sorted(rankings):
        for group in rubric_for(definition, ranking_key).groups:
            for item in group.items:
                if item.key not in results:
                    results[item.key] = item_compute(ctx, item)
        job_beat(AssessmentRun, run.pk, done=len(units) // 2)
    with transaction.atomic():
        for unit, ranking in units:
            _store_unit(run, definition, unit, ranking.key, results)
        job_beat(AssessmentRun, run.pk, done=len(units))
        _carry_adjustments(run)
        for ranking_key in rankings:
            ranking_refresh(run=run, ranking=ranking_key)
        AssessmentRun.objects.filter(pk=run.pk).update(
            state=RunState.DONE, finished_at=clock.now(), heartbeat_at=clock.now()
        )
    return len(units)


def _store_unit(run, definition, unit, ranking_key: str, results: dict) -> None:
    score = UnitScore.objects.create(
        run=run, unit=unit, ranking=ranking_key, computed_total=Decimal(0), total=Decimal(0)
    )
    rows = []
    order = 0
    for group in rubric_for(definition, ranking_key).groups:
        for item in group.items:
            result = results[item.key][unit.pk]
            order += 1
            if result.skipped:
                status, points = ItemStatus.SKIPPED, None
            elif item.kind == "hand":
                status, points = ItemStatus.HAND, None
            else:
                status, points = ItemStatus.COMPUTED, item_clamp(item, result.points)
            rows.append(
                ItemScore(
                    score=score,
                    group=group.key,
                    key=item.key,
                    order=order,
                    status=status,
                    computed=points,
                    points=points,
                    detail=result.detail[:300],
                    records=result.records,
                )
            )
    ItemScore.objects.bulk_create(rows)


def _carry_adjustments(run: AssessmentRun) -> None:
    """A deliberate recomputation keeps the office's adjustments (the latest per unit and item)."""
    previous = (
        AssessmentRun.objects.filter(campaign=run.campaign, state=RunState.DONE, pk__lt=run.pk).order_by("-id").first()
    )
    if previous is None:
        return
    latest: dict[tuple[int, str], Adjustment] = {}
    for adj in Adjustment.objects.filter(item__score__run=previous).select_related("item__score").order_by("id"):
        latest[(adj.item.score.unit_id, adj.item.key)] = adj
    items = {
        (i.score.unit_id, i.key): i
        for i in ItemScore.objects.filter(score__run=run).select_related("score")
        if (i.score.unit_id, i.key) in latest
    }
    for pair, adj in latest.items():
        item = items.get(pair)
        if item is None or item.status == ItemStatus.SKIPPED:
            continue
        Adjustment.objects.create(
            item=item, before=item.points, after=adj.after, reason=f"沿用上次计算的调整：{adj.reason}", actor=adj.actor
        )
        ItemScore.objects.filter(pk=item.pk).update(points=adj.after)


def ranking_refresh(*, run: AssessmentRun, ranking: str) -> None:
    """Totals from the stored items, then ranks and grades, for one ranking of a run."""
    definition = run_rubric(run.rubric)
    rubric = rubric_for(definition, ranking)
    scores = list(UnitScore.objects.filter(run=run, ranking=ranking).prefetch_related("items"))
    placed = []
    for score in scores:
        items = list(score.items.all())
        current = {i.key: ItemValue(i.key, i.points, i.status == ItemStatus.SKIPPED) for i in items}
        computed = {i.key: ItemValue(i.key, i.computed, i.status == ItemStatus.SKIPPED) for i in items}
        score.total = total_score(rubric, current)
        score.computed_total = total_score(rubric, computed)
        placed.append(Placed(key=score, total=score.total))
    for entry in rank_and_grade(placed, definition.grades):
        score = entry.key
        score.rank, score.tied, score.grade = entry.rank, entry.tied, entry.grade
    UnitScore.objects.bulk_update(scores, ["total", "computed_total", "rank", "tied", "grade"])


@transaction.atomic
def item_adjust(*, actor, item: ItemScore, points, reason: str, version: int | None = None) -> ItemScore:
    """作风办调整 (or enters a hand-scored item): new points within the item's limits, with a reason."""
    _require(actor, "assessment.adjust")
    locked = ItemScore.objects.select_for_update().select_related("score__run", "score__unit").get(pk=item.pk)
    score = locked.score
    run = score.run
    errors = {}
    if not reason.strip():
        errors["reason"] = "请填写调整理由"
    if locked.status == ItemStatus.SKIPPED:
        errors["points"] = "该项不计分（来源尚未启用或本单位无结果），不能调整"
    definition = run_rubric(run.rubric)
    rubric = rubric_for(definition, score.ranking)
    item_def = next(i for g in rubric.groups for i in g.items if i.key == locked.key)
    try:
        value = q(points)
    except Exception:
        errors.setdefault("points", "得分必须是数字")
        value = None
    if value is not None and "points" not in errors and item_clamp(item_def, value) != value:
        errors["points"] = "得分超出本项的上下限"
    if version is not None and version != score.version:
        errors.setdefault("points", "该单位得分已被他人修改，请刷新后重试")
    if errors:
        raise ValidationError(errors)
    Adjustment.objects.create(item=locked, before=locked.points, after=value, reason=reason.strip(), actor=actor)
    before = locked.points
    locked.points = value
    locked.save(update_fields=["points"])
    UnitScore.objects.filter(pk=score.pk).update(version=score.version + 1)
    ranking_refresh(run=run, ranking=score.ranking)
    audit_record(
        actor=actor,
        action="assessment.adjust",
        obj=score,
        object_type="assessment.unitscore",
        before={"item": locked.key, "points": before},
        after={"item": locked.key, "points": value, "reason": reason.strip()},
        detail=f"{score.unit.name}：{item_def.name}",
    )
    return locked


@transaction.atomic
def run_publish(*, actor, run: AssessmentRun) -> AssessmentRun:
    _require(actor, "assessment.publish")
    locked = AssessmentRun.objects.select_for_update().get(pk=run.pk)
    if locked.state != RunState.DONE:
        raise ValidationError("考核得分尚未计算完成，不能公布")
    if locked.published_at is not None:
        raise ValidationError("考核结果已公布")
    if locked != current_run(locked.campaign):
        raise ValidationError("只能公布最新一次计算的结果")
    locked.published_at = clock.now()
    locked.published_by = actor
    locked.version += 1
    locked.save(update_fields=["published_at", "published_by", "version"])
    audit_record(actor=actor, action="assessment.publish", obj=locked, after={"cutoff": locked.cutoff})
    return locked
