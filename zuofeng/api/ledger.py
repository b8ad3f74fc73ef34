"""整改清单 over the API, beyond single rows: open a unit's list, import the Excel template or pasted
rows, delete and reorder problems and measures.

The same services as the ledger pages (`rectification/services/ledger.py`, `importer.py`,
`paste.py`) with their permissions and Chinese messages. An import that finds errors saves nothing
and answers 400 with the first errors (row, column, reason) and their total, as the page lists them.
Operations of the rectification router: /ledgers, /problems/{id} and /measures/{id} already serve
other methods there, and a path serves its methods from one router only.
"""

from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, File, Schema, Status
from ninja.files import UploadedFile

from zuofeng.accounts.permissions import scope_to_units
from zuofeng.api.access import require
from zuofeng.api.rectification import LedgerOut, ProblemDetailOut, _ledgers, _one, _problem_detail, _refused, router
from zuofeng.api.schemas.common import Id, PathId, with_errors
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.organisation.models import Unit
from zuofeng.rectification.models import Ledger, Measure, Problem
from zuofeng.rectification.services import ledger as services
from zuofeng.rectification.services.importer import ledger_import
from zuofeng.rectification.services.paste import ledger_paste


class LedgerOpenIn(Schema):
    unit: Id = Field(description="单位（本人可编辑其清单的单位）")


class RowErrorOut(Schema):
    row: int
    column: str
    reason: str


class ImportOut(Schema):
    ok: bool
    saved: bool
    summary: str
    problems_created: int
    measures_created: int
    skipped: int
    errors: list[RowErrorOut]
    error_total: int


class PasteIn(Schema):
    text: str = Field(min_length=1, description="从 Excel 复制的行（制表符分隔，可含表头）")
    save: bool = Field(False, description="false 只检查（预览），true 检查无误后保存")


class VersionIn(Schema):
    version: int | None = Field(description="读取时的 version（null 则不核对）；他人已修改时返回 409")


class LedgerMoveIn(Schema):
    direction: Literal["up", "down"]


def _editable_ledger(user, ledger_id: int) -> Ledger:
    require(user, "ledger.edit")
    return _one(scope_to_units(user, Ledger.objects.select_related("unit", "campaign")), ledger_id)


def _import_answer(result, *, saved: bool):
    body = {
        "ok": result.ok,
        "saved": saved and result.ok,
        "summary": result.summary() if result.ok else "",
        "problems_created": result.problems_created,
        "measures_created": result.measures_created,
        "skipped": result.skipped,
        "errors": [{"row": e.row, "column": e.column, "reason": e.reason} for e in result.errors_shown],
        "error_total": result.error_total,
    }
    if result.ok:
        return body
    shown = [str(e) for e in result.errors_shown]
    return Status(400, {"detail": f"共 {result.error_total} 处错误，未保存：{shown[0]}", "errors": {"rows": shown}})


@router.post("/ledgers", response=with_errors(LedgerOut, 400), summary="打开（首次即建立）单位的整改清单")
def ledger_open(request, payload: LedgerOpenIn):
    require(request.auth, "ledger.view")
    campaign = campaign_current()
    unit = Unit.objects.filter(pk=payload.unit).first()
    if campaign is None or unit is None:
        raise Http404
    ledger = services.ledger_get_or_create(actor=request.auth, unit=unit, campaign=campaign)
    return _one(_ledgers(request.auth), ledger.pk)


@router.post(
    "/ledgers/{ledger_id}/import",
    response=with_errors(ImportOut, 400),
    summary="导入整改清单（Excel 模板）",
    description="multipart/form-data：file 按模板填写的 .xlsx。有任何错误则全部不保存。",
)
def ledger_import_file(request, ledger_id: PathId, file: File[UploadedFile]):
    ledger = _editable_ledger(request.auth, ledger_id)
    try:
        result = ledger_import(actor=request.auth, ledger=ledger, uploaded=file)
    except ValidationError as error:
        return _refused(error)
    return _import_answer(result, saved=True)


@router.post("/ledgers/{ledger_id}/paste", response=with_errors(ImportOut, 400), summary="粘贴导入整改清单")
def ledger_paste_rows(request, ledger_id: PathId, payload: PasteIn):
    ledger = _editable_ledger(request.auth, ledger_id)
    try:
        result = ledger_paste(actor=request.auth, ledger=ledger, text=payload.text, save=payload.save)
    except ValidationError as error:
        return _refused(error)
    return _import_answer(result, saved=payload.save)


def _problem(user, problem_id: int) -> Problem:
    require(user, "ledger.edit")
    return _one(scope_to_units(user, Problem.objects.select_related("ledger__unit")), problem_id)


def _measure(user, measure_id: int) -> Measure:
    require(user, "ledger.edit")
    return _one(scope_to_units(user, Measure.objects.select_related("problem__ledger__unit")), measure_id)


@router.delete("/problems/{problem_id}", response=with_errors(LedgerOut, 400, 409), summary="删除问题（连同其措施）")
def problem_remove(request, problem_id: PathId, payload: VersionIn):
    problem = _problem(request.auth, problem_id)
    try:
        services.problem_delete(actor=request.auth, problem=problem, version=payload.version)
    except ValidationError as error:
        return _refused(error)
    return _one(_ledgers(request.auth), problem.ledger_id)


@router.post("/problems/{problem_id}/move", response=with_errors(LedgerOut, 400), summary="问题上移或下移一位")
def problem_move(request, problem_id: PathId, payload: LedgerMoveIn):
    problem = _problem(request.auth, problem_id)
    ids = list(problem.ledger.problems.order_by("order", "id").values_list("pk", flat=True))
    offset = -1 if payload.direction == "up" else 1
    try:
        services.problem_reorder(
            actor=request.auth, ledger=problem.ledger, ordered_ids=services.moved(ids, problem.pk, offset)
        )
    except ValidationError as error:
        return _refused(error)
    return _one(_ledgers(request.auth), problem.ledger_id)


@router.delete("/measures/{measure_id}", response=with_errors(ProblemDetailOut, 400, 409), summary="删除整改措施")
def measure_remove(request, measure_id: PathId, payload: VersionIn):
    measure = _measure(request.auth, measure_id)
    try:
        services.measure_delete(actor=request.auth, measure=measure, version=payload.version)
    except ValidationError as error:
        return _refused(error)
    return _problem_detail(request.auth, measure.problem_id)


@router.post("/measures/{measure_id}/move", response=with_errors(ProblemDetailOut, 400), summary="措施上移或下移一位")
def measure_move(request, measure_id: PathId, payload: LedgerMoveIn):
    measure = _measure(request.auth, measure_id)
    ids = list(measure.problem.measures.order_by("order", "id").values_list("pk", flat=True))
    offset = -1 if payload.direction == "up" else 1
    try:
        services.measure_reorder(
            actor=request.auth, problem=measure.problem, ordered_ids=services.moved(ids, measure.pk, offset)
        )
    except ValidationError as error:
        return _refused(error)
    return _problem_detail(request.auth, measure.problem_id)
