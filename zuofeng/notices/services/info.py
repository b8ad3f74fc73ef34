"""活动信息 and 简报: units report campaign news; the office adopts or declines each with a reason and
compiles adopted items into 简报 第N期, a notice draft it then issues like any other."""

import datetime as dt
import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from zuofeng.accounts.permissions import may
from zuofeng.audit.models import AuditResult
from zuofeng.audit.services import audit_record
from zuofeng.campaigns.models import Campaign
from zuofeng.core import clock
from zuofeng.core.cn import cn_date
from zuofeng.core.storage import file_changes
from zuofeng.core.uploads import JPG, PNG, check_upload, short_name
from zuofeng.notices.models import Briefing, InfoItem, InfoState, Notice
from zuofeng.notices.settings import notice_settings

PHOTO_KINDS = {JPG, PNG}
PHOTO_MAX_BYTES = 10 * 1024 * 1024
CN_NUMBERS = "一二三四五六七八九十"


def _denied(actor, action: str, obj=None, message: str = "您无权办理此事项。"):
    audit_record(actor=actor, action=action, obj=obj, result=AuditResult.DENIED)
    return PermissionDenied(message)


def info_report(*, actor, unit, title: str, text: str, happened_on: dt.date | None, photo=None, campaign=None):
    if not may(actor, "info.report", unit):
        raise _denied(actor, "info.report", unit, "您不能以该单位名义报送活动信息。")
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写标题。"
    elif len(title) > 200:
        errors["title"] = "标题不能超过 200 个字。"
    if not (text or "").strip():
        errors["text"] = "请填写内容。"
    if happened_on is None:
        errors["happened_on"] = "请填写日期。"
    elif happened_on > clock.today():
        errors["happened_on"] = "日期不能晚于今天。"
    if photo is not None:
        try:
            check_upload(photo, allowed=PHOTO_KINDS, max_bytes=PHOTO_MAX_BYTES)
        except ValidationError as error:
            errors["photo"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    field = InfoItem._meta.get_field("photo")
    with file_changes(field.storage) as files, transaction.atomic():
        item = InfoItem(
            campaign=campaign,
            unit=unit,
            title=title.strip(),
            text=text.strip(),
            happened_on=happened_on,
            reported_by=actor,
            reported_at=clock.now(),
        )
        if photo is not None:
            extension = os.path.splitext(short_name(photo.name))[1].lower()
            item.photo.name = files.save(field.generate_filename(item, f"info-{unit.pk}{extension}"), photo)
        item.save()
        audit_record(actor=actor, action="info.report", obj=item, after={"unit": unit.name, "title": item.title})
    return item


def info_decide(*, actor, item: InfoItem, adopt: bool, reason: str = "") -> InfoItem:
    """采用, or not with a reason the unit reads; decided once."""
    if not may(actor, "info.decide", item):
        raise _denied(actor, "info.decide", item, "只有作风办可以采用活动信息。")
    reason = (reason or "").strip()
    if item.state != InfoState.REPORTED:
        raise ValidationError(f"该信息{InfoState(item.state).label}，不能再次处理。")
    if not adopt and not reason:
        raise ValidationError({"reason": "不采用时请填写理由。"})
    if len(reason) > 300:
        raise ValidationError({"reason": "理由不能超过 300 个字。"})
    with transaction.atomic():
        item.state = InfoState.ADOPTED if adopt else InfoState.DECLINED
        item.reason = "" if adopt else reason
        item.decided_by, item.decided_at = actor, clock.now()
        item.save(update_fields=["state", "reason", "decided_by", "decided_at"])
        audit_record(
            actor=actor, action=f"info.{'adopt' if adopt else 'decline'}", obj=item, after={"reason": item.reason}
        )
    return item


def briefing_compile(*, actor, campaign: Campaign, items: list[InfoItem]) -> Briefing:
    """简报 第N期 from adopted items not yet in a 简报: a notice draft (作风办编) numbered per campaign."""
    if not may(actor, "info.decide"):
        raise _denied(actor, "briefing.compile", None, "只有作风办可以编辑简报。")
    if not items:
        raise ValidationError({"items": "请选择要编入简报的已采用信息。"})
    today = clock.today()
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=campaign.pk)  # one 期数 at a time per campaign
        ids = [i.pk for i in items]
        order = {pk: index for index, pk in enumerate(ids)}
        items = sorted(InfoItem.objects.select_related("unit").filter(pk__in=ids), key=lambda i: order[i.pk])
        if any(i.state != InfoState.ADOPTED or i.briefing_id for i in items):
            raise ValidationError({"items": "只能编入已采用且尚未编入简报的信息。"})
        number = (Briefing.objects.filter(campaign=campaign).aggregate(n=Max("number"))["n"] or 0) + 1
        lines = [f"（第{number}期）", f"{campaign.issuer}编　{cn_date(today)}"]
        for index, item in enumerate(items):
            label = CN_NUMBERS[index] if index < len(CN_NUMBERS) else str(index + 1)
            lines += [f"{label}、{item.title}", f"{item.text}（{item.unit.name}）"]
        notice = Notice.objects.create(
            campaign=campaign,
            issuer=campaign.issuer,
            number_prefix=f"{notice_settings(campaign).number_prefix or '作风'}简报",
            title=f"{campaign.short_title or campaign.title}简报",
            body="\n".join(lines),
            signed_on=today,
            printed_by=campaign.printed_by or campaign.issuer,
            created_by=actor,
        )
        briefing = Briefing.objects.create(campaign=campaign, number=number, notice=notice, created_at=clock.now())
        for index, item in enumerate(items):
            item.briefing, item.briefing_order = briefing, index
        InfoItem.objects.bulk_update(items, ["briefing", "briefing_order"])
        audit_record(
            actor=actor, action="briefing.compile", obj=notice, after={"number": number, "items": [i.pk for i in items]}
        )
    return briefing
