"""满意度测评: the office opens a period; the public answers through a unit's link (no login); ballot
stuffing is set aside for the office, never dropped; the office counts or rejects what was set aside.

One response per phone (or, where the office allows, per device) per unit and period, held by unique
constraints. A unit's link is `<period>-<unit>-<signature>`: nothing is stored per unit, and a link
cannot be made up for another unit or period without the server's key.
"""

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from zuofeng.accounts.permissions import may
from zuofeng.audit.services import audit_record
from zuofeng.complaints.config import complaints_config
from zuofeng.complaints.identity import normalise_phone, phone_digest
from zuofeng.complaints.models import Rating, ResponseStatus, SurveyPeriod, SurveyResponse
from zuofeng.core import clock
from zuofeng.organisation.models import Unit

BURST_WINDOW = dt.timedelta(minutes=10)
BURST_SIZE = 5  # more than this many answers for one unit from one address in ten minutes is a burst


def survey_open(*, actor, campaign, name: str, by_device: bool) -> SurveyPeriod:
    if not may(actor, "complaint.manage"):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写测评名称，如“2018年第四季度满意度测评”。"})
    cfg = complaints_config(campaign).survey
    with transaction.atomic():
        period = SurveyPeriod.objects.create(
            campaign=campaign,
            name=name[:100],
            items=list(cfg.items),
            min_responses=cfg.min_responses,
            by_device=by_device,
            opened_by=actor,
        )
        audit_record(actor=actor, action="survey.open", obj=period, after={"名称": period.name, "项目": period.items})
    return period


def survey_close(*, actor, period: SurveyPeriod) -> None:
    if not may(actor, "complaint.manage"):
        raise PermissionDenied
    with transaction.atomic():
        SurveyPeriod.objects.filter(pk=period.pk).update(is_open=False)
        period.is_open = False
        audit_record(actor=actor, action="survey.close", obj=period)


def _signature(period_id: int, unit_id: int) -> str:
    message = f"survey:{period_id}:{unit_id}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:10]


def survey_token(period: SurveyPeriod, unit: Unit) -> str:
    return f"{period.pk}-{unit.pk}-{_signature(period.pk, unit.pk)}"


def survey_link_target(token: str) -> tuple[SurveyPeriod, Unit] | None:
    try:
        period_id, unit_id, signature = token.split("-")
        period_id, unit_id = int(period_id), int(unit_id)
    except ValueError:
        return None
    if not hmac.compare_digest(signature, _signature(period_id, unit_id)):
        return None
    period = SurveyPeriod.objects.filter(pk=period_id).first()
    unit = Unit.objects.filter(pk=unit_id, is_active=True).first()
    return (period, unit) if period and unit else None


def survey_answer(
    *, period: SurveyPeriod, unit: Unit, scores: dict, comment: str, phone: str, device_key: str,
    address: str
) -> SurveyResponse:  # fmt: skip
    """Store one answer; raise ValidationError per field. A suspicious answer is stored, set aside."""
    if not period.is_open:
        raise ValidationError("本次测评已结束。")
    errors = {}
    missing = [item for item in period.items if scores.get(item) not in Rating.values]
    if missing:
        errors["scores"] = f"请对每一项作出评价（还缺：{'、'.join(missing)}）。"
    digest = ""
    if phone or not period.by_device:
        number = normalise_phone(phone)
        if not (len(number) == 11 and number.startswith("1")):
            errors["phone"] = "请填写 11 位手机号码（只用于防止重复测评，不会公开）。"
        digest = phone_digest(number)
    if not digest and not device_key:
        errors["phone"] = "请填写手机号码。"
    if errors:
        raise ValidationError(errors)
    comment = (comment or "").strip()[:500]
    now = clock.now()
    response = SurveyResponse(
        period=period,
        unit=unit,
        scores={item: scores[item] for item in period.items},
        comment=comment,
        phone_digest=digest,
        device_key="" if digest else device_key[:64],
        address=address[:64],
        submitted_at=now,
    )
    try:
        with transaction.atomic():
            reason = _suspicion(response)
            if reason:
                response.status, response.set_aside_reason = ResponseStatus.SET_ASIDE, reason
            response.save()
    except IntegrityError:
        raise ValidationError("您已对该单位作过本次测评，每人每个单位只能测评一次。") from None
    return response


def _suspicion(response: SurveyResponse) -> str:
    """Why this answer looks like ballot stuffing, or "". Identical comments set aside the earlier
    answers carrying the same words too, so neither side of a copied comment counts unseen."""
    same_unit = SurveyResponse.objects.filter(period=response.period, unit=response.unit)
    recent = same_unit.filter(address=response.address, submitted_at__gte=response.submitted_at - BURST_WINDOW)
    if response.address and recent.count() >= BURST_SIZE:
        return f"同一网络地址 10 分钟内第 {recent.count() + 1} 份"
    if len(response.comment) >= 4:
        copies = same_unit.filter(comment=response.comment)
        if copies.exists():
            copies.filter(status=ResponseStatus.COUNTED).update(
                status=ResponseStatus.SET_ASIDE, set_aside_reason="意见与其他测评完全相同"
            )
            return "意见与其他测评完全相同"
    return ""


def survey_response_decide(*, actor, response: SurveyResponse, count: bool) -> SurveyResponse:
    """The office's decision on an answer set aside: count it, or leave it out (kept, marked)."""
    if not may(actor, "complaint.manage"):
        raise PermissionDenied
    if response.status != ResponseStatus.SET_ASIDE:
        raise ValidationError("这份测评不在待核查之列。")
    with transaction.atomic():
        response.status = ResponseStatus.COUNTED if count else ResponseStatus.REJECTED
        response.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="survey.decide",
            obj=response.period,
            after={"测评": response.pk, "结果": response.get_status_display(), "原因": response.set_aside_reason},
        )
    return response
