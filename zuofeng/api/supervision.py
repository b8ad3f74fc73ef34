"""督查问责 over the API: inspection rounds with their overview, findings, confirming a finding, and
accountability cases (office and the leader of the subject's unit only; every read audited), and
自查自纠 reports.

Same rules as the pages: the office sees every round, an inspector the rounds whose team they are on;
anyone else is refused by role (403) before any lookup; a round or finding outside the caller's reach
is a 404 like a missing one. Mounted with `api.add_router("/supervision", router)`.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Router, Schema

from zuofeng.api.access import require
from zuofeng.api.errors import refused
from zuofeng.api.schemas.common import Id, PathId, Ref, with_errors
from zuofeng.campaigns.models import ObstructionCategory
from zuofeng.rectification.models import Measure
from zuofeng.supervision.models import AccountabilityCase, FindingState, InspectionRound
from zuofeng.supervision.selectors import cases as case_selectors
from zuofeng.supervision.selectors import rounds as selectors
from zuofeng.supervision.selectors import self_inspection as self_selectors
from zuofeng.supervision.services.findings import finding_record
from zuofeng.supervision.workflow import finding_transition

router = Router(tags=["督查问责"])


class RoundOut(Schema):
    id: int
    name: str
    focus: str = Field(description="活动定义中的督查重点标识")
    starts_on: dt.date
    ends_on: dt.date
    sample_seed: int | None = Field(description="随机抽取时的抽样种子；人工选择时为空")
    sample_size: int | None


class OverviewOut(Schema):
    units: int
    visited: int
    findings: int
    confirmed: int
    dismissed: int
    to_problems: int
    closed: int
    by_category: dict[str, int]
    by_severity: dict[str, int]


class FindingOut(Schema):
    id: int
    unit: Ref
    category: Ref
    severity: str
    text: str
    found_on: dt.date
    state: str
    checklist: dict[str, str]
    problem: int | None = Field(description="确认后转入的整改清单问题 ID")

    @staticmethod
    def resolve_unit(obj):
        return {"id": obj.unit_id, "name": obj.unit.name}

    @staticmethod
    def resolve_category(obj):
        return {"id": obj.category_id, "name": obj.category.name}

    @staticmethod
    def resolve_problem(obj):
        return obj.problem_id


class DecisionIn(Schema):
    confirm: bool = Field(description="true 确认并转入整改清单；false 不予确认")
    deadline: dt.date | None = Field(None, description="整改期限；留空按活动定义的默认天数")
    comment: str = ""


def _round(user, pk: int) -> InspectionRound:
    try:
        return selectors.round_visible(user=user, pk=pk)
    except InspectionRound.DoesNotExist:
        raise Http404 from None


@router.get("/rounds", response=with_errors(list[RoundOut]), summary="专项督查列表")
def rounds(request):
    require(request.auth, "round.view")
    return list(selectors.rounds_visible(user=request.auth))


@router.get("/rounds/{round_id}/overview", response=with_errors(OverviewOut), summary="专项督查情况统计")
def round_overview(request, round_id: PathId):
    require(request.auth, "round.view")
    o = selectors.round_overview(round_=_round(request.auth, round_id))
    return {**o.__dict__, "by_category": dict(o.by_category), "by_severity": dict(o.by_severity)}


@router.get("/rounds/{round_id}/findings", response=with_errors(list[FindingOut]), summary="督查发现列表")
def round_findings(request, round_id: PathId):
    require(request.auth, "finding.view")
    round_ = _round(request.auth, round_id)
    return list(selectors.findings_visible(user=request.auth).filter(round=round_).order_by("id"))


_REF_ERRORS = {
    "unit": "该单位不在本轮督查范围内。",
    "category": "请选择中梗阻类别。",
    "measure": "该单位没有这个编号的措施。",
}


class FindingIn(Schema):
    unit: Id
    category: Id
    severity: str = Field("general", description="general 一般 / serious 较重 / grave 严重")
    text: str
    found_on: dt.date
    checklist: dict[str, str] = Field(default_factory=dict, description="督查清单标识 → yes / no / na")
    measure: Id | None = None


@router.post("/rounds/{round_id}/findings", response=with_errors(FindingOut, 400), summary="记录督查发现（不含照片）")
def finding_create(request, round_id: PathId, payload: FindingIn):
    require(request.auth, "finding.record")
    round_ = _round(request.auth, round_id)
    unit = round_.units.filter(pk=payload.unit).first()
    category = ObstructionCategory.objects.filter(pk=payload.category, campaign=round_.campaign).first()
    measure = Measure.objects.filter(pk=payload.measure, unit_id=payload.unit).first() if payload.measure else None
    if unit is None or category is None or (payload.measure and measure is None):
        field = "unit" if unit is None else "category" if category is None else "measure"
        labels = {
            "unit": "该单位不在本轮督查范围内。",
            "category": "请选择中梗阻类别。",
            "measure": "该单位没有这个编号的措施。",
        }
        return refused(ValidationError({field: labels[field]}))
    try:
        return finding_record(
            actor=request.auth,
            round=round_,
            unit=unit,
            category=category,
            severity=payload.severity,
            text=payload.text,
            found_on=payload.found_on,
            checklist=payload.checklist,
            measure=measure,
        )
    except ValidationError as error:
        return refused(error)


@router.post("/findings/{finding_id}/decision", response=with_errors(FindingOut, 400), summary="确认督查发现")
def finding_decide(request, finding_id: PathId, payload: DecisionIn):
    require(request.auth, "finding.confirm")
    try:
        finding = selectors.finding_visible(user=request.auth, pk=finding_id)
    except selectors.Finding.DoesNotExist:
        raise Http404 from None
    to = FindingState.CONFIRMED if payload.confirm else FindingState.DISMISSED
    try:
        finding = finding_transition(
            actor=request.auth, finding=finding, to=to, comment=payload.comment, deadline=payload.deadline
        )
    except ValidationError as error:
        return refused(error)
    return finding


# ── 问责案件: the same narrow visibility as the pages; every read audited ─────────────


class CaseOut(Schema):
    id: int
    unit: Ref
    person: str = Field(description="问责对象个人姓名；问责单位时为空")
    origin: str
    facts: str
    degree: str = Field(description="情节：general 一般 / serious 较重 / grave 严重")
    measure: str = Field(description="问责方式（活动定义中的标识），决定后才有")
    state: str
    statement: str = Field(description="申辩意见")
    decided_on: dt.date | None
    deciding_body: str
    doc_number: str

    @staticmethod
    def resolve_unit(obj):
        return {"id": obj.unit_id, "name": obj.unit.name}

    @staticmethod
    def resolve_person(obj):
        return obj.person.name if obj.person_id else ""


@router.get("/cases", response=with_errors(list[CaseOut]), summary="问责案件列表（仅作风办和对象单位负责人）")
def cases(request):
    require(request.auth, "case.view")
    return case_selectors.case_list_read(user=request.auth)


@router.get("/cases/{case_id}", response=with_errors(CaseOut), summary="问责案件详情（查看记入审计日志）")
def case_detail(request, case_id: PathId):
    require(request.auth, "case.view")
    try:
        return case_selectors.case_read(user=request.auth, pk=case_id)
    except AccountabilityCase.DoesNotExist:
        raise Http404 from None


# ── 自查自纠报告: the office sees every report, a unit's clerk or leader their own ─────────────


class SelfInspectionReportOut(Schema):
    id: int
    unit: Ref
    state: str = Field(description="draft 起草中 / submitted 已报送 / accepted 已通过 / returned 已退回")
    answers: dict[str, str] = Field(description="按活动定义 self_inspection.questions 的标识")
    people_handled: int
    problems: list[int] = Field(description="查找出并加入本单位整改清单的问题 ID（来源：自己找）")
    submitted_at: dt.datetime | None
    review_comment: str

    @staticmethod
    def resolve_unit(obj):
        return {"id": obj.unit_id, "name": obj.unit.name}

    @staticmethod
    def resolve_problems(obj):
        return [p.pk for p in obj.problems.all()]


@router.get("/self-inspection/reports", response=with_errors(list[SelfInspectionReportOut]), summary="自查自纠报告")
def self_reports(request):
    require(request.auth, "self.view")
    return self_selectors.reports_visible(user=request.auth)
