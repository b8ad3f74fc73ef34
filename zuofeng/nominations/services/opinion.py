"""辖市（区）作风办或主管部门意见（盖章）: the reviewing unit or the office signs off a submitted nomination."""

import datetime as dt
import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions import may
from zuofeng.accounts.roles import assignments, primary_unit
from zuofeng.audit.models import AuditResult
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.core.storage import file_changes
from zuofeng.core.uploads import JPG, PDF, PNG, check_upload, short_name
from zuofeng.nominations.models import Nomination, NominationState, Opinion
from zuofeng.nominations.services.renderings import renderings_queue
from zuofeng.nominations.workflow import nomination_transition

SCAN_KINDS = {PDF, JPG, PNG}
SCAN_MAX_BYTES = 20 * 1024 * 1024
OPINION_MAX_CHARS = 1000


def opinion_unit(*, actor, nomination: Nomination):
    """The signing unit: the actor's unit that reviews the nominating unit, else (the office) their own unit."""
    reviewer_id = nomination.unit.effective_reviewer_id
    led = [a.unit for a in assignments(actor) if a.role == Role.UNIT_LEADER and a.unit_id]
    for unit in led:
        if unit.pk == reviewer_id:
            return unit
    return primary_unit(actor) if not led else led[0]


def _validate(*, nomination: Nomination, text: str, signed_on, stamped_scan) -> None:
    errors: dict[str, str] = {}
    if nomination.state != NominationState.SUBMITTED:
        raise ValidationError(
            f"该申报当前为“{NominationState(nomination.state).label}”，只有已报送的申报可以签署意见。",
            code="invalid_state",
        )
    if not text.strip():
        errors["text"] = "请填写意见。"
    elif len(text) > OPINION_MAX_CHARS:
        errors["text"] = f"意见不能超过 {OPINION_MAX_CHARS} 字（现为 {len(text)} 字）。"
    if not isinstance(signed_on, dt.date):
        errors["signed_on"] = "请填写签署日期。"
    elif signed_on > clock.today():
        errors["signed_on"] = "签署日期不能晚于今天。"
    if stamped_scan is None:
        errors["stamped_scan"] = "请上传盖章后的意见扫描件（PDF 或图片）。"
    else:
        try:
            check_upload(stamped_scan, allowed=SCAN_KINDS, max_bytes=SCAN_MAX_BYTES)
        except ValidationError as error:
            errors["stamped_scan"] = error.messages[0]
    if errors:
        raise ValidationError(errors)


def opinion_give(*, actor, nomination: Nomination, text: str, signed_on: dt.date, stamped_scan) -> Opinion:
    """Record the opinion (text, date, stamped scan) and move the nomination SUBMITTED → OPINION_GIVEN."""
    if not may(actor, "nomination.opinion", nomination):
        audit_record(actor=actor, action="nomination.opinion", obj=nomination, result=AuditResult.DENIED)
        raise PermissionDenied("您无权对该申报签署意见。")
    _validate(nomination=nomination, text=text, signed_on=signed_on, stamped_scan=stamped_scan)
    field = Opinion._meta.get_field("stamped_scan")
    with file_changes(field.storage) as files, transaction.atomic():
        opinion = Opinion.objects.filter(nomination=nomination).first() or Opinion(nomination=nomination)
        before = {"text": opinion.text, "signed_on": str(opinion.signed_on)} if opinion.pk else None
        opinion.unit = opinion_unit(actor=actor, nomination=nomination)
        opinion.text, opinion.signed_on, opinion.given_by = text.strip(), signed_on, actor
        original = short_name(stamped_scan.name)
        opinion.stamped_scan_name = original
        extension = os.path.splitext(original)[1].lower()
        files.replace(opinion.stamped_scan.name)  # a re-given opinion's earlier scan
        opinion.stamped_scan.name = files.save(
            field.generate_filename(opinion, f"opinion-{nomination.pk}{extension}"), stamped_scan
        )
        opinion.save()
        audit_record(
            actor=actor,
            action="nomination.opinion_give",
            obj=nomination,
            before=before,
            after={
                "text": opinion.text,
                "signed_on": str(signed_on),
                "unit": str(opinion.unit or ""),
                "scan": original,
            },
        )
        nomination_transition(actor=actor, nomination=nomination, to=NominationState.OPINION_GIVEN)
        renderings_queue(nomination)  # the forms now print the opinion: rendered again once this commits
    return opinion
