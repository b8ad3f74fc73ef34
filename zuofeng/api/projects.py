"""突破攻坚、创新创优、岗位建功 over the API: projects (plan, targets, milestones, review, reports),
innovation initiatives (推广, 借鉴) and post activities.

Same rules as the pages: rows are scoped through accounts.permissions (an invisible row is a 404, like a
missing one), writes go through the projects services (403 when refused), errors are Chinese per
field (400).
"""

import datetime as dt
import json
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from zuofeng.accounts.permissions import may
from zuofeng.api.access import require
from zuofeng.api.errors import refused
from zuofeng.api.pagination import Paged
from zuofeng.api.schemas.common import ALWAYS, Id, PathId, Ref, with_errors
from zuofeng.campaigns.models import Award, KeyArea
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.organisation.models import Person, Unit
from zuofeng.projects.lights import target_share
from zuofeng.projects.models import Adoption, ChangeState, Initiative, Milestone, Project, ProjectState, Target
from zuofeng.projects.selectors.initiatives import activities_visible, initiatives_visible
from zuofeng.projects.selectors.projects import change_lines, project_visible, projects_partnered, projects_visible
from zuofeng.projects.services import changes, plan
from zuofeng.projects.services import initiatives as initiative_services
from zuofeng.projects.services.evidence import evidence_response
from zuofeng.projects.services.nominate import record_nominate
from zuofeng.projects.services.progress import milestone_report
from zuofeng.projects.workflow import project_transition

router = Router(tags=["突破攻坚与创新创优"])


# ── schemas ─────────────────────────────────────────────────────────────────


class TargetOut(Schema):
    id: int
    name: str
    measure_unit: str
    baseline: Decimal
    target: Decimal
    direction: str = Field(description="higher 越高越好、lower 越低越好")
    current: Decimal | None
    current_on: dt.date | None
    share: int | None = Field(description="从基数到目标已完成的百分比（0–100）")

    @staticmethod
    def resolve_share(obj) -> int | None:
        return target_share(baseline=obj.baseline, target=obj.target, current=obj.current)


class ProjectMilestoneOut(Schema):
    id: int
    title: str
    due_on: dt.date
    percent: int
    last_report_on: dt.date | None
    done_on: dt.date | None
    light: str


class ProjectOut(Schema):
    id: int
    unit: Ref
    key_area: Ref
    title: str
    goal: str
    lead_leader: Ref | None
    lead_section: Ref | None
    starts_on: dt.date
    deadline: dt.date
    state: str = Field(description="draft 起草中、submitted 待审核、returned 已退回、approved 已通过")
    light: str = Field(description="red、yellow、green、closed（节点全部完成）、none（未审核通过）")
    percent: int
    version: int


class ProjectDetailOut(ProjectOut):
    targets: list[TargetOut]
    milestones: list[ProjectMilestoneOut]


class ProjectIn(Schema):
    unit: Id
    key_area: Id
    title: str
    goal: str
    lead_leader: Id | None = None
    lead_section: Id | None = None
    starts_on: dt.date
    deadline: dt.date


# Numbers come in as JSON numbers (bounded) and are kept to two decimals, like the form's boxes.
Amount = Annotated[float, Field(ge=-999_999_999_999, le=999_999_999_999, allow_inf_nan=False)]
Days = Annotated[float, Field(ge=0, le=99_999, allow_inf_nan=False)]


def decimal_of(value: float, places: str = "0.01") -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places))


class TargetIn(Schema):
    name: str
    measure_unit: str
    baseline: Amount
    target: Amount
    direction: Literal["higher", "lower"]
    version: int | None = None


class ProjectMilestoneIn(Schema):
    title: str
    due_on: dt.date
    version: int | None = None


class ProjectDecisionIn(Schema):
    decision: Literal["approve", "return"]
    comment: str = ""


class ReportIn(Schema):
    milestone: Id
    reported_on: dt.date
    text: str = Field("", description="进展情况（必填；留空时返回 400 和中文说明）")
    percent: int
    values: str = Field("", description='指标当前值，JSON 对象：{"目标指标 id": 数值}')


class MilestoneReportOut(Schema):
    id: int
    milestone_id: int
    reported_on: dt.date
    text: str
    percent: int
    values: dict


class InitiativeOut(Schema):
    id: int
    unit: Ref
    title: str
    problem: str
    description: str
    steps_before: int
    steps_after: int
    materials_before: int
    materials_after: int
    days_before: Decimal
    days_after: Decimal
    started_on: dt.date
    promoted_at: dt.datetime | None
    adopted_by: list[Ref]

    @staticmethod
    def resolve_adopted_by(obj) -> list[dict]:
        return [{"id": a.unit_id, "name": a.unit.name} for a in obj.adoptions.all()]


class InitiativeIn(Schema):
    unit: Id
    title: str
    problem: str
    description: str
    steps_before: int = Field(ge=0, le=999)
    steps_after: int = Field(ge=0, le=999)
    materials_before: int = Field(ge=0, le=999)
    materials_after: int = Field(ge=0, le=999)
    days_before: Days
    days_after: Days
    started_on: dt.date


class AdoptIn(Schema):
    unit: Id
    adopted_on: dt.date
    note: str = ""


class ActivityOut(Schema):
    id: int
    unit: Ref
    kind: str = Field(description="drill 岗位练兵、contest 岗位竞赛、venture 岗位创业、innovation 岗位创新")
    title: str
    held_on: dt.date
    participants: list[Ref]
    result: str

    @staticmethod
    def resolve_participants(obj) -> list[dict]:
        return [{"id": p.pk, "name": p.name} for p in obj.participants.all()]


class ActivityIn(Schema):
    unit: Id
    kind: Literal["drill", "contest", "venture", "innovation"]
    title: str
    held_on: dt.date
    participants: list[Id]
    result: str


# ── reads ───────────────────────────────────────────────────────────────────


def _projects(user) -> QuerySet[Project]:
    return projects_visible(user=user).select_related("lead_leader", "lead_section").order_by("unit__sort_key", "id")


def _project(user, pk: int) -> Project:
    try:
        project = project_visible(user=user, pk=pk)
    except Project.DoesNotExist:
        raise Http404 from None
    return project


def _detail(user, pk: int) -> dict:
    project = _project(user, pk)
    return {
        **ProjectOut.from_orm(project).dict(),
        "targets": list(project.targets.all()),
        "milestones": list(project.milestones.all()),
    }


@router.get("/projects", response=with_errors(list[ProjectOut]), summary="攻坚项目列表")
@paginate(Paged)
def projects(
    request, key_area: Id | None = None, unit: Id | None = None, state: str | None = None, partner: bool = False
):
    """partner=true: the 协办项目 instead, approved projects naming the caller's unit as 配合单位 (read only)."""
    require(request.auth, "project.view")
    qs = _projects(request.auth)
    if partner:
        qs = projects_partnered(user=request.auth).select_related("lead_leader", "lead_section").order_by("id")
    if key_area is not None:
        qs = qs.filter(key_area_id=key_area)
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    if state in ProjectState.values:
        qs = qs.filter(state=state)
    return qs


@router.get("/projects/{project_id}", response=with_errors(ProjectDetailOut), summary="攻坚项目详情（含目标和节点）")
def project_detail(request, project_id: PathId):
    require(request.auth, "project.view")
    return _detail(request.auth, project_id)


@router.get("/projects/{project_id}/reports", response=with_errors(list[MilestoneReportOut]), summary="节点进展")
def project_reports(request, project_id: PathId):
    require(request.auth, "project.view")
    return list(_project(request.auth, project_id).reports.order_by("-reported_on", "-id"))


# ── writes ──────────────────────────────────────────────────────────────────


def _lookup(model, pk):
    return None if pk is None else model.objects.filter(pk=pk).first()


@router.post("/projects", response=with_errors(ProjectDetailOut, 400), summary="登记攻坚项目")
def project_create(request, payload: ProjectIn):
    require(request.auth, "project.edit")
    unit = _lookup(Unit, payload.unit)
    campaign = campaign_current()
    if unit is None or campaign is None or not may(request.auth, "project.edit", unit):
        raise Http404
    data = payload.dict(exclude={"unit"})
    data["key_area"] = _lookup(KeyArea, data["key_area"])
    data["lead_leader"] = _lookup(Person, data["lead_leader"])
    data["lead_section"] = _lookup(Unit, data["lead_section"])
    try:
        project = plan.project_create(actor=request.auth, campaign=campaign, unit=unit, **data)
    except ValidationError as error:
        return refused(error)
    return _detail(request.auth, project.pk)


@router.post("/projects/{project_id}/targets", response=with_errors(TargetOut, 400), summary="新增目标指标")
def target_create(request, project_id: PathId, payload: TargetIn):
    require(request.auth, "project.edit")
    project = _project(request.auth, project_id)
    data = payload.dict()
    data["baseline"], data["target"] = decimal_of(data["baseline"]), decimal_of(data["target"])
    try:
        return plan.target_add(actor=request.auth, project=project, **data)
    except ValidationError as error:
        return refused(error)


@router.post(
    "/projects/{project_id}/milestones", response=with_errors(ProjectMilestoneOut, 400), summary="新增季度节点"
)
def milestone_create(request, project_id: PathId, payload: ProjectMilestoneIn):
    require(request.auth, "project.edit")
    project = _project(request.auth, project_id)
    try:
        return plan.milestone_add(actor=request.auth, project=project, **payload.dict())
    except ValidationError as error:
        return refused(error)


@router.post("/projects/{project_id}/submit", response=with_errors(ProjectDetailOut, 400), summary="提交审核")
def project_submit(request, project_id: PathId):
    require(request.auth, "project.submit")
    project = _project(request.auth, project_id)
    try:
        project_transition(actor=request.auth, project=project, to=ProjectState.SUBMITTED)
    except ValidationError as error:
        return refused(error)
    return _detail(request.auth, project_id)


@router.post("/projects/{project_id}/review", response=with_errors(ProjectDetailOut, 400), summary="审核（通过/退回）")
def project_review(request, project_id: PathId, payload: ProjectDecisionIn):
    require(request.auth, "project.review")
    project = _project(request.auth, project_id)
    to = ProjectState.APPROVED if payload.decision == "approve" else ProjectState.RETURNED
    try:
        project_transition(actor=request.auth, project=project, to=to, comment=payload.comment)
    except ValidationError as error:
        return refused(error)
    return _detail(request.auth, project_id)


@router.post(
    "/projects/{project_id}/reports",
    response=with_errors(MilestoneReportOut, 400),
    summary="报告节点进展（可附佐证材料）",
)
def report_create(request, project_id: PathId, payload: Form[ReportIn], files: File[list[UploadedFile]] = None):
    require(request.auth, "project.report")
    project = _project(request.auth, project_id)
    milestone = Milestone.objects.filter(project=project, pk=payload.milestone).first()
    if milestone is None:
        return refused(ValidationError({"milestone": "节点不属于此项目。"}))
    try:
        values = json.loads(payload.values) if payload.values.strip() else {}
        if not isinstance(values, dict):
            raise ValueError
    except ValueError:
        return refused(ValidationError({"values": '指标当前值须是 JSON 对象，如 {"12": 2}。'}))
    try:
        return milestone_report(
            actor=request.auth, milestone=milestone, reported_on=payload.reported_on, text=payload.text,
            percent=payload.percent, values=values, files=files or [],
        )  # fmt: skip
    except ValidationError as error:
        return refused(error)


def _initiatives(user) -> QuerySet[Initiative]:

    return initiatives_visible(user=user).prefetch_related(
        Prefetch("adoptions", Adoption.objects.select_related("unit"))
    )


@router.get("/initiatives", response=with_errors(list[InitiativeOut]), summary="创新举措列表")
@paginate(Paged)
def initiatives(request, promoted: bool | None = None):
    require(request.auth, "initiative.view")
    qs = _initiatives(request.auth).order_by("unit__sort_key", "id")
    if promoted is not None:
        qs = qs.filter(promoted_at__isnull=not promoted)
    return qs


def _initiative(user, pk: int) -> Initiative:
    row = _initiatives(user).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


@router.get("/initiatives/{initiative_id}", response=with_errors(InitiativeOut), summary="创新举措详情")
def initiative_detail(request, initiative_id: PathId):
    require(request.auth, "initiative.view")
    return _initiative(request.auth, initiative_id)


@router.post("/initiatives", response=with_errors(InitiativeOut, 400), summary="登记创新举措")
def initiative_create(request, payload: InitiativeIn):
    require(request.auth, "initiative.edit")
    unit = _lookup(Unit, payload.unit)
    campaign = campaign_current()
    if unit is None or campaign is None or not may(request.auth, "initiative.edit", unit):
        raise Http404
    data = payload.dict(exclude={"unit"})
    data["days_before"], data["days_after"] = (
        decimal_of(data["days_before"], "0.1"),
        decimal_of(data["days_after"], "0.1"),
    )
    try:
        row = initiative_services.initiative_create(actor=request.auth, campaign=campaign, unit=unit, **data)
    except ValidationError as error:
        return refused(error)
    return _initiative(request.auth, row.pk)


class InitiativeEvidenceOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    created_at: dt.datetime
    download: str = Field(description="下载地址（可见该举措者）")

    @staticmethod
    def resolve_download(obj) -> str:
        return f"/api/initiatives/{obj.initiative_id}/evidence/{obj.pk}"


@router.get(
    "/initiatives/{initiative_id}/evidence",
    response=with_errors(list[InitiativeEvidenceOut]),
    summary="创新举措的佐证材料",
)
def initiative_evidence(request, initiative_id: PathId):
    require(request.auth, "initiative.view")
    return list(_initiative(request.auth, initiative_id).evidence.order_by("id"))


@router.post(
    "/initiatives/{initiative_id}/evidence",
    response=with_errors(list[InitiativeEvidenceOut], 400),
    summary="上传创新举措的佐证材料",
    description="multipart/form-data：files 一个或多个文件（与页面相同的类型和大小限制）。返回该举措的全部佐证材料。",
)
def initiative_evidence_add(request, initiative_id: PathId, files: File[list[UploadedFile]] = None):
    require(request.auth, "initiative.edit")
    row = _initiative(request.auth, initiative_id)
    if not may(request.auth, "initiative.edit", row):
        raise PermissionDenied
    try:
        initiative_services.initiative_evidence_add(actor=request.auth, initiative=row, files=files or [])
    except ValidationError as error:
        return refused(error)
    return list(row.evidence.order_by("id"))


@router.get(
    "/initiatives/{initiative_id}/evidence/{evidence_id}",
    response={200: None, **ALWAYS},
    summary="下载创新举措的佐证材料（可见该举措者）",
)
def initiative_evidence_download(request, initiative_id: PathId, evidence_id: PathId):
    require(request.auth, "initiative.view")
    row = _initiative(request.auth, initiative_id).evidence.filter(pk=evidence_id).first()
    if row is None:
        raise Http404
    return evidence_response(actor=request.auth, row=row)


@router.post("/initiatives/{initiative_id}/promote", response=with_errors(InitiativeOut, 400), summary="列为推广事项")
def initiative_promote(request, initiative_id: PathId):
    require(request.auth, "initiative.promote")
    row = _initiative(request.auth, initiative_id)
    try:
        initiative_services.initiative_promote(actor=request.auth, initiative=row)
    except ValidationError as error:
        return refused(error)
    return _initiative(request.auth, initiative_id)


@router.post("/initiatives/{initiative_id}/adopt", response=with_errors(InitiativeOut, 400), summary="登记借鉴")
def initiative_adopt(request, initiative_id: PathId, payload: AdoptIn):
    require(request.auth, "initiative.adopt")
    row = _initiative(request.auth, initiative_id)
    unit = _lookup(Unit, payload.unit)
    if unit is None or not may(request.auth, "initiative.adopt", unit):
        raise Http404
    try:
        initiative_services.initiative_adopt(
            actor=request.auth, initiative=row, unit=unit, adopted_on=payload.adopted_on, note=payload.note
        )
    except ValidationError as error:
        return refused(error)
    return _initiative(request.auth, initiative_id)


@router.get("/activities", response=with_errors(list[ActivityOut]), summary="岗位建功活动列表")
@paginate(Paged)
def activities(request, person: Id | None = None):
    require(request.auth, "activity.view")
    qs = activities_visible(user=request.auth).order_by("-held_on", "-id")
    if person is not None:
        qs = qs.filter(participants=person)
    return qs


@router.post("/activities", response=with_errors(ActivityOut, 400), summary="登记岗位建功活动")
def activity_create(request, payload: ActivityIn):
    require(request.auth, "activity.edit")
    unit = _lookup(Unit, payload.unit)
    campaign = campaign_current()
    if unit is None or campaign is None or not may(request.auth, "activity.edit", unit):
        raise Http404
    people = list(Person.objects.filter(pk__in=payload.participants).select_related("unit"))
    if len(people) != len(set(payload.participants)):
        return refused(ValidationError({"participants": "参加人员不存在。"}))
    try:
        row = initiative_services.activity_create(
            actor=request.auth, campaign=campaign, unit=unit, participants=people,
            **payload.dict(exclude={"unit", "participants"}),
        )  # fmt: skip
    except ValidationError as error:
        return refused(error)
    return activities_visible(user=request.auth).get(pk=row.pk)


# ── plan edits, changes to an approved plan, 申报 from a record (the pages' other buttons) ──────────


class ProjectUpdateIn(Schema):
    key_area: Id
    title: str
    goal: str
    lead_leader: Id | None = None
    lead_section: Id | None = None
    starts_on: dt.date
    deadline: dt.date
    partner_units: list[Id] | None = Field(None, description="协办单位 id；不传则不改")
    version: int = Field(description="读取时的 version；他人已修改时返回 409")


class ProjectChangeTargetIn(Schema):
    id: Id | None = Field(None, description="现有目标指标的 id；新增的不传")
    name: str
    measure_unit: str
    baseline: Amount
    target: Amount
    direction: Literal["higher", "lower"]


class ProjectChangeMilestoneIn(Schema):
    id: Id | None = Field(None, description="现有节点的 id；新增的不传")
    title: str
    due_on: dt.date


class ProjectChangeIn(Schema):
    reason: str
    title: str
    goal: str
    deadline: dt.date
    targets: list[ProjectChangeTargetIn] | None = Field(
        None, description="变更后的全部目标指标（带 id 的为现有、不带的为新增、未列出的删除）；不传则不改"
    )
    milestones: list[ProjectChangeMilestoneIn] | None = Field(
        None, description="变更后的全部季度节点（规则同目标指标；已报告进展的节点不能删除）；不传则不改"
    )


class ProjectChangeOut(Schema):
    id: int
    state: str = Field(description="pending 待审核、approved 已同意、rejected 不同意")
    reason: str
    old_values: dict
    new_values: dict
    lines: list[str] = Field(description="变更内容，每项一行")
    decision_comment: str

    @staticmethod
    def resolve_lines(obj) -> list[str]:
        return change_lines(change=obj)


class RecordNominateIn(Schema):
    award: Id


class RecordNominationOut(Schema):
    nomination: int = Field(description="已按记录填好的申报草稿 id，由单位核对补充后报送")


@router.patch("/projects/{project_id}", response=with_errors(ProjectDetailOut, 400, 409), summary="修改项目计划")
def project_edit(request, project_id: PathId, payload: ProjectUpdateIn):
    require(request.auth, "project.edit")
    project = _project(request.auth, project_id)
    data = payload.dict(exclude={"version", "partner_units"})
    data["key_area"] = _lookup(KeyArea, data["key_area"])
    data["lead_leader"] = _lookup(Person, data["lead_leader"])
    data["lead_section"] = _lookup(Unit, data["lead_section"])
    if payload.partner_units is not None:
        data["partner_units"] = list(Unit.objects.filter(pk__in=payload.partner_units, is_active=True))
    try:
        plan.project_update(actor=request.auth, project=project, version=payload.version, **data)
    except ValidationError as error:
        return refused(error, stale=getattr(error, "code", "") == "stale")
    return _detail(request.auth, project_id)


def _item_remove(request, project_id: int, model, item_id: int) -> dict:
    require(request.auth, "project.edit")
    project = _project(request.auth, project_id)
    item = model.objects.filter(project=project, pk=item_id).first()
    if item is None:
        raise Http404
    try:
        plan.plan_item_remove(actor=request.auth, project=project, version=None, item=item)
    except ValidationError as error:
        return refused(error)
    return _detail(request.auth, project_id)


@router.delete(
    "/projects/{project_id}/targets/{target_id}", response=with_errors(ProjectDetailOut, 400), summary="删除目标指标"
)
def target_remove(request, project_id: PathId, target_id: PathId):
    return _item_remove(request, project_id, Target, target_id)


@router.delete(
    "/projects/{project_id}/milestones/{milestone_id}",
    response=with_errors(ProjectDetailOut, 400),
    summary="删除季度节点",
)
def milestone_remove(request, project_id: PathId, milestone_id: PathId):
    return _item_remove(request, project_id, Milestone, milestone_id)


@router.post(
    "/projects/{project_id}/changes", response=with_errors(ProjectChangeOut, 400), summary="申请变更已通过的计划"
)
def project_change_request(request, project_id: PathId, payload: ProjectChangeIn):
    require(request.auth, "project.request_change")
    project = _project(request.auth, project_id)
    data = payload.dict()
    for row in data["targets"] or ():
        row["baseline"], row["target"] = decimal_of(row["baseline"]), decimal_of(row["target"])
    try:
        return changes.change_request(actor=request.auth, project=project, **data)
    except ValidationError as error:
        return refused(error)


@router.get(
    "/projects/{project_id}/changes", response=with_errors(list[ProjectChangeOut]), summary="变更申请记录（新的在前）"
)
def project_changes(request, project_id: PathId):
    require(request.auth, "project.view")
    return list(_project(request.auth, project_id).changes.order_by("-id"))


@router.post(
    "/projects/{project_id}/changes/decision",
    response=with_errors(ProjectChangeOut, 400),
    summary="审核变更申请（同意/不同意）",
)
def project_change_decide(request, project_id: PathId, payload: ProjectDecisionIn):
    require(request.auth, "project.change_decide")
    project = _project(request.auth, project_id)
    pending = project.changes.filter(state=ChangeState.PENDING).first()
    if pending is None:
        return refused(ValidationError("没有待审核的变更申请。"))
    try:
        return changes.change_decide(
            actor=request.auth, change=pending, approve=payload.decision == "approve", comment=payload.comment
        )
    except ValidationError as error:
        return refused(error)


def _nominate(request, record, award_id: int, **which) -> dict:
    award = Award.objects.filter(pk=award_id, campaign=record.campaign).first()
    if award is None:
        return refused(ValidationError({"award": "奖项不存在。"}))
    try:
        nomination = record_nominate(actor=request.auth, award=award, **which)
    except ValidationError as error:
        return refused(error)
    return {"nomination": nomination.pk}


@router.post(
    "/projects/{project_id}/nominations",
    response=with_errors(RecordNominationOut, 400),
    summary="按本项目发起申报（生成申报草稿）",
)
def project_nominate(request, project_id: PathId, payload: RecordNominateIn):
    require(request.auth, "project.edit")
    project = _project(request.auth, project_id)
    # The page's rule: only an approved plan, only by the unit that may edit it.
    if project.state != ProjectState.APPROVED or not may(request.auth, "project.edit", project):
        raise PermissionDenied
    return _nominate(request, project, payload.award, project=project)


@router.post(
    "/initiatives/{initiative_id}/nominations",
    response=with_errors(RecordNominationOut, 400),
    summary="按本举措发起申报（生成申报草稿）",
)
def initiative_nominate(request, initiative_id: PathId, payload: RecordNominateIn):
    require(request.auth, "initiative.edit")
    initiative = _initiative(request.auth, initiative_id)
    if not may(request.auth, "initiative.edit", initiative):
        raise PermissionDenied
    return _nominate(request, initiative, payload.award, initiative=initiative)
