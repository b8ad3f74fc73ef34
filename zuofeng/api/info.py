"""活动信息 and 简报 over the API: units report (with an optional photo), the office adopts or
declines and compiles 简报 — the same services and rules as the 活动信息 page.

A unit reports only for a unit it edits (403 otherwise, as on the page); the list is scoped to the
units the caller sees. Mounted with `api.add_router("/info", info.router)`.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from zuofeng.accounts.permissions import may
from zuofeng.api.access import require
from zuofeng.api.errors import refused
from zuofeng.api.schemas.common import Id, PathId, Ref, with_errors
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.notices.models import InfoItem
from zuofeng.notices.selectors.info import info_items
from zuofeng.notices.services.info import briefing_compile, info_decide, info_report
from zuofeng.organisation.models import Unit

router = Router(tags=["公文"])


class InfoItemOut(Schema):
    id: int
    unit: Ref
    title: str
    text: str
    happened_on: dt.date
    has_photo: bool
    state: str = Field(description="reported 已报送、adopted 已采用、declined 未采用")
    reason: str = Field(description="未采用理由")
    briefing: int | None = Field(description="编入的简报期数")


def _date(text: str) -> dt.date | None:
    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError({"happened_on": "日期格式不正确，请按 YYYY-MM-DD 填写。"}) from None


class InfoReportIn(Schema):
    unit: Id = Field(description="报送单位（本人所在、可编辑的单位）")
    title: str = ""
    text: str = ""
    # text, not a nullable date: a form field cannot be null, and a bad date is a Chinese 400, not a 422
    happened_on: str = Field("", description="日期 YYYY-MM-DD")


class InfoDecisionIn(Schema):
    adopt: bool = Field(description="true 采用；false 不采用（须填写理由）")
    reason: str = ""


class BriefingIn(Schema):
    items: list[Id] = Field(description="编入简报的已采用信息 ID，按此顺序")


class BriefingOut(Schema):
    number: int = Field(description="期数")
    notice: int = Field(description="简报草稿（通知）ID，核对后经 /api/notices/{id}/issue 印发")


def _out(item: InfoItem) -> dict:
    return {
        **{f: getattr(item, f) for f in ("id", "title", "text", "happened_on", "state", "reason")},
        "unit": {"id": item.unit_id, "name": item.unit.name},
        "has_photo": bool(item.photo),
        "briefing": item.briefing.number if getattr(item, "briefing", None) else None,
    }


def _require_info(user) -> None:
    """The page's rule: the office (decides) or a unit's editors (report) — anyone else a 403."""
    if not may(user, "info.decide") and not may(user, "info.report"):
        raise PermissionDenied


@router.get("", response=with_errors(list[InfoItemOut]), summary="活动信息（作风办：全部；单位：本单位）")
def items(request):
    _require_info(request.auth)
    return [_out(i) for i in info_items(user=request.auth).order_by("-reported_at", "-id")[:200]]


@router.post(
    "",
    response=with_errors(InfoItemOut, 400),
    summary="报送活动信息（单位）",
    description="multipart/form-data：unit、title、text、happened_on（YYYY-MM-DD）；"
    "可附 photo（JPG 或 PNG，不超过 10 MB）。",
)
def report(request, payload: Form[InfoReportIn], photo: File[UploadedFile] = None):
    _require_info(request.auth)
    unit = Unit.objects.filter(pk=payload.unit, is_active=True).first()
    if unit is None:
        return refused(ValidationError({"unit": "报送单位不存在。"}))
    try:
        item = info_report(
            actor=request.auth,
            campaign=campaign_current(),
            unit=unit,
            title=payload.title,
            text=payload.text,
            happened_on=_date(payload.happened_on),
            photo=photo,
        )
    except ValidationError as error:
        return refused(error)
    return _out(item)


@router.post("/{item_id}/decision", response=with_errors(InfoItemOut, 400), summary="采用或不采用（作风办）")
def decide(request, item_id: PathId, payload: InfoDecisionIn):
    require(request.auth, "info.decide")
    item = InfoItem.objects.select_related("unit").filter(pk=item_id).first()
    if item is None:
        raise Http404
    try:
        item = info_decide(actor=request.auth, item=item, adopt=payload.adopt, reason=payload.reason)
    except ValidationError as error:
        return refused(error)
    return _out(item)


@router.post("/briefings", response=with_errors(BriefingOut, 400), summary="编辑简报（作风办）：生成通知草稿")
def briefing(request, payload: BriefingIn):
    require(request.auth, "info.decide")
    chosen = list(InfoItem.objects.filter(pk__in=payload.items).select_related("unit"))
    unknown = sorted(set(payload.items) - {i.pk for i in chosen})
    if unknown:
        return refused(ValidationError({"items": f"活动信息不存在：{'、'.join(map(str, unknown))}。"}))
    order = {pk: index for index, pk in enumerate(payload.items)}
    chosen.sort(key=lambda i: order[i.pk])
    try:
        made = briefing_compile(actor=request.auth, campaign=campaign_current(), items=chosen)
    except ValidationError as error:
        return refused(error)
    return {"number": made.number, "notice": made.notice_id}
