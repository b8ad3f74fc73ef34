"""What 作风办 does to an award over the API: judges, opening judging, 催办, deadline extensions; and the
nominating unit's showcase photo. The same services, rules and Chinese messages as the judging,
board and showcase pages. Mounted with the nominations router.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from zuofeng.accounts.models import User
from zuofeng.api.access import require
from zuofeng.api.errors import refused
from zuofeng.api.nominations import NominationDetailOut, _nomination
from zuofeng.api.schemas.common import Id, PathId, with_errors
from zuofeng.campaigns.models import Award
from zuofeng.nominations.models import JudgeAssignment
from zuofeng.nominations.selectors.board import units_to_chase
from zuofeng.nominations.services import judging as judging_services
from zuofeng.nominations.services.judging import nomination_photo_upload
from zuofeng.nominations.services.lifecycle import deadline_extension_grant, nomination_remind
from zuofeng.organisation.models import Unit

router = Router(tags=["评优申报"])


class JudgesIn(Schema):
    add: list[Id] = Field(description="要分配的评审专家账号（可为空列表）")
    remove: list[Id] = Field(default_factory=list, description="要取消分配的评审专家账号（已评分的不能取消）")


class JudgesOut(Schema):
    judges: list[int]


class OpenedOut(Schema):
    moved: int = Field(description="进入评审的申报份数")


class RemindIn(Schema):
    unit: Id | None = Field(description="只催办该单位；null 则催办尚未报送的全部单位")


class RemindOut(Schema):
    units: int
    notified: int


class ExtensionIn(Schema):
    unit: Id = Field(description="申报单位（顶层单位）")
    until: dt.datetime = Field(description="延长至")
    reason: str = Field(min_length=1, description="延期理由")


class ExtensionOut(Schema):
    unit: int
    until: dt.datetime


def _award(user, award_id: int) -> Award:
    require(user, "award.manage")
    award = Award.objects.select_related("campaign").filter(pk=award_id).first()
    if award is None:
        raise Http404
    return award


@router.post("/awards/{award_id}/judges", response=with_errors(JudgesOut, 400), summary="分配或取消评审专家")
def judges(request, award_id: PathId, payload: JudgesIn):
    award = _award(request.auth, award_id)
    try:
        for judge in User.objects.filter(pk__in=payload.remove):
            judging_services.judge_unassign(actor=request.auth, award=award, judge=judge)
        if payload.add:
            judging_services.judge_assign(
                actor=request.auth, award=award, judges=User.objects.filter(pk__in=payload.add)
            )
    except ValidationError as error:
        return refused(error)
    return {
        "judges": list(
            JudgeAssignment.objects.filter(award=award).order_by("judge_id").values_list("judge_id", flat=True)
        )
    }


@router.post("/awards/{award_id}/open-judging", response=with_errors(OpenedOut, 400), summary="开始评审")
def judging_open(request, award_id: PathId):
    award = _award(request.auth, award_id)
    try:
        moved = judging_services.judging_open(actor=request.auth, award=award)
    except ValidationError as error:
        return refused(error)
    return {"moved": moved}


@router.post("/awards/{award_id}/remind", response=with_errors(RemindOut, 400), summary="催办未报送的单位")
def remind(request, award_id: PathId, payload: RemindIn):
    award = _award(request.auth, award_id)
    if payload.unit is not None:
        unit = Unit.objects.filter(pk=payload.unit).first()
        if unit is None:
            raise Http404
        units = [unit]
    else:
        units = units_to_chase(award=award)
    return {"units": len(units), "notified": nomination_remind(actor=request.auth, award=award, units=units)}


@router.post("/awards/{award_id}/extensions", response=with_errors(ExtensionOut, 400), summary="批准延期申报")
def extend(request, award_id: PathId, payload: ExtensionIn):
    award = _award(request.auth, award_id)
    unit = Unit.objects.filter(pk=payload.unit, parent__isnull=True).first()
    if unit is None:
        return Status(400, {"detail": "请选择申报单位。", "errors": {"unit": ["请选择申报单位。"]}})
    until = timezone.make_aware(payload.until) if timezone.is_naive(payload.until) else payload.until
    try:
        deadline_extension_grant(actor=request.auth, award=award, unit=unit, until=until, reason=payload.reason)
    except ValidationError as error:
        return refused(error)
    return {"unit": unit.pk, "until": until}


@router.post(
    "/{nomination_id}/photo",
    response=with_errors(NominationDetailOut, 400),
    summary="上传展示照片（申报单位，JPG/PNG ≤ 5 MB）",
    description="multipart/form-data：photo 照片文件。",
)
def photo_upload(request, nomination_id: PathId, photo: File[UploadedFile]):
    require(request.auth, "nomination.view")
    nomination = _nomination(request.auth, nomination_id)
    try:
        nomination_photo_upload(actor=request.auth, nomination=nomination, photo=photo)
    except ValidationError as error:
        return refused(error)
    return _nomination(request.auth, nomination_id)
