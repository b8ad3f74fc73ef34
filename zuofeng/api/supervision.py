"""督查问责 over the API: inspection rounds with their overview, findings, confirming a finding, and
accountability cases (office and the leader of the subject's unit only; every read audited), and
自查自纠 reports.

Same rules as the pages: the office sees every round, an inspector the rounds whose team they are on;
anyone else is refused by role (403) before any lookup; a round or finding outside the caller's reach
is a 404 like a missing one. Mounted with `api.add_router("/supervision", router)`.
"""

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from zuofeng.accounts.permissions import may
from zuofeng.api.access import require
from zuofeng.api.errors import refused
from zuofeng.api.schemas.common import Id, PathId, Ref, with_errors
from zuofeng.campaigns.models import ObstructionCategory
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.core.ids import id_or_none
from zuofeng.core.transitions import Refused
from zuofeng.organisation.models import Unit
from zuofeng.rectification.models import Measure, Problem
from zuofeng.supervision.forms.cases import CaseForm, DecisionForm, StatementForm
from zuofeng.supervision.forms.lines import LineLinkEditForm, LineLinkForm
from zuofeng.supervision.forms.rechecks import RecheckForm, VerifyForm
from zuofeng.supervision.forms.rounds import RoundForm
from zuofeng.supervision.forms.self_inspection import FoundProblemForm, ReportForm, ReviewForm
from zuofeng.supervision.models import (
    AccountabilityCase,
    CaseState,
    FindingState,
    InspectionRound,
    LineLink,
    RecheckItem,
    RecheckSample,
    ReportState,
    SelfInspectionReport,
)
from zuofeng.supervision.selectors import cases as case_selectors
from zuofeng.supervision.selectors import rechecks as recheck_selectors
from zuofeng.supervision.selectors import rounds as selectors
from zuofeng.supervision.selectors import self_inspection as self_selectors
from zuofeng.supervision.selectors.self_inspection import units_not_reported
from zuofeng.supervision.services import lines as line_services
from zuofeng.supervision.services import self_inspection as self_services
from zuofeng.supervision.services.cases import case_open, case_statement
from zuofeng.supervision.services.findings import finding_record
from zuofeng.supervision.services.rechecks import recheck_create, recheck_reopen, recheck_verify
from zuofeng.supervision.services.rounds import round_create
from zuofeng.supervision.workflow import case_transition, finding_transition, report_transition

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
    measure: int | None = Field(description="记录时关联的该单位整改措施 ID")
    related_problem: int | None = Field(description="记录时关联的该单位整改清单问题 ID")

    @staticmethod
    def resolve_unit(obj):
        return {"id": obj.unit_id, "name": obj.unit.name}

    @staticmethod
    def resolve_category(obj):
        return {"id": obj.category_id, "name": obj.category.name}

    @staticmethod
    def resolve_problem(obj):
        return obj.problem_id

    @staticmethod
    def resolve_measure(obj):
        return obj.measure_id

    @staticmethod
    def resolve_related_problem(obj):
        return obj.related_problem_id


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
    "problem": "该单位没有这个编号的问题。",
}


class FindingIn(Schema):
    unit: Id
    category: Id
    severity: str = Field("general", description="general 一般 / serious 较重 / grave 严重")
    text: str
    found_on: dt.date
    checklist: dict[str, str] = Field(default_factory=dict, description="督查清单标识 → yes / no / na")
    measure: Id | None = Field(None, description="相关措施 ID（须是被督查单位的）")
    problem: Id | None = Field(None, description="相关问题 ID（须是被督查单位的）")


class FindingFormIn(Schema):
    unit: Id
    category: Id
    severity: str = Field("general", description="general 一般 / serious 较重 / grave 严重")
    # A form sends an empty field as absent; the service then names it ("请填写发现的问题。") rather than a 422.
    text: str = ""
    found_on: dt.date
    checklist: str = Field("{}", description='督查清单答案，JSON 文本，如 {"listed": "no"}')
    # Text, because a form sends an unset number as an empty string; read with id_or_none below.
    measure: str = Field("", description="相关措施 ID（须是被督查单位的）；不关联留空")
    problem: str = Field("", description="相关问题 ID（须是被督查单位的）；不关联留空")


def _finding_record(request, round_id: int, payload, checklist: dict, photos=(), *, measure, problem):
    require(request.auth, "finding.record")
    round_ = _round(request.auth, round_id)
    found = {
        "unit": round_.units.filter(pk=payload.unit).first(),
        "category": ObstructionCategory.objects.filter(pk=payload.category, campaign=round_.campaign).first(),
        "measure": Measure.objects.filter(pk=measure, unit_id=payload.unit).first() if measure else 0,
        "problem": Problem.objects.filter(pk=problem, unit_id=payload.unit).first() if problem else 0,
    }
    missing = {field: _REF_ERRORS[field] for field, row in found.items() if row is None}
    if missing:
        return refused(ValidationError(missing))
    try:
        return finding_record(
            actor=request.auth,
            round=round_,
            unit=found["unit"],
            category=found["category"],
            severity=payload.severity,
            text=payload.text,
            found_on=payload.found_on,
            checklist=checklist,
            measure=found["measure"] or None,
            related_problem=found["problem"] or None,
            photos=photos,
        )
    except ValidationError as error:
        return refused(error)


@router.post("/rounds/{round_id}/findings", response=with_errors(FindingOut, 400), summary="记录督查发现（不含照片）")
def finding_create(request, round_id: PathId, payload: FindingIn):
    return _finding_record(
        request, round_id, payload, payload.checklist, measure=payload.measure, problem=payload.problem
    )


@router.post(
    "/rounds/{round_id}/findings/with-photos",
    response=with_errors(FindingOut, 400),
    summary="记录督查发现（含照片）",
    description="multipart/form-data：各字段同“记录督查发现”，checklist 为 JSON 文本；photos 照片文件，"
    "JPG 或 PNG，每张不超过 15 MB，最多 9 张。",
)
def finding_create_with_photos(
    request, round_id: PathId, payload: Form[FindingFormIn], photos: File[list[UploadedFile]] = None
):
    try:
        checklist = json.loads(payload.checklist or "{}")
    except ValueError:
        checklist = None
    if not isinstance(checklist, dict) or not all(isinstance(v, str) for v in checklist.values()):
        return refused(ValidationError({"checklist": '督查清单答案应为 JSON 对象，如 {"listed": "no"}。'}))
    ids = {name: (getattr(payload, name) or "").strip() for name in ("measure", "problem")}
    wrong = {name: "请填写正确的编号。" for name, raw in ids.items() if raw and id_or_none(raw) is None}
    if wrong:
        return refused(ValidationError(wrong))
    ids = {name: id_or_none(raw) for name, raw in ids.items()}
    return _finding_record(request, round_id, payload, checklist, photos or (), **ids)


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


# ── Writes the pages make, with the same forms (the same Chinese words per field) and services ──────


def _valid(form) -> dict:
    """The page's form checks the API's input too, so a field's error reads the same in both."""
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    return form.cleaned_data


def _campaign():
    campaign = campaign_current()
    if campaign is None:
        raise Http404
    return campaign


class RoundIn(Schema):
    name: str
    focus: str = Field(description="活动定义中的督查重点标识")
    starts_on: dt.date
    ends_on: dt.date
    team: list[Id] = Field(description="督查组成员（督查员的用户 ID）")
    units: list[Id] = Field(default_factory=list, description="被督查单位；随机抽取时留空")
    sample_size: int | None = Field(None, description="每类抽取单位数；填写则按种子随机抽取")
    sample_seed: int | None = None
    keep_location: bool = Field(False, description="照片保留拍摄位置（默认去除）")


@router.post("/rounds", response=with_errors(RoundOut, 400), summary="安排专项督查（作风办）")
def round_new(request, payload: RoundIn):
    require(request.auth, "round.manage")
    campaign = _campaign()
    try:
        data = _valid(RoundForm(payload.dict(), campaign=campaign))
        return round_create(
            actor=request.auth,
            campaign=campaign,
            **{k: data[k] for k in ("name", "focus", "starts_on", "ends_on", "keep_location")},
            team=list(data["team"]),
            units=list(data["units"]),
            sample_seed=data.get("sample_seed"),
            sample_size=data.get("sample_size"),
        )
    except ValidationError as error:
        return refused(error)


# ── 回头看 ─────────────


class RecheckItemOut(Schema):
    id: int
    measure: int
    unit: Ref
    verdict: str = Field(description="pending 待核查 / fixed 整改到位 / not_fixed 纸面销号")
    finding: int | None = Field(description="未整改到位时记录的督查发现 ID")
    reopened_at: dt.datetime | None

    @staticmethod
    def resolve_measure(obj):
        return obj.measure_id

    @staticmethod
    def resolve_unit(obj):
        return {"id": obj.unit_id, "name": obj.unit.name}

    @staticmethod
    def resolve_finding(obj):
        return obj.finding_id


class RecheckOut(Schema):
    id: int
    name: str
    scope: str = Field(description="unit 每个单位抽取 / district 全区抽取")
    size: int
    seed: int
    items: list[RecheckItemOut]

    @staticmethod
    def resolve_items(obj):
        return list(recheck_selectors.sample_items(sample=obj))


class RecheckIn(Schema):
    name: str
    scope: str = Field(description="unit 每个单位抽取 / district 全区抽取")
    size: int
    seed: int
    team: list[Id] = Field(description="督查组成员（督查员的用户 ID）")


class RecheckVerifyIn(Schema):
    verdict: str = Field(description="fixed 整改到位 / not_fixed 未整改到位（纸面销号）")
    severity: str = Field("general", description="未整改到位时的严重程度")
    text: str = Field("", description="核查情况；未整改到位须写明")


def _recheck_item(user, sample_id: int, item_id: int):
    require(user, "recheck.view")
    try:
        sample = recheck_selectors.sample_visible(user=user, pk=sample_id)
    except RecheckSample.DoesNotExist:
        raise Http404 from None
    item = RecheckItem.objects.filter(pk=item_id, sample=sample).select_related("measure", "unit", "finding").first()
    if item is None:
        raise Http404
    return item


@router.post("/rechecks", response=with_errors(RecheckOut, 400), summary="安排回头看（抽取已销号措施）")
def recheck_new(request, payload: RecheckIn):
    require(request.auth, "recheck.manage")
    campaign = _campaign()
    try:
        data = _valid(RecheckForm(payload.dict()))
        return recheck_create(actor=request.auth, campaign=campaign, **{**data, "team": list(data["team"])})
    except ValidationError as error:
        return refused(error)


@router.post(
    "/rechecks/{sample_id}/items/{item_id}/verify", response=with_errors(RecheckItemOut, 400), summary="回头看核查结论"
)
def recheck_verify_item(request, sample_id: PathId, item_id: PathId, payload: RecheckVerifyIn):
    item = _recheck_item(request.auth, sample_id, item_id)
    try:
        data = _valid(VerifyForm(payload.dict()))
        return recheck_verify(
            actor=request.auth, item=item, verdict=data["verdict"], text=data["text"], severity=data["severity"]
        )
    except ValidationError as error:
        return refused(error)


@router.post(
    "/rechecks/{sample_id}/items/{item_id}/reopen",
    response=with_errors(RecheckItemOut, 400),
    summary="重新打开纸面销号的措施（作风办）",
)
def recheck_reopen_item(request, sample_id: PathId, item_id: PathId):
    require(request.auth, "measure.reopen")
    item = _recheck_item(request.auth, sample_id, item_id)
    try:
        return recheck_reopen(actor=request.auth, item=item)
    except ValidationError as error:
        return refused(error)


# ── 问责案件 writes ─────────────


class CaseIn(Schema):
    unit: Id = Field(description="问责对象单位")
    person: Id | None = Field(None, description="问责对象个人；问责单位时留空")
    origin: str = Field(description="案件来源（finding 督查发现等，见 CaseOrigin）")
    finding: Id | None = Field(None, description="来源为督查发现时，对应的已确认督查发现")
    facts: str
    degree: str = Field(description="情节：general 一般 / serious 较重 / grave 严重")


class CaseStatementIn(Schema):
    statement: str


class CaseDecisionIn(Schema):
    measure: str = Field(description="问责方式（活动定义 accountability_measures 的标识）")
    decided_on: dt.date
    deciding_body: str
    doc_number: str


def _case(user, case_id: int) -> AccountabilityCase:
    require(user, "case.view")
    try:
        return case_selectors.case_read(user=user, pk=case_id)
    except AccountabilityCase.DoesNotExist:
        raise Http404 from None


@router.post("/cases", response=with_errors(CaseOut, 400), summary="立案（作风办）")
def case_new(request, payload: CaseIn):
    require(request.auth, "case.manage")
    campaign = _campaign()
    try:
        return case_open(actor=request.auth, campaign=campaign, **_valid(CaseForm(payload.dict())))
    except ValidationError as error:
        return refused(error)


@router.post("/cases/{case_id}/statement", response=with_errors(CaseOut, 400), summary="提交申辩意见（对象单位负责人）")
def case_statement_file(request, case_id: PathId, payload: CaseStatementIn):
    case = _case(request.auth, case_id)
    try:
        data = _valid(StatementForm(payload.dict()))
        return case_statement(actor=request.auth, case=case, text=data["statement"])
    except ValidationError as error:
        return refused(error)


@router.post("/cases/{case_id}/decision", response=with_errors(CaseOut, 400), summary="记录问责决定（作风办）")
def case_decide(request, case_id: PathId, payload: CaseDecisionIn):
    case = _case(request.auth, case_id)
    require(request.auth, "case.manage")
    try:
        data = _valid(DecisionForm(payload.dict(), campaign=case.campaign))
        return case_transition(actor=request.auth, case=case, to=CaseState.DECIDED, **data)
    except ValidationError as error:
        return refused(error)


# ── 自查自纠 writes ─────────────


class SelfReportIn(Schema):
    version: int = Field(description="读取时的 version；他人已修改则 409")
    answers: dict[str, str] = Field(default_factory=dict, description="按活动定义 self_inspection.questions 的标识")
    people_handled: int = 0
    submit: bool = Field(False, description="true 保存后报送")


class SelfProblemIn(Schema):
    category: Id
    description: str
    found_on: dt.date


class SelfReviewIn(Schema):
    accept: bool = Field(description="true 通过；false 退回（须填写意见）")
    comment: str = ""


class SelfRemindOut(Schema):
    sent: int = Field(description="发出的催办条数")


def _self_report(user, unit_id: int) -> SelfInspectionReport:
    require(user, "self.view")
    unit = Unit.objects.filter(pk=unit_id).first()
    report = SelfInspectionReport(campaign=_campaign(), unit=unit)
    if unit is None or not may(user, "self.view", report):
        raise Http404
    return SelfInspectionReport.objects.filter(campaign=report.campaign, unit=unit).first() or report


@router.put(
    "/self-inspection/units/{unit_id}/report",
    response=with_errors(SelfInspectionReportOut, 400, 409),
    summary="保存或报送本单位自查自纠报告",
)
def self_report_save(request, unit_id: PathId, payload: SelfReportIn):
    report = _self_report(request.auth, unit_id)
    form_data = {"version": payload.version, "people_handled": payload.people_handled}
    form_data.update({f"q_{key}": text for key, text in payload.answers.items()})
    try:
        form = ReportForm(form_data, campaign=report.campaign)
        data = _valid(form)
        if not may(request.auth, "self.edit", report):
            raise Refused("self.edit", f"unit {unit_id}")
        if report.pk is None:
            report = self_services.report_get_or_start(campaign=report.campaign, unit=report.unit)
        report = self_services.report_save(
            actor=request.auth,
            report=report,
            answers=form.answers(),
            people_handled=data["people_handled"],
            version=data["version"],
        )
        if payload.submit:
            report = report_transition(actor=request.auth, report=report, to=ReportState.SUBMITTED)
    except ValidationError as error:
        return refused(error, stale=getattr(error, "code", None) == "stale")
    return report


@router.post(
    "/self-inspection/units/{unit_id}/problems",
    response=with_errors(SelfInspectionReportOut, 400),
    summary="把查找出的问题加入本单位整改清单（来源：自己找）",
)
def self_add_problem(request, unit_id: PathId, payload: SelfProblemIn):
    report = _self_report(request.auth, unit_id)
    try:
        data = _valid(FoundProblemForm(payload.dict(), campaign=report.campaign))
        if not may(request.auth, "self.edit", report):
            raise Refused("self.edit", f"unit {unit_id}")
        if report.pk is None:
            report = self_services.report_get_or_start(campaign=report.campaign, unit=report.unit)
        self_services.report_add_problem(actor=request.auth, report=report, **data)
    except ValidationError as error:
        return refused(error)
    return report


@router.post(
    "/self-inspection/units/{unit_id}/review",
    response=with_errors(SelfInspectionReportOut, 400),
    summary="审核自查自纠报告：通过或退回（作风办）",
)
def self_review(request, unit_id: PathId, payload: SelfReviewIn):
    require(request.auth, "self.review")
    report = _self_report(request.auth, unit_id)
    if report.pk is None:
        raise Http404
    to = ReportState.ACCEPTED if payload.accept else ReportState.RETURNED
    try:
        data = _valid(ReviewForm(payload.dict()))
        return report_transition(actor=request.auth, report=report, to=to, comment=data["comment"])
    except ValidationError as error:
        return refused(error)


@router.post(
    "/self-inspection/remind", response=with_errors(SelfRemindOut), summary="催办未报送自查自纠的单位（作风办）"
)
def self_remind(request):
    require(request.auth, "self.review")
    campaign = _campaign()
    units = units_not_reported(campaign=campaign)
    return {"sent": self_services.self_remind(actor=request.auth, campaign=campaign, units=units)}


# ── 条线关系 and 条线督促 ─────────────


class LineLinkOut(Schema):
    id: int
    department: Ref
    unit: Ref
    line: str
    version: int

    @staticmethod
    def resolve_department(obj):
        return {"id": obj.department_id, "name": obj.department.name}

    @staticmethod
    def resolve_unit(obj):
        return {"id": obj.unit_id, "name": obj.unit.name}


class LineLinkIn(Schema):
    department: Id = Field(description="条线主管部门（区级部门）")
    unit: Id = Field(description="条线基层单位")
    line: str = Field(description="条线名称，如“财政”")


class LineImportIn(Schema):
    text: str = Field(description="每行一条：部门编码，单位编码，条线（逗号或制表符分隔）")


class LineImportOut(Schema):
    added: int


class LineRemindIn(Schema):
    text: str = ""


@router.get("/lines", response=with_errors(list[LineLinkOut]), summary="条线关系列表（作风办、系统管理员）")
def line_links(request):
    require(request.auth, "line.manage")
    return list(LineLink.objects.select_related("department", "unit"))


@router.post("/lines", response=with_errors(LineLinkOut, 400), summary="添加条线关系")
def line_add(request, payload: LineLinkIn):
    require(request.auth, "line.manage")
    try:
        return line_services.line_link_add(actor=request.auth, **_valid(LineLinkForm(payload.dict())))
    except ValidationError as error:
        return refused(error)


@router.post(
    "/lines/import", response=with_errors(LineImportOut, 400), summary="批量导入条线关系（全部成功或全部不导入）"
)
def line_import(request, payload: LineImportIn):
    require(request.auth, "line.manage")
    try:
        return {"added": line_services.line_links_import(actor=request.auth, text=payload.text)}
    except ValidationError as error:
        return refused(error)


class LineLinkEditIn(LineLinkIn):
    version: int = Field(description="读取时的 version；他人已修改则 409")


# Before the /lines/{link_id} operations: ninja matches paths in the order they are added.
@router.post(
    "/lines/import-xlsx",
    response=with_errors(LineImportOut, 400),
    summary="从 Excel 导入条线关系（全部或全不）",
    description="multipart/form-data：file 为 .xlsx，表头：部门编码、单位编码、条线。",
)
def line_import_xlsx(request, file: File[UploadedFile]):
    require(request.auth, "line.manage")
    try:
        return {"added": line_services.line_links_import_xlsx(actor=request.auth, file=file)}
    except ValidationError as error:
        return refused(error)


@router.patch("/lines/{link_id}", response=with_errors(LineLinkOut, 400, 409), summary="修改条线关系")
def line_edit(request, link_id: PathId, payload: LineLinkEditIn):
    require(request.auth, "line.manage")
    link = LineLink.objects.filter(pk=link_id).first()
    if link is None:
        raise Http404
    try:
        return line_services.line_link_edit(actor=request.auth, link=link, **_valid(LineLinkEditForm(payload.dict())))
    except ValidationError as error:
        return refused(error, stale=getattr(error, "code", None) == "stale")


class LineRemovedOut(Schema):
    removed: int = Field(description="已删除的条线关系 ID")


@router.delete("/lines/{link_id}", response=with_errors(LineRemovedOut), summary="删除条线关系")
def line_remove(request, link_id: PathId):
    require(request.auth, "line.manage")
    link = LineLink.objects.filter(pk=link_id).select_related("department").first()
    if link is None:
        raise Http404
    line_services.line_link_remove(actor=request.auth, link=link)
    return {"removed": link_id}


@router.post(
    "/lines/units/{unit_id}/remind", response=with_errors(SelfRemindOut, 400), summary="条线主管部门催办基层单位"
)
def line_remind(request, unit_id: PathId, payload: LineRemindIn):
    require(request.auth, "line.remind")
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not may(request.auth, "line.remind", unit):
        raise Http404
    return {"sent": line_services.line_remind(actor=request.auth, unit=unit, text=payload.text)}
