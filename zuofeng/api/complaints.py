"""群众提 over the API: the internal work order (same rules as the pages) and a public, Open311-like status
read by tracking code.

Internal: the office sees every case, a unit only the cases dispatched to it (an invisible case is a 404
like a missing one); moves go through `complaint_transition`, which checks `may`. No response carries the
reporter's name, phone or contact except `GET /{id}/reporter`, which is the office's and is audited.
The text is the one the unit reads (the office may have redacted it), never the reporter's original.
Mounted with `api.add_router("/complaints", router)` and `api.add_router("/public", public_router)`.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from zuofeng.accounts.permissions import may
from zuofeng.api.access import require
from zuofeng.api.errors import refused
from zuofeng.api.pagination import Paged
from zuofeng.api.schemas.common import ALWAYS, Id, PathId, Ref, with_errors
from zuofeng.audit.services import audit_record
from zuofeng.campaigns.models import ObstructionCategory
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.complaints.exports import complaint_sheet_response
from zuofeng.complaints.models import Attachment, Complaint, ComplaintKind, ComplaintState, SurveyPeriod, SurveyResponse
from zuofeng.complaints.selectors.cases import complaint_light, complaints_for
from zuofeng.complaints.services.office import attachment_check, complaint_redact, reporter_identity_read
from zuofeng.complaints.services.survey import survey_close, survey_open, survey_response_decide
from zuofeng.complaints.workflow import complaint_transition
from zuofeng.organisation.models import Unit

router = Router(tags=["群众提"])
public_router = Router(tags=["群众提（公开）"])


class AttachmentOut(Schema):
    id: int
    name: str = Field(description="附件1.jpg 之类的名称；原文件名只有作风办在页面上可见")
    url: str


class ComplaintOut(Schema):
    id: int
    code: str = Field(description="查询码")
    kind: ComplaintKind
    kind_label: str
    state: ComplaintState
    state_label: str
    symptom: str = Field(description="群众选择的问题表现")
    unit: Ref | None = Field(description="承办单位")
    received_at: dt.datetime
    dispatched_on: dt.date | None
    sign_due: dt.date | None
    deadline: dt.date | None
    light: str = Field(description="red / yellow / green / none")
    redo_count: int

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_state_label(obj) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_symptom(obj) -> str:
        return obj.symptom.name if obj.symptom_id else ""

    @staticmethod
    def resolve_unit(obj) -> dict | None:
        return {"id": obj.unit_id, "name": obj.unit.qualified_name} if obj.unit_id else None

    @staticmethod
    def resolve_light(obj) -> str:
        return complaint_light(obj)[0]


class ComplaintDetailOut(ComplaintOut):
    text: str = Field(description="单位看到的反映内容（作风办可能删去了可识别反映人的信息）")
    happened_on: dt.date | None
    place: str
    reply: str
    rating: str
    attachments: list[AttachmentOut] = Field(description="作风办审看后提供给单位的附件（作风办可见全部）")
    problem_id: int | None = Field(description="办结时转入整改清单的问题")
    version: int = Field(description="修改单位看到的内容时带上；他人已修改时返回 409")

    @staticmethod
    def resolve_attachments(obj, context) -> list[dict]:
        office = may(context["request"].auth, "complaint.manage")
        return [
            {"id": a.pk, "name": a.public_name, "url": f"/complaints/{obj.pk}/attachments/{a.pk}/"}
            for a in obj.attachments.all()
            if office or a.for_unit
        ]


class ComplaintMoveIn(Schema):
    to: ComplaintState
    comment: str = ""
    unit: Id | None = Field(None, description="派单的承办单位 id")
    deadline: dt.date | None = Field(None, description="派单的办理期限；空则按活动定义的工作日数")
    merged_into: str = Field("", description="合并到的查询码")
    extension_until: dt.date | None = None
    granted: bool = Field(False, description="审批延期：是否同意")
    reply: str = ""
    obstruction_category: Id | None = Field(None, description="办结时转入整改清单的中梗阻类别 id")


class ReporterOut(Schema):
    named: bool
    name: str
    phone: str
    contact: str


class FilterIn(Schema):
    state: ComplaintState | None = None


def _case(user, pk: int) -> Complaint:
    complaint = complaints_for(user).select_related("campaign").filter(pk=pk).first()
    if complaint is None or not may(user, "complaint.view", complaint):
        raise Http404
    return complaint


# ── 满意度测评 (the office's): declared before "/{complaint_id}" so that "/surveys" is not read as an id ──


class ComplaintSurveyIn(Schema):
    name: str = Field(description="测评名称，如“2018年第四季度满意度测评”")
    by_device: bool = Field(False, description="允许不填手机号（每台设备一份）")


class ComplaintSurveyOut(Schema):
    id: int
    name: str
    items: list[str] = Field(description="测评项目（开启时从活动定义复制）")
    min_responses: int
    by_device: bool
    is_open: bool


class ComplaintSurveyDecisionIn(Schema):
    count: bool = Field(description="true 计入结果，false 不计入（保留并标注）")


class ComplaintSurveyResponseOut(Schema):
    id: int
    period_id: int
    status: str = Field(description="counted 已计入、set_aside 待核查、rejected 不计入")
    set_aside_reason: str


@router.post("/surveys", response=with_errors(ComplaintSurveyOut, 400), summary="开启满意度测评（仅作风办）")
def survey_create(request, payload: ComplaintSurveyIn):
    require(request.auth, "complaint.manage")
    campaign = campaign_current()
    if campaign is None:
        raise Http404
    if "\x00" in payload.name:  # PostgreSQL keeps no NUL in text
        return refused(ValidationError({"name": "名称含有不可用的字符。"}))
    try:
        return survey_open(actor=request.auth, campaign=campaign, name=payload.name, by_device=payload.by_device)
    except ValidationError as error:
        return refused(error)


@router.post("/surveys/{period_id}/close", response=with_errors(ComplaintSurveyOut), summary="结束满意度测评")
def survey_end(request, period_id: PathId):
    require(request.auth, "complaint.manage")
    period = get_object_or_404(SurveyPeriod, pk=period_id)
    survey_close(actor=request.auth, period=period)
    return period


@router.post(
    "/surveys/responses/{response_id}/decision",
    response=with_errors(ComplaintSurveyResponseOut, 400),
    summary="核查被搁置的测评（计入或不计入）",
)
def survey_decide(request, response_id: PathId, payload: ComplaintSurveyDecisionIn):
    require(request.auth, "complaint.manage")
    response = get_object_or_404(SurveyResponse, pk=response_id)
    try:
        return survey_response_decide(actor=request.auth, response=response, count=payload.count)
    except ValidationError as error:
        return refused(error)


@router.get("", response=with_errors(list[ComplaintOut]), summary="群众反映列表")
@paginate(Paged)
def complaint_list(request, filters: Query[FilterIn]):
    require(request.auth, "complaint.view")
    queryset = complaints_for(request.auth).order_by("-received_at", "-id")
    if filters.state is not None:
        queryset = queryset.filter(state=filters.state)
    return queryset


@router.get("/{complaint_id}", response=with_errors(ComplaintDetailOut), summary="群众反映详情")
def complaint_detail(request, complaint_id: PathId):
    require(request.auth, "complaint.view")
    return _case(request.auth, complaint_id)


@router.get("/{complaint_id}/sheet.docx", response={200: None, **ALWAYS}, summary="交办单（Word，不含反映人信息）")
def complaint_sheet(request, complaint_id: PathId):
    require(request.auth, "complaint.view")
    complaint = _case(request.auth, complaint_id)
    audit_record(actor=request.auth, action="complaint.sheet", obj=complaint)
    return complaint_sheet_response(complaint=complaint)


@router.post(
    "/{complaint_id}/moves",
    response=with_errors(ComplaintDetailOut, 400),
    summary="办理（派单、签收、退单、延期、答复、审核、重办、办结）",
    description="to 为目标状态；各步所需字段见参数说明，缺少时 400 并逐字段说明。",
)
def complaint_move(request, complaint_id: PathId, payload: ComplaintMoveIn):
    require(request.auth, "complaint.view")
    complaint = _case(request.auth, complaint_id)
    fields = payload.dict(exclude={"to", "comment", "unit", "merged_into", "obstruction_category"})
    if payload.unit is not None:
        fields["unit"] = Unit.objects.filter(pk=payload.unit, is_active=True).first()
    if payload.merged_into:
        fields["merged_into"] = Complaint.objects.filter(code=payload.merged_into.strip().upper()).first()
    if payload.obstruction_category is not None:
        fields["obstruction_category"] = ObstructionCategory.objects.filter(
            pk=payload.obstruction_category, campaign=complaint.campaign
        ).first()
    try:
        complaint_transition(actor=request.auth, complaint=complaint, to=payload.to, comment=payload.comment, **fields)
    except ValidationError as error:
        return refused(error)
    return _case(request.auth, complaint_id)


@router.get(
    "/{complaint_id}/reporter", response=with_errors(ReporterOut), summary="反映人信息（仅作风办，每次读取记入审计）"
)
def complaint_reporter(request, complaint_id: PathId):
    require(request.auth, "complaint.identity_read")
    complaint = _case(request.auth, complaint_id)
    try:
        identity = reporter_identity_read(actor=request.auth, complaint=complaint)
    except PermissionDenied:
        raise Http404 from None
    if identity is None:
        return {"named": False, "name": "", "phone": "", "contact": ""}
    return {"named": True, "name": identity.name, "phone": identity.phone, "contact": identity.contact}


# ── the office's checks before a unit reads the case ────────────────────────


class ComplaintRedactIn(Schema):
    text: str = Field(description="单位看到的内容（至少 10 个字）；反映人原文保留，不对外")
    version: int


class ComplaintAttachmentCheckIn(Schema):
    withhold: bool = Field(description="true 不向单位提供（例如能认出反映人），false 提供给单位")


@router.post(
    "/{complaint_id}/redaction",
    response=with_errors(ComplaintDetailOut, 400, 409),
    summary="修改单位看到的内容（仅作风办）",
)
def complaint_redaction(request, complaint_id: PathId, payload: ComplaintRedactIn):
    require(request.auth, "complaint.manage")
    complaint = _case(request.auth, complaint_id)
    try:
        complaint_redact(actor=request.auth, complaint=complaint, text=payload.text, version=payload.version)
    except ValidationError as error:
        return refused(error, stale=getattr(error, "code", "") == "stale")
    return _case(request.auth, complaint_id)


@router.post(
    "/{complaint_id}/attachments/{attachment_id}/check",
    response=with_errors(ComplaintDetailOut),
    summary="审看附件：提供给单位或不提供（仅作风办）",
)
def complaint_attachment_check(
    request, complaint_id: PathId, attachment_id: PathId, payload: ComplaintAttachmentCheckIn
):
    require(request.auth, "complaint.manage")
    complaint = _case(request.auth, complaint_id)
    attachment = get_object_or_404(Attachment, pk=attachment_id, complaint=complaint)
    attachment_check(actor=request.auth, attachment=attachment, withhold=payload.withhold)
    return _case(request.auth, complaint_id)


class StatusOut(Schema):
    """Open311 GeoReport v2 field names where they fit; nothing that could name the reporter."""

    service_request_id: str = Field(description="查询码")
    service_name: str = Field(description="投诉 / 建议 / 表扬")
    status: str = Field(description="open（办理中）或 closed（已结束）")
    status_notes: str = Field(description="当前状态（中文）")
    agency_responsible: str = Field(description="承办单位；未派单时为空")
    requested_datetime: dt.datetime
    expected_datetime: dt.date | None = Field(description="办理期限")
    updated_datetime: dt.datetime


CLOSED = (ComplaintState.CONCLUDED, ComplaintState.DECLINED, ComplaintState.MERGED)


@public_router.get(
    "/complaints/{code}",
    response=with_errors(StatusOut),
    auth=None,
    summary="按查询码查询办理状态（公开，无需登录）",
    description="只返回状态，不含反映内容、答复或反映人信息；查看内容请在网页上输入查询码和查询密码。",
)
def public_status(request, code: str):
    c = Complaint.objects.select_related("unit").filter(code=code.strip().upper()[:16]).first()
    if c is None:
        raise Http404
    return {
        "service_request_id": c.code,
        "service_name": c.get_kind_display(),
        "status": "closed" if c.state in CLOSED else "open",
        "status_notes": c.get_state_display(),
        "agency_responsible": c.unit.qualified_name if c.unit_id else "",
        "requested_datetime": c.received_at,
        "expected_datetime": c.deadline,
        "updated_datetime": c.updated_at,
    }
