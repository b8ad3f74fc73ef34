"""找差整改 over the API: lists, problems, measures, review, progress and close-out.

Same rules as the pages: rows are scoped with scope_to_units (an invisible row is a 404, like a
missing one), every write goes through the rectification services (which check `may` and
return 403 when refused), edits carry the row's `version` (409 with the current values when
stale) and form errors come back in Chinese per field (400).
"""

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic.json_schema import SkipJsonSchema

from zuofeng.accounts.permissions import scope_to_units
from zuofeng.api.access import require
from zuofeng.api.errors import refused
from zuofeng.api.pagination import Paged
from zuofeng.api.schemas.common import Id, PathId, Ref, with_errors
from zuofeng.campaigns.models import Benchmark, KeyArea, ObstructionCategory, ProblemSource, Symptom
from zuofeng.organisation.models import Person, Unit
from zuofeng.rectification.models import (
    ItemReview,
    Ledger,
    LedgerState,
    Light,
    Measure,
    MeasureState,
    Problem,
    ProgressUpdate,
)
from zuofeng.rectification.selectors.ledger import ledger_list
from zuofeng.rectification.selectors.measure import may_see_measure, measure_progress
from zuofeng.rectification.services import ledger as ledger_services
from zuofeng.rectification.services import progress as progress_services
from zuofeng.rectification.services import review as review_services

router = Router(tags=["找差整改"])


# ── schemas ─────────────────────────────────────────────────────────────────


class LedgerOut(Schema):
    id: int
    campaign_id: int
    unit: Ref
    state: str = Field(description="draft 起草中、submitted 待审核、returned 已退回、approved 已通过")
    state_label: str
    first_submitted_at: dt.datetime | None
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None
    version: int
    problem_count: int = 0
    measure_count: int = 0

    @staticmethod
    def resolve_state_label(obj) -> str:
        return LedgerState(obj.state).label


class MeasureOut(Schema):
    id: int
    problem_id: int
    unit: Ref
    order: int
    text: str
    standard: str
    responsible_leader: str
    responsible_unit: Ref | None
    responsible_person: Ref | None
    responsible_name: str
    starts_on: dt.date
    deadline: dt.date | None
    is_ongoing: bool = Field(description="长期坚持（无完成时限，定期报告进展）")
    deadline_label: str
    key_area: Ref | None
    remark: str
    state: str
    state_label: str
    percent: int
    last_progress_on: dt.date | None
    closed_on: dt.date | None
    light: str
    light_label: str
    version: int

    @staticmethod
    def resolve_state_label(obj) -> str:
        return MeasureState(obj.state).label

    @staticmethod
    def resolve_light_label(obj) -> str:
        return Light(obj.light).label


class ProblemOut(Schema):
    id: int
    ledger_id: int
    unit: Ref
    order: int
    category: Ref
    symptom: Ref | None
    source: Ref
    source_detail: str
    benchmarks: list[Ref]
    description: str
    found_on: dt.date
    review: str
    review_label: str
    review_comment: str
    version: int

    @staticmethod
    def resolve_benchmarks(obj) -> list:
        return list(obj.benchmarks.all())

    @staticmethod
    def resolve_review_label(obj) -> str:
        return ItemReview(obj.review).label


class ProblemDetailOut(ProblemOut):
    measures: list[MeasureOut]

    @staticmethod
    def resolve_measures(obj) -> list:
        return list(obj.measures.all())


class EvidenceOut(Schema):
    id: int
    name: str
    size: int
    content_type: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.original_name


class ProgressOut(Schema):
    id: int
    kind: str
    reported_on: dt.date
    text: str
    percent: int
    reporter: str | None
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_reporter(obj) -> str | None:
        return obj.reporter.display_name if obj.reporter_id else None

    @staticmethod
    def resolve_evidence(obj) -> list:
        return list(obj.evidence.all())


class ProblemIn(Schema):
    ledger: Id = Field(description="整改清单 ID")
    category: Id
    symptom: Id | None = None
    source: Id
    source_detail: str = ""
    description: str
    found_on: dt.date
    benchmarks: list[Id] = Field(default_factory=list)


class ProblemPatch(Schema):
    version: int = Field(description="读取时的版本号；他人已修改时返回 409")
    category: Id | None = None
    symptom: Id | None = None
    source: Id | None = None
    source_detail: str | None = None
    description: str | None = None
    found_on: dt.date | None = None
    benchmarks: list[Id] | None = None


class MeasureFields(Schema):
    text: str | None = None
    standard: str | None = None
    responsible_leader: str | None = None
    responsible_unit: Id | None = None
    responsible_person: Id | None = None
    responsible_name: str | None = None
    starts_on: dt.date | None = None
    deadline: dt.date | None = None
    is_ongoing: bool | None = None
    key_area: Id | None = None
    remark: str | None = None


class MeasureIn(MeasureFields):
    problem: Id
    text: str
    starts_on: dt.date


class MeasurePatch(MeasureFields):
    version: int = Field(description="读取时的版本号；他人已修改时返回 409")


class Decision(Schema):
    problem: Id
    decision: Literal["approved", "returned"]
    comment: str = ""


class ReviewIn(Schema):
    decisions: list[Decision]


class CommentIn(Schema):
    comment: str = ""


# Multipart forms cannot send null: an omitted version is documented as optional, not nullable,
# and an empty text is read as missing, so the schema says it must not be empty.
class ProgressIn(Schema):
    reported_on: dt.date
    text: str = Field(min_length=1)
    percent: int
    version: int | SkipJsonSchema[None] = None


class CloseRequestIn(Schema):
    text: str = Field(min_length=1)
    version: int | SkipJsonSchema[None] = None


class CloseDecisionIn(Schema):
    approve: bool
    comment: str = ""
    version: int | None = None


class ReopenIn(Schema):
    reason: str
    version: int | None = None


class LedgerFilter(Schema):
    unit: Id | None = None
    state: LedgerState | None = None


class ProblemFilter(Schema):
    ledger: Id | None = None
    unit: Id | None = None
    review: ItemReview | None = None


class MeasureFilter(Schema):
    problem: Id | None = None
    unit: Id | None = None
    state: MeasureState | None = None
    light: Light | None = None


# ── reads ───────────────────────────────────────────────────────────────────


def _ledgers(user) -> QuerySet[Ledger]:
    return ledger_list(user=user)


def _measures(user) -> QuerySet[Measure]:
    return scope_to_units(
        user,
        Measure.objects.select_related("unit", "responsible_unit", "responsible_person", "key_area").order_by(
            "unit__sort_key", "problem__order", "problem_id", "order", "id"
        ),
    )


def _problems(user) -> QuerySet[Problem]:
    return scope_to_units(
        user,
        Problem.objects.select_related("unit", "category", "symptom", "source")
        .prefetch_related(Prefetch("benchmarks", Benchmark.objects.order_by("order", "id")))
        .order_by("unit__sort_key", "order", "id"),
    )


def _one(qs: QuerySet, pk: int):
    row = qs.filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def _measure(user, pk: int) -> Measure:
    """Visible to the unit's viewers and to its responsible person (责任人), as on the measure page."""
    measure = (
        Measure.objects.select_related("unit", "responsible_unit", "responsible_person", "key_area", "campaign")
        .select_related("problem__ledger")
        .filter(pk=pk)
        .first()
    )
    if measure is None or not may_see_measure(user, measure):
        raise Http404
    return measure


@router.get("/ledgers", response=with_errors(list[LedgerOut]), summary="整改清单列表")
@paginate(Paged)
def ledgers(request, filters: Query[LedgerFilter]):
    require(request.auth, "ledger.view")
    qs = _ledgers(request.auth)
    if filters.unit is not None:
        qs = qs.filter(unit_id=filters.unit)
    if filters.state is not None:
        qs = qs.filter(state=filters.state)
    return qs


@router.get("/ledgers/{ledger_id}", response=with_errors(LedgerOut), summary="整改清单详情")
def ledger_detail(request, ledger_id: PathId):
    require(request.auth, "ledger.view")
    return _one(_ledgers(request.auth), ledger_id)


@router.get("/problems", response=with_errors(list[ProblemOut]), summary="问题列表")
@paginate(Paged)
def problems(request, filters: Query[ProblemFilter]):
    require(request.auth, "ledger.view")
    qs = _problems(request.auth)
    for name in ("ledger", "unit", "review"):
        value = getattr(filters, name)
        if value is not None:
            qs = qs.filter(**{name if name == "review" else f"{name}_id": value})
    return qs


def _problem_detail(user, pk: int) -> Problem:
    measures = Measure.objects.select_related("unit", "responsible_unit", "responsible_person", "key_area")
    return _one(_problems(user).prefetch_related(Prefetch("measures", measures.order_by("order", "id"))), pk)


@router.get("/problems/{problem_id}", response=with_errors(ProblemDetailOut), summary="问题详情（含整改措施）")
def problem_detail(request, problem_id: PathId):
    require(request.auth, "ledger.view")
    return _problem_detail(request.auth, problem_id)


@router.get("/measures", response=with_errors(list[MeasureOut]), summary="整改措施列表")
@paginate(Paged)
def measures(request, filters: Query[MeasureFilter]):
    require(request.auth, "ledger.view")
    qs = _measures(request.auth)
    for name in ("problem", "unit"):
        if getattr(filters, name) is not None:
            qs = qs.filter(**{f"{name}_id": getattr(filters, name)})
    for name in ("state", "light"):
        if getattr(filters, name) is not None:
            qs = qs.filter(**{name: getattr(filters, name)})
    return qs


@router.get("/measures/{measure_id}", response=with_errors(MeasureOut), summary="整改措施详情")
def measure_detail(request, measure_id: PathId):
    require(request.auth, "ledger.view")
    return _measure(request.auth, measure_id)


@router.get("/measures/{measure_id}/progress", response=with_errors(list[ProgressOut]), summary="整改进展")
def progress_list(request, measure_id: PathId):
    require(request.auth, "ledger.view")
    measure = _measure(request.auth, measure_id)
    return list(measure_progress(measure=measure))


# ── writes ──────────────────────────────────────────────────────────────────


def _refused(error: ValidationError):
    stale = getattr(error, "code", None) == "stale" or isinstance(error, ledger_services.StaleVersion)
    return refused(error, stale=stale)


def _lookup(model, pk: int | None):
    return None if pk is None else model.objects.filter(pk=pk).first()


_PROBLEM_REFS = {"category": ObstructionCategory, "symptom": Symptom, "source": ProblemSource}
_MEASURE_REFS = {"responsible_unit": Unit, "responsible_person": Person, "key_area": KeyArea}


def _resolve(data: dict, refs: dict) -> dict:
    """IDs to rows; an unknown ID becomes None and the service names the field in its error."""
    resolved = dict(data)
    for name, model in refs.items():
        if name in resolved:
            resolved[name] = _lookup(model, resolved[name])
    if "benchmarks" in resolved:
        resolved["benchmarks"] = list(Benchmark.objects.filter(pk__in=resolved["benchmarks"] or []))
    return resolved


@router.post("/problems", response=with_errors(ProblemDetailOut, 400), summary="新增问题")
def problem_create(request, payload: ProblemIn):
    require(request.auth, "ledger.edit")
    ledger = _ledger_for_action(request.auth, payload.ledger)
    data = _resolve(payload.dict(exclude={"ledger"}), _PROBLEM_REFS)
    try:
        problem = ledger_services.problem_create(actor=request.auth, ledger=ledger, **data)
    except ValidationError as error:
        return _refused(error)
    return _problem_detail(request.auth, problem.pk)


@router.patch("/problems/{problem_id}", response=with_errors(ProblemDetailOut, 400, 409), summary="修改问题")
def problem_update(request, problem_id: PathId, payload: ProblemPatch):
    require(request.auth, "ledger.edit")
    problem = _one(scope_to_units(request.auth, Problem.objects.select_related("ledger__unit")), problem_id)
    data = _resolve(payload.dict(exclude={"version"}, exclude_unset=True), _PROBLEM_REFS)
    try:
        ledger_services.problem_update(actor=request.auth, problem=problem, version=payload.version, data=data)
    except ValidationError as error:
        return _refused(error)
    return _problem_detail(request.auth, problem_id)


@router.post("/measures", response=with_errors(MeasureOut, 400), summary="新增整改措施")
def measure_create(request, payload: MeasureIn):
    require(request.auth, "ledger.edit")
    problem = _one(scope_to_units(request.auth, Problem.objects.select_related("ledger__unit")), payload.problem)
    fields = payload.dict(exclude={"problem", "text", "starts_on"}, exclude_none=True)
    data = _resolve(fields, _MEASURE_REFS)
    try:
        measure = ledger_services.measure_create(
            actor=request.auth, problem=problem, text=payload.text, starts_on=payload.starts_on, **data
        )
    except ValidationError as error:
        return _refused(error)
    return _measure(request.auth, measure.pk)


@router.patch("/measures/{measure_id}", response=with_errors(MeasureOut, 400, 409), summary="修改整改措施")
def measure_update(request, measure_id: PathId, payload: MeasurePatch):
    require(request.auth, "ledger.edit")
    measure = _one(scope_to_units(request.auth, Measure.objects.select_related("problem__ledger")), measure_id)
    data = _resolve(payload.dict(exclude={"version"}, exclude_unset=True), _MEASURE_REFS)
    try:
        ledger_services.measure_update(actor=request.auth, measure=measure, version=payload.version, data=data)
    except ValidationError as error:
        return _refused(error)
    return _measure(request.auth, measure_id)


def _ledger_for_action(user, ledger_id: int) -> Ledger:
    return _one(scope_to_units(user, Ledger.objects.select_related("unit", "campaign")), ledger_id)


@router.post("/ledgers/{ledger_id}/submit", response=with_errors(LedgerOut, 400), summary="提交清单审核")
def ledger_submit(request, ledger_id: PathId):
    require(request.auth, "ledger.submit")
    ledger = _ledger_for_action(request.auth, ledger_id)
    try:
        review_services.ledger_submit(actor=request.auth, ledger=ledger)
    except ValidationError as error:
        return _refused(error)
    return _one(_ledgers(request.auth), ledger_id)


def _review(request, ledger_id: PathId, decisions: dict):
    require(request.auth, "ledger.review")
    ledger = _ledger_for_action(request.auth, ledger_id)
    try:
        review_services.ledger_review(actor=request.auth, ledger=ledger, decisions=decisions)
    except ValidationError as error:
        return _refused(error)
    return _one(_ledgers(request.auth), ledger_id)


def _pending(user, ledger_id: int) -> list[int]:
    require(user, "ledger.review")
    ledger = _ledger_for_action(user, ledger_id)
    return list(ledger.problems.filter(review=ItemReview.PENDING).values_list("pk", flat=True))


@router.post("/ledgers/{ledger_id}/review", response=with_errors(LedgerOut, 400), summary="逐项审核")
def ledger_review(request, ledger_id: PathId, payload: ReviewIn):
    decisions = {d.problem: (d.decision, d.comment) for d in payload.decisions}
    return _review(request, ledger_id, decisions)


@router.post("/ledgers/{ledger_id}/approve", response=with_errors(LedgerOut, 400), summary="审核通过（全部待审核问题）")
def ledger_approve(request, ledger_id: PathId, payload: CommentIn):
    pending = _pending(request.auth, ledger_id)
    return _review(request, ledger_id, {pk: (ItemReview.APPROVED, payload.comment) for pk in pending})


@router.post("/ledgers/{ledger_id}/return", response=with_errors(LedgerOut, 400), summary="退回清单（须填写意见）")
def ledger_return(request, ledger_id: PathId, payload: CommentIn):
    if not payload.comment.strip():
        require(request.auth, "ledger.review")
        _ledger_for_action(request.auth, ledger_id)
        return Status(400, {"detail": "请填写退回意见。", "errors": {"comment": ["请填写退回意见。"]}})
    pending = _pending(request.auth, ledger_id)
    return _review(request, ledger_id, {pk: (ItemReview.RETURNED, payload.comment) for pk in pending})


@router.post("/measures/{measure_id}/progress", response=with_errors(ProgressOut, 400, 409), summary="报告整改进展")
def progress_create(request, measure_id: PathId, payload: Form[ProgressIn], files: File[list[UploadedFile]] = None):
    require(request.auth, "measure.report_progress")
    measure = _measure(request.auth, measure_id)
    try:
        update = progress_services.progress_report(
            actor=request.auth,
            measure=measure,
            reported_on=payload.reported_on,
            text=payload.text,
            percent=payload.percent,
            files=files or [],
            version=payload.version,
        )
    except ValidationError as error:
        return _refused(error)
    return ProgressUpdate.objects.select_related("reporter__person").prefetch_related("evidence").get(pk=update.pk)


@router.post(
    "/measures/{measure_id}/close-request",
    response=with_errors(MeasureOut, 400, 409),
    summary="申请销号（附佐证材料）",
)
def close_request(request, measure_id: PathId, payload: Form[CloseRequestIn], files: File[list[UploadedFile]] = None):
    require(request.auth, "measure.request_close")
    measure = _measure(request.auth, measure_id)
    try:
        progress_services.closeout_request(
            actor=request.auth, measure=measure, text=payload.text, files=files or [], version=payload.version
        )
    except ValidationError as error:
        return _refused(error)
    return _measure(request.auth, measure_id)


@router.post(
    "/measures/{measure_id}/close-decision", response=with_errors(MeasureOut, 400, 409), summary="核实销号或退回"
)
def close_decision(request, measure_id: PathId, payload: CloseDecisionIn):
    require(request.auth, "measure.close")
    measure = _measure(request.auth, measure_id)
    try:
        progress_services.closeout_decide(
            actor=request.auth,
            measure=measure,
            approve=payload.approve,
            comment=payload.comment,
            version=payload.version,
        )
    except ValidationError as error:
        return _refused(error)
    return _measure(request.auth, measure_id)


@router.post("/measures/{measure_id}/reopen", response=with_errors(MeasureOut, 400, 409), summary="重新打开已销号措施")
def reopen(request, measure_id: PathId, payload: ReopenIn):
    require(request.auth, "measure.reopen")
    measure = _measure(request.auth, measure_id)
    try:
        progress_services.measure_reopen(
            actor=request.auth, measure=measure, reason=payload.reason, version=payload.version
        )
    except ValidationError as error:
        return _refused(error)
    return _measure(request.auth, measure_id)
