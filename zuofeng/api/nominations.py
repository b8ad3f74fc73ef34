"""评优申报 over the API: awards with the caller's quota standing, nominations, opinions, scores, results.

Same rules as the pages: nominations are scoped like the pages (a judge sees only what they may
score); an invisible row is a 404 like a missing one; writes go through the services, which
check `may` (403 when refused); phone numbers and birth dates are masked unless the caller has
nomination.view_private. Mounted with `api.add_router("/nominations", router)`.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import WithJsonSchema

from zuofeng.accounts.permissions import may, scope_to_units
from zuofeng.accounts.roles import primary_unit
from zuofeng.api.access import require
from zuofeng.api.errors import refused
from zuofeng.api.pagination import Paged
from zuofeng.api.schemas.common import Id, PathId, Ref, with_errors
from zuofeng.campaigns.models import AWARD_COUNTER, Award
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.nominations.models import ACTIVE_STATES, Nomination, NominationState, Score
from zuofeng.nominations.selectors import judging as selectors
from zuofeng.nominations.services import judging as services
from zuofeng.nominations.services.opinion import opinion_give
from zuofeng.organisation.models import Unit

router = Router(tags=["评优申报"])


# ── schemas ─────────────────────────────────────────────────────────────────


class CriterionOut(Schema):
    index: int = Field(description="评分项编号（从 0 起），评分时使用")
    name: str
    weight: int = Field(description="权重（%），各项合计 100")
    description: str = ""


class StandingOut(Schema):
    unit: Ref
    submitted: int = Field(description="本单位已报送（含评审中、已评定）的申报数")
    label: str = Field(description="如“本单位已申报 1/1”")


class AwardStandingOut(Schema):
    id: int
    key: str
    name: str
    kind: str
    quota_min: int
    quota_max: int | None
    quota_label: str
    winners: int | None
    opens_on: dt.date | None
    deadline: dt.datetime | None
    criteria: list[CriterionOut]
    aggregate: str = Field(description="评委得分汇总方式：mean 平均分，median 中位数")
    standing: StandingOut | None = Field(description="调用者所在单位的申报情况；无所属单位时为空")


class FieldOut(Schema):
    key: str
    label: str
    value: str
    private: bool = Field(description="是否为个人信息（电话、出生年月）；无权查看时已打码")


class OpinionOut(Schema):
    unit: Ref | None
    text: str
    signed_on: dt.date
    has_scan: bool


class NominationOut(Schema):
    id: int
    award: Ref
    unit: Ref
    state: str
    state_label: str
    title: str
    submitted_at: dt.datetime | None

    @staticmethod
    def resolve_award(obj) -> dict:
        return {"id": obj.award_id, "name": obj.award.name}

    @staticmethod
    def resolve_unit(obj) -> dict:
        return {"id": obj.unit_id, "name": obj.unit.display_name}

    @staticmethod
    def resolve_state_label(obj) -> str:
        return NominationState(obj.state).label


class NominationDetailOut(NominationOut):
    fields: list[FieldOut]
    opinion: OpinionOut | None

    @staticmethod
    def resolve_fields(obj, context) -> list[dict]:
        show_private = may(context["request"].auth, "nomination.view_private", obj)
        return selectors.form_fields(obj, show_private=show_private)

    @staticmethod
    def resolve_opinion(obj) -> dict | None:
        opinion = getattr(obj, "opinion", None)
        if opinion is None:
            return None
        unit = {"id": opinion.unit_id, "name": opinion.unit.display_name} if opinion.unit_id else None
        return {
            "unit": unit,
            "text": opinion.text,
            "signed_on": opinion.signed_on,
            "has_scan": bool(opinion.stamped_scan),
        }


class NominationFilter(Schema):
    award: Id | None = Field(None, description="奖项 id")
    state: NominationState | None = Field(None, description="状态")


class ScoreIn(Schema):
    criterion: int = Field(description="评分项编号（从 0 起）")
    # Documented as a number: pydantic would also document any string, and "" is not a score.
    score: Annotated[Decimal, WithJsonSchema({"type": "number", "minimum": 0, "maximum": 100})] = Field(
        description="得分，0–100，最多两位小数"
    )
    comment: str = ""


class ScoresIn(Schema):
    scores: list[ScoreIn]


class ScoreOut(Schema):
    criterion: int
    name: str
    score: Decimal
    comment: str


class OpinionIn(Schema):
    text: str = Field(min_length=1)  # a multipart form reads an empty field as missing
    signed_on: dt.date


class RankOut(Schema):
    rank: int | None
    nomination: NominationOut
    aggregate: Decimal | None = Field(description="汇总得分（加权总分的平均分或中位数）")
    judges: int = Field(description="已完成评分的评委数")
    tie: bool = Field(description="与其他申报得分相同（并列）")


class ResultsIn(Schema):
    selected_ids: list[Id]
    allow_over_quota: bool = Field(False, description="确认超出评选名额")


class ResultsOut(Schema):
    selected: int
    not_selected: int


# ── helpers ─────────────────────────────────────────────────────────────────


def _nominations(user):
    """The rows of the units the caller may see, plus (for a judge) what they may score."""
    scoped = scope_to_units(user, Nomination.objects.all()).values("pk")
    judged = selectors.judgeable(user=user).values("pk")
    return Nomination.objects.filter(Q(pk__in=scoped) | Q(pk__in=judged)).select_related("award", "unit")


def _nomination(user, pk: int) -> Nomination:
    """One row by the list's own rule, so list and detail never disagree; else 404."""
    nomination = _nominations(user).select_related("campaign").filter(pk=pk).first()
    if nomination is None or not may(user, "nomination.view", nomination):
        raise Http404
    return nomination


def _home_unit(user) -> Unit | None:
    """The nominating (top-level) unit the caller works for."""
    unit = primary_unit(user)
    if unit is None:
        return None
    root_id = int(unit.path.strip("/").split("/")[0]) if unit.path else unit.pk
    return unit if root_id == unit.pk else Unit.objects.filter(pk=root_id).first()


def _award_out(award: Award, unit: Unit | None, counts: dict[int, int]) -> dict:
    standing = None
    if unit is not None:
        n = counts.get(award.pk, 0)
        counter = AWARD_COUNTER.get(award.kind, "个")
        label = f"本单位已申报 {n}/{award.quota_max}" if award.quota_max else f"本单位已申报 {n} {counter}"
        standing = {"unit": {"id": unit.pk, "name": unit.display_name}, "submitted": n, "label": label}
    criteria = [{"index": i, **c} for i, c in enumerate(award.criteria or [])]
    return {
        **{f: getattr(award, f) for f in ("id", "key", "name", "kind", "quota_min", "quota_max", "winners")},
        **{"quota_label": award.quota_label, "opens_on": award.opens_on, "deadline": award.deadline},
        "criteria": criteria,
        "aggregate": selectors.award_aggregate(award),
        "standing": standing,
    }


# ── awards ──────────────────────────────────────────────────────────────────


@router.get("/awards", response=with_errors(list[AwardStandingOut]), summary="奖项列表（含本单位申报情况）")
def awards(request):
    require(request.auth, "campaign.view")
    campaign = campaign_current()
    rows = list(Award.objects.filter(campaign=campaign, is_active=True).select_related("campaign").order_by("order"))
    unit = _home_unit(request.auth)
    counts = {}
    if unit is not None:
        counts = dict(
            Nomination.objects.filter(award__in=rows, unit=unit, state__in=ACTIVE_STATES)
            .values("award")
            .annotate(n=Count("pk"))
            .values_list("award", "n")
        )
    return [_award_out(a, unit, counts) for a in rows]


@router.get("/awards/{award_id}/ranking", response=with_errors(list[RankOut]), summary="评审排名（作风办）")
def ranking(request, award_id: PathId):
    require(request.auth, "award.manage")
    award = Award.objects.select_related("campaign").filter(pk=award_id).first()
    if award is None:
        raise Http404
    return selectors.award_ranking(award=award)


@router.post(
    "/awards/{award_id}/results",
    response=with_errors(ResultsOut, 400),
    summary="确定评选结果（作风办）",
    description="所选申报“入选”，其余评审中的申报“未入选”；超过评选名额须 allow_over_quota。",
)
def results(request, award_id: PathId, payload: ResultsIn):
    require(request.auth, "nomination.select")
    award = Award.objects.filter(pk=award_id).first()
    if award is None:
        raise Http404
    try:
        selected, rest = services.results_select(
            actor=request.auth,
            award=award,
            selected_ids=payload.selected_ids,
            allow_over_quota=payload.allow_over_quota,
        )
    except ValidationError as error:
        return refused(error)
    return {"selected": selected, "not_selected": rest}


# ── nominations ─────────────────────────────────────────────────────────────


@router.get("", response=with_errors(list[NominationOut]), summary="申报列表")
@paginate(Paged)
def nominations(request, filters: Query[NominationFilter]):
    require(request.auth, "nomination.view")
    queryset = _nominations(request.auth).order_by("award__order", "unit__sort_key", "id")
    if filters.award is not None:
        queryset = queryset.filter(award_id=filters.award)
    if filters.state is not None:
        queryset = queryset.filter(state=filters.state)
    return queryset


@router.get("/{nomination_id}", response=with_errors(NominationDetailOut), summary="申报详情")
def nomination_detail(request, nomination_id: PathId):
    require(request.auth, "nomination.view")
    nomination = _nomination(request.auth, nomination_id)
    return nomination


@router.post(
    "/{nomination_id}/opinion",
    response=with_errors(NominationOut, 400),
    summary="签署意见（辖市（区）作风办或主管部门）",
    description="multipart/form-data：text 意见、signed_on 日期、stamped_scan 盖章扫描件（PDF/JPG/PNG，≤ 20 MB）。",
)
def opinion(request, nomination_id: PathId, payload: Form[OpinionIn], stamped_scan: File[UploadedFile] = None):
    require(request.auth, "nomination.opinion")
    nomination = _nomination(request.auth, nomination_id)
    try:
        opinion_give(
            actor=request.auth,
            nomination=nomination,
            text=payload.text,
            signed_on=payload.signed_on,
            stamped_scan=stamped_scan,
        )
    except ValidationError as error:
        return refused(error)
    return nomination


def _scores_out(user, nomination: Nomination) -> list[dict]:
    names = [c["name"] for c in nomination.award.criteria or []]
    rows = Score.objects.filter(nomination=nomination, judge=user).order_by("criterion")
    return [
        {"criterion": s.criterion, "name": names[s.criterion] if s.criterion < len(names) else "", "score": s.score}
        | {"comment": s.comment}
        for s in rows
    ]


@router.get("/{nomination_id}/scores", response=with_errors(list[ScoreOut]), summary="我的评分（评审专家）")
def my_scores(request, nomination_id: PathId):
    require(request.auth, "nomination.judge")
    nomination = _nomination(request.auth, nomination_id)
    return _scores_out(request.auth, nomination)


@router.put(
    "/{nomination_id}/scores",
    response=with_errors(list[ScoreOut], 400),
    summary="保存评分（评审专家）",
    description="每个评分项一个得分（0–100，最多两位小数）和评语；须包含全部评分项。再次提交即修改。",
)
def save_scores(request, nomination_id: PathId, payload: ScoresIn):
    require(request.auth, "nomination.judge")
    nomination = _nomination(request.auth, nomination_id)
    try:
        services.score_save(
            actor=request.auth,
            nomination=nomination,
            scores=[(s.criterion, s.score, s.comment) for s in payload.scores],
        )
    except ValidationError as error:
        return refused(error)
    return _scores_out(request.auth, nomination)
