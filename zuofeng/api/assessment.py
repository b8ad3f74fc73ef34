"""年终考核 and 系统性问题 over the API: the rubric, scores with their items and the records behind
each point, adjustments, 异议 and clusters; computing (a run to poll until done), publishing,
naming and following clusters.

Same services and permissions as the pages: a score the caller may not open is a 404 like a missing
one; ranks and grades appear only once published (or to the office); clusters are the office's.
Mounted with `api.add_router("/assessment", router)`.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from ninja import Field, Router, Schema

from zuofeng.accounts.permissions import may
from zuofeng.api.access import require
from zuofeng.api.errors import refused
from zuofeng.api.schemas.common import Id, PathId, Ref, with_errors
from zuofeng.assessment.models import (
    AssessmentRun,
    ClusterRun,
    ItemScore,
    Objection,
    ObjectionState,
    ProblemCluster,
    UnitScore,
)
from zuofeng.assessment.rubric import NoRubric, campaign_rubric
from zuofeng.assessment.selectors.clusters import cluster_problems, cluster_runs, cluster_set
from zuofeng.assessment.selectors.scores import current_run, item_names, own_scores, ranking_scores
from zuofeng.assessment.services.clusters import cluster_note_add, cluster_run_request, cluster_update
from zuofeng.assessment.services.scores import item_adjust, run_publish, run_request
from zuofeng.assessment.workflow import objection_raise, objection_transition
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.organisation.models import Unit

router = Router(tags=["年终考核"])

RECORD_PAGES = {
    "measure": "rectification:measure_detail",
    "ledger": "rectification:ledger_detail",
    "nomination": "nominations:detail",
}


class AssessmentScoreOut(Schema):
    id: int
    unit: Ref
    ranking: str = Field(description="排名序列标识（如 departments 区级机关部门）")
    total: Decimal = Field(description="得分（含作风办调整）")
    computed_total: Decimal | None = Field(description="计算得分（未含调整；仅作风办可见）")
    rank: int | None = Field(description="名次（公布后或作风办可见）；并列时名次相同")
    tied: bool | None
    grade: str | None = Field(description="等次：优秀/良好/一般/较差（公布后或作风办可见）")


class RecordOut(Schema):
    type: str = Field(description="measure 整改措施 / ledger 整改清单 / nomination 申报")
    id: int
    url: str = Field(description="该记录的页面")


class AdjustmentOut(Schema):
    before: Decimal | None
    after: Decimal
    reason: str
    at: str


class AssessmentItemOut(Schema):
    id: int
    key: str
    name: str
    group: str
    status: str = Field(description="computed 自动计算 / skipped 来源尚未启用（不计分）/ hand 人工评分")
    computed: Decimal | None
    points: Decimal | None
    detail: str
    records: list[RecordOut]
    adjustments: list[AdjustmentOut]


class AssessmentScoreDetailOut(AssessmentScoreOut):
    cutoff: str
    items: list[AssessmentItemOut]


class AdjustIn(Schema):
    points: float = Field(ge=-100, le=100, description="调整后得分（在本项上下限之内）")
    reason: str
    version: int | None = None


class ObjectionIn(Schema):
    text: str
    item: Id | None = None


class AnswerIn(Schema):
    answer: str


class ObjectionOut(Schema):
    id: int
    score: int
    unit: Ref
    item: str | None
    text: str
    state: str
    answer: str


class ClusterOut(Schema):
    id: int
    label: str
    name: str
    unit_count: int
    problem_count: int
    district_wide: bool
    owner: Ref | None
    state: str


class ClusterProblemOut(Schema):
    id: int
    unit: Ref
    description: str
    category: str


class ClusterDetailOut(ClusterOut):
    problems: list[ClusterProblemOut]


def _score_out(user, score: UnitScore) -> dict:
    office = may(user, "assessment.adjust")
    shown = office or score.run.published_at is not None
    return {
        "id": score.pk,
        "unit": {"id": score.unit_id, "name": score.unit.name},
        "ranking": score.ranking,
        "total": score.total,
        "computed_total": score.computed_total if office else None,
        "rank": score.rank if shown else None,
        "tied": score.tied if shown else None,
        "grade": score.grade if shown else None,
    }


def _run():
    run = current_run(campaign_current())
    if run is None:
        raise Http404
    return run


def _score(user, pk: int) -> UnitScore:
    score = UnitScore.objects.select_related("unit", "run").filter(pk=pk).first()
    if score is None or not may(user, "assessment.view", score):
        raise Http404
    return score


@router.get("/rubric", response=with_errors(dict), summary="考核细则（活动定义中的 assessment 部分）")
def rubric(request):
    require(request.auth, "assessment.view")
    try:
        return campaign_rubric(campaign_current()).model_dump(mode="json")
    except NoRubric:
        raise Http404 from None


@router.get("/scores", response=with_errors(list[AssessmentScoreOut]), summary="考核得分（当前结果）")
def scores(request):
    require(request.auth, "assessment.view")
    run = _run()
    return [_score_out(request.auth, s) for s in ranking_scores(user=request.auth, run=run).select_related("run")]


@router.get(
    "/scores/{score_id}", response=with_errors(AssessmentScoreDetailOut), summary="单位得分明细（每项及其依据记录）"
)
def score_detail(request, score_id: PathId):
    require(request.auth, "assessment.view")
    score = _score(request.auth, score_id)
    names = item_names(score)
    items = []
    for item in score.items.prefetch_related("adjustments"):
        records = [
            {"type": r["type"], "id": r["id"], "url": reverse(RECORD_PAGES[r["type"]], args=[r["id"]])}
            for r in item.records
        ]
        adjustments = [
            {"before": a.before, "after": a.after, "reason": a.reason, "at": a.created_at.isoformat()}
            for a in item.adjustments.all()
        ]
        items.append(
            {
                **{f: getattr(item, f) for f in ("id", "key", "group", "status", "computed", "points", "detail")},
                "name": names.get(item.key, item.key),
                "records": records,
                "adjustments": adjustments,
            }
        )
    return {**_score_out(request.auth, score), "cutoff": score.run.cutoff.isoformat(), "items": items}


@router.post(
    "/items/{item_id}/adjust", response=with_errors(AssessmentScoreOut, 400), summary="调整考核项得分（作风办）"
)
def adjust(request, item_id: PathId, payload: AdjustIn):
    require(request.auth, "assessment.adjust")
    item = ItemScore.objects.select_related("score").filter(pk=item_id).first()
    if item is None:
        raise Http404
    try:
        item_adjust(
            actor=request.auth, item=item, points=payload.points, reason=payload.reason, version=payload.version
        )
    except ValidationError as error:
        return refused(error)
    return _score_out(request.auth, _score(request.auth, item.score_id))


def _objection_out(o: Objection, names: dict) -> dict:
    return {
        "id": o.pk,
        "score": o.score_id,
        "unit": {"id": o.score.unit_id, "name": o.score.unit.name},
        "item": names.get(o.item.key, o.item.key) if o.item else None,
        "text": o.text,
        "state": o.state,
        "answer": o.answer,
    }


@router.get("/objections", response=with_errors(list[ObjectionOut]), summary="异议（作风办：全部；单位：本单位）")
def objections(request):
    require(request.auth, "assessment.view")
    run = _run()
    visible = own_scores(user=request.auth, run=run).values("pk")
    rows = Objection.objects.filter(score__in=visible).select_related("score__unit", "score__run", "item")
    return [_objection_out(o, item_names(o.score)) for o in rows.order_by("id")]


@router.post("/scores/{score_id}/objections", response=with_errors(ObjectionOut, 400), summary="提出异议（本单位）")
def objection_new(request, score_id: PathId, payload: ObjectionIn):
    require(request.auth, "assessment.object")
    score = _score(request.auth, score_id)
    item = score.items.filter(pk=payload.item).first() if payload.item else None
    if payload.item and item is None:
        return refused(ValidationError({"item": "考核项不属于本单位"}))
    try:
        objection = objection_raise(actor=request.auth, score=score, text=payload.text, item=item)
    except ValidationError as error:
        return refused(error)
    return _objection_out(objection, item_names(score))


@router.post("/objections/{objection_id}/answer", response=with_errors(ObjectionOut, 400), summary="答复异议（作风办）")
def objection_answer(request, objection_id: PathId, payload: AnswerIn):
    require(request.auth, "assessment.answer")
    objection = Objection.objects.select_related("score__unit", "score__run", "item").filter(pk=objection_id).first()
    if objection is None:
        raise Http404
    try:
        objection = objection_transition(
            actor=request.auth, objection=objection, to=ObjectionState.ANSWERED, answer=payload.answer
        )
    except ValidationError as error:
        return refused(error)
    return _objection_out(objection, item_names(objection.score))


def _cluster_out(c) -> dict:
    owner = {"id": c.owner_id, "name": c.owner.name} if c.owner_id else None
    fields = ("id", "label", "name", "unit_count", "problem_count", "district_wide", "state")
    return {**{f: getattr(c, f) for f in fields}, "owner": owner}


@router.get("/clusters", response=with_errors(list[ClusterOut]), summary="系统性问题（作风办）")
def clusters(request):
    require(request.auth, "cluster.view")
    _, run = cluster_runs(user=request.auth, campaign=campaign_current())
    return [_cluster_out(c) for c in cluster_set(user=request.auth, run=run)]


@router.get("/clusters/{cluster_id}", response=with_errors(ClusterDetailOut), summary="系统性问题详情（作风办）")
def cluster_detail(request, cluster_id: PathId):
    require(request.auth, "cluster.view")
    cluster = ProblemCluster.objects.select_related("owner").filter(pk=cluster_id).first()
    if cluster is None:
        raise Http404
    problems = [
        {
            "id": p.pk,
            "unit": {"id": p.unit_id, "name": p.unit.qualified_name},
            "description": p.description,
            "category": p.category.name,
        }
        for p in cluster_problems(cluster)
    ]
    return {**_cluster_out(cluster), "problems": problems}


# ── 计算与公布：计算在后台进行，返回的计算任务可轮询至 state 为 done ──────────────────


class AssessmentRunIn(Schema):
    cutoff: dt.date = Field(description="考核截止日期")
    reason: str = Field("", max_length=500, description="重新计算理由（已有考核结果时必填）")


class AssessmentRunOut(Schema):
    id: int
    state: str = Field(description="queued 排队中、running 计算中、done 已完成、failed 失败")
    state_label: str
    total: int
    done: int
    percent: int
    error: str
    cutoff: dt.date | None = Field(description="考核截止日期（系统性问题分析无此项）")
    published_at: dt.datetime | None = Field(description="公布时间（未公布或系统性问题分析为空）")


def _run_out(run) -> dict:
    percent = 100 if run.state == "done" else (100 * run.done // run.total if run.total else 0)
    return {
        **{f: getattr(run, f) for f in ("id", "state", "total", "done", "error")},
        "state_label": run.get_state_display(),
        "percent": percent,
        "cutoff": getattr(run, "cutoff", None),
        "published_at": getattr(run, "published_at", None),
    }


def _polled(model, pk: int):
    run = model.objects.filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


@router.post("/runs", response=with_errors(AssessmentRunOut, 400), summary="计算考核得分（作风办；后台进行）")
def run_new(request, payload: AssessmentRunIn):
    require(request.auth, "assessment.compute")
    try:
        run = run_request(actor=request.auth, campaign=campaign_current(), cutoff=payload.cutoff, reason=payload.reason)
    except ValidationError as error:
        return refused(error)
    return _run_out(run)


@router.get("/runs/{run_id}", response=with_errors(AssessmentRunOut), summary="考核计算进度（作风办）")
def run_detail(request, run_id: PathId):
    require(request.auth, "assessment.compute")
    return _run_out(_polled(AssessmentRun, run_id))


@router.post("/runs/{run_id}/publish", response=with_errors(AssessmentRunOut, 400), summary="公布考核结果（作风办）")
def run_publish_op(request, run_id: PathId):
    require(request.auth, "assessment.publish")
    run = AssessmentRun.objects.filter(pk=run_id).first()
    if run is None:
        raise Http404
    try:
        run = run_publish(actor=request.auth, run=run)
    except ValidationError as error:
        return refused(error)
    return _run_out(run)


# ── 系统性问题：分析（后台）、命名交办、跟踪情况 ─────────────────────────────────


class ClusterUpdateIn(Schema):
    name: str = Field("", max_length=200, description="名称，如：审批环节多、材料重复提交")
    district_wide: bool = Field(False, description="列为全区性任务")
    owner: Id | None = Field(None, description="牵头单位（区级单位）")
    state: str = Field(description="跟踪状态：found 待研判 / assigned 已交办 / resolved 已解决")
    version: int = Field(description="读取时的 version（防止覆盖他人修改）")


class ClusterNoteIn(Schema):
    text: str = Field(max_length=2000, description="跟踪情况")


class ClusterNoteOut(Schema):
    id: int
    cluster: int
    text: str
    at: dt.datetime


@router.post("/cluster-runs", response=with_errors(AssessmentRunOut, 400), summary="分析系统性问题（作风办；后台进行）")
def cluster_run_new(request):
    require(request.auth, "cluster.manage")
    try:
        run = cluster_run_request(actor=request.auth, campaign=campaign_current())
    except ValidationError as error:
        return refused(error)
    return _run_out(run)


@router.get("/cluster-runs/{run_id}", response=with_errors(AssessmentRunOut), summary="系统性问题分析进度（作风办）")
def cluster_run_detail(request, run_id: PathId):
    require(request.auth, "cluster.view")
    return _run_out(_polled(ClusterRun, run_id))


def _cluster(pk: int) -> ProblemCluster:
    cluster = ProblemCluster.objects.select_related("owner").filter(pk=pk).first()
    if cluster is None:
        raise Http404
    return cluster


@router.patch(
    "/clusters/{cluster_id}", response=with_errors(ClusterOut, 400), summary="命名、列为全区性任务、交办（作风办）"
)
def cluster_edit(request, cluster_id: PathId, payload: ClusterUpdateIn):
    require(request.auth, "cluster.manage")
    cluster = _cluster(cluster_id)
    owner = None
    if payload.owner is not None:
        # The same choice as the page's: an active top-level unit.
        owner = Unit.objects.filter(pk=payload.owner, parent__isnull=True, is_active=True).first()
        if owner is None:
            return refused(ValidationError({"owner": "牵头单位须为在用的区级单位"}))
    try:
        cluster = cluster_update(
            actor=request.auth,
            cluster=cluster,
            name=payload.name,
            district_wide=payload.district_wide,
            owner=owner,
            state=payload.state,
            version=payload.version,
        )
    except ValidationError as error:
        return refused(error)
    return _cluster_out(_cluster(cluster.pk))


@router.post(
    "/clusters/{cluster_id}/notes", response=with_errors(ClusterNoteOut, 400), summary="记录跟踪情况（作风办）"
)
def cluster_note_new(request, cluster_id: PathId, payload: ClusterNoteIn):
    require(request.auth, "cluster.manage")
    cluster = _cluster(cluster_id)
    try:
        note = cluster_note_add(actor=request.auth, cluster=cluster, text=payload.text)
    except ValidationError as error:
        return refused(error)
    return {"id": note.pk, "cluster": cluster.pk, "text": note.text, "at": note.created_at}
