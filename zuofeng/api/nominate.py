"""填写和报送申报 over the API: create a draft, save it, submit it with the stamped scan, withdraw it.

The same lifecycle services as the nominate pages (`nominations/services/lifecycle.py`): who may
fill in for a unit, what a draft keeps, the version check, the deadline and quota at submission,
and their Chinese messages. `data` holds the award form's fields by key (`GET /api/nominations/{id}`
lists them); values are what a person would type. Operations of the nominations router (a path
serves its methods from one router only).
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, File, Schema
from ninja.files import UploadedFile

from zuofeng.api.access import require
from zuofeng.api.errors import refused
from zuofeng.api.nominations import NominationDetailOut, _nomination, router
from zuofeng.api.schemas.common import Id, PathId, with_errors
from zuofeng.campaigns.models import Award
from zuofeng.nominations.services import lifecycle
from zuofeng.organisation.models import Unit


class NominationIn(Schema):
    award: Id
    unit: Id = Field(description="申报单位（本人可为其填写的单位）")
    data: dict = Field(default_factory=dict, description="申报表各栏，键为栏目 key")


class DraftIn(Schema):
    data: dict = Field(description="要保存的栏目（未列出的栏目保持不变）")
    version: int = Field(description="读取时的 version；他人已保存新版本时返回 409")


class WithdrawIn(Schema):
    reason: str = Field(description="撤回理由（可为空字符串）")


def _saved(request, pk: int):
    return _nomination(request.auth, pk)


@router.post("", response=with_errors(NominationDetailOut, 400), summary="新建申报（草稿）")
def nomination_create(request, payload: NominationIn):
    require(request.auth, "nomination.view")
    award = Award.objects.select_related("campaign").filter(pk=payload.award, is_active=True).first()
    unit = Unit.objects.filter(pk=payload.unit).first()
    if award is None or unit is None:
        raise Http404
    try:
        nomination = lifecycle.nomination_create_draft(actor=request.auth, award=award, unit=unit, data=payload.data)
    except ValidationError as error:
        return refused(error)
    return _saved(request, nomination.pk)


@router.patch("/{nomination_id}", response=with_errors(NominationDetailOut, 400, 409), summary="保存申报草稿")
def nomination_save(request, nomination_id: PathId, payload: DraftIn):
    require(request.auth, "nomination.view")
    nomination = _nomination(request.auth, nomination_id)
    try:
        lifecycle.nomination_save_draft(
            actor=request.auth, nomination=nomination, data=payload.data, version=payload.version
        )
    except ValidationError as error:
        return refused(error, stale=getattr(error, "code", None) == "stale")
    return _saved(request, nomination_id)


@router.post(
    "/{nomination_id}/submit",
    response=with_errors(NominationDetailOut, 400),
    summary="报送申报（单位管理员，附盖章扫描件）",
    description="multipart/form-data：stamped_scan 盖章后的申报表扫描件（PDF、JPG 或 PNG）。",
)
def nomination_submit(request, nomination_id: PathId, stamped_scan: File[UploadedFile] = None):
    require(request.auth, "nomination.view")
    nomination = _nomination(request.auth, nomination_id)
    try:
        lifecycle.nomination_submit(actor=request.auth, nomination=nomination, stamped_scan=stamped_scan)
    except ValidationError as error:
        return refused(error)
    return _saved(request, nomination_id)


@router.post("/{nomination_id}/withdraw", response=with_errors(NominationDetailOut, 400), summary="撤回申报")
def nomination_withdraw(request, nomination_id: PathId, payload: WithdrawIn):
    require(request.auth, "nomination.view")
    nomination = _nomination(request.auth, nomination_id)
    try:
        lifecycle.nomination_withdraw(actor=request.auth, nomination=nomination, reason=payload.reason)
    except ValidationError as error:
        return refused(error)
    return _saved(request, nomination_id)
