"""A unit's nomination from draft to submission: create, save (autosave), submit with the stamped
scan, withdraw; the office's extensions and 催办. Every state change goes through
workflow.nomination_transition, which enforces the deadline, the extension and the quota.
"""

import datetime as dt
import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions import may
from zuofeng.accounts.selectors import users_editing
from zuofeng.audit.models import AuditResult
from zuofeng.audit.services import audit_record
from zuofeng.campaigns.models import Award
from zuofeng.core import clock
from zuofeng.core.cn import cn_datetime
from zuofeng.core.storage import file_changes
from zuofeng.core.uploads import JPG, PDF, PNG, check_upload, short_name
from zuofeng.nominations.models import DeadlineExtension, Nomination, NominationState
from zuofeng.nominations.services.forms import data_errors, data_for_draft, title_from
from zuofeng.nominations.services.renderings import renderings_queue
from zuofeng.nominations.workflow import nomination_transition
from zuofeng.organisation.models import Unit
from zuofeng.reminders.models import ReminderKind
from zuofeng.reminders.services import reminder_send

SCAN_KINDS = {PDF, JPG, PNG}
SCAN_MAX_BYTES = 20 * 1024 * 1024
EDITABLE_STATES = (NominationState.DRAFT, NominationState.WITHDRAWN)


def _deny(actor, action: str, obj, message: str):
    audit_record(actor=actor, action=action, obj=obj, result=AuditResult.DENIED)
    return PermissionDenied(message)


def nomination_create_draft(*, actor, award: Award, unit: Unit, data: dict | None = None) -> Nomination:
    probe = Nomination(award=award, campaign=award.campaign, unit=unit)
    if not may(actor, "nomination.edit", probe):
        raise _deny(actor, "nomination.create", unit, "您无权为该单位填写申报。")
    if not award.is_active or not award.form:
        raise ValidationError(f"“{award.name}”不接受申报。", code="inactive")
    cleaned = data_for_draft(award, data or {})
    with transaction.atomic():
        nomination = Nomination.objects.create(
            award=award, campaign=award.campaign, unit=unit, data=cleaned, title=title_from(award, cleaned),
            created_by=actor,
        )  # fmt: skip
        audit_record(actor=actor, action="nomination.create", obj=nomination, after={"award": award.key})
    return nomination


def nomination_save_draft(*, actor, nomination: Nomination, data: dict, version: int) -> Nomination:
    """Save what was typed (complete or not); refused when someone saved a newer version meanwhile."""
    if not may(actor, "nomination.edit", nomination):
        raise _deny(actor, "nomination.edit", nomination, "您无权修改该申报。")
    with transaction.atomic():
        locked = (
            Nomination.objects.select_for_update(of=("self",)).select_related("award__campaign").get(pk=nomination.pk)
        )
        if locked.state not in EDITABLE_STATES:
            raise ValidationError(
                f"该申报当前为“{NominationState(locked.state).label}”，不能修改；如需修改请先撤回。",
                code="not_editable",
            )
        if locked.version != version:
            raise ValidationError(
                f"该申报已于{cn_datetime(locked.updated_at)}被他人保存（或在其他窗口保存），"
                "请刷新页面后再修改，以免覆盖。",
                code="stale",
            )
        cleaned = {**locked.data, **data_for_draft(locked.award, data)}
        if cleaned != locked.data:
            before = locked.data
            locked.data, locked.title = cleaned, title_from(locked.award, cleaned)
            locked.version += 1
            locked.save(update_fields=["data", "title", "version", "updated_at"])
            audit_record(actor=actor, action="nomination.save_draft", obj=locked, before=before, after=cleaned)
    nomination.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


def nomination_submit(*, actor, nomination: Nomination, stamped_scan) -> Nomination:
    """Check every field and the stamped scan, keep the scan, then submit (deadline and quota in the transition).

    On any refusal nothing is saved and no file is left behind.
    """
    if not may(actor, "nomination.submit", nomination):
        raise _deny(actor, "nomination.submit", nomination, "只有本单位管理员可以报送申报。")
    nomination.refresh_from_db()
    errors = data_errors(nomination.award, nomination.data)
    if stamped_scan is None:
        errors["stamped_scan"] = "请上传盖章后的申报表扫描件（PDF、JPG 或 PNG）。"
    else:
        try:
            check_upload(stamped_scan, allowed=SCAN_KINDS, max_bytes=SCAN_MAX_BYTES)
        except ValidationError as error:
            errors["stamped_scan"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    original = short_name(stamped_scan.name)
    extension = os.path.splitext(original)[1].lower()
    with file_changes(Nomination._meta.get_field("stamped_scan").storage) as files:
        saved = files.save(f"nominations/scans/{clock.today():%Y}/nomination-{nomination.pk}{extension}", stamped_scan)
        files.replace(nomination.stamped_scan.name)  # the scan of an earlier, withdrawn submission
        with transaction.atomic():
            Nomination.objects.filter(pk=nomination.pk).update(stamped_scan=saved, stamped_scan_name=original)
            nomination_transition(actor=actor, nomination=nomination, to=NominationState.SUBMITTED)
            renderings_queue(nomination)  # Word and PDF rendered in the background once this commits
    nomination.refresh_from_db()
    return nomination


def nomination_withdraw(*, actor, nomination: Nomination, reason: str = "") -> Nomination:
    return nomination_transition(actor=actor, nomination=nomination, to=NominationState.WITHDRAWN, comment=reason)


def deadline_extension_grant(*, actor, award: Award, unit: Unit, until: dt.datetime, reason: str) -> DeadlineExtension:
    """The office lets one unit submit until `until` (one extension per unit and award; granting again replaces it)."""
    if not may(actor, "award.manage"):
        raise _deny(actor, "nomination.extension_grant", unit, "只有作风办可以批准延期申报。")
    errors = {}
    if not reason.strip():
        errors["reason"] = "请填写延期理由。"
    if until <= clock.now():
        errors["until"] = "“延长至”须晚于现在。"
    elif award.deadline and until <= award.deadline:
        errors["until"] = f"“延长至”须晚于申报截止时间（{cn_datetime(award.deadline)}）。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        extension = DeadlineExtension.objects.filter(award=award, unit=unit).first()
        before = {"until": extension.until.isoformat(), "reason": extension.reason} if extension else None
        extension = extension or DeadlineExtension(award=award, unit=unit)
        extension.until, extension.reason, extension.granted_by = until, reason.strip(), actor
        extension.save()
        audit_record(
            actor=actor,
            action="nomination.extension_grant",
            obj=extension,
            before=before,
            after={"award": award.key, "unit": unit.pk, "until": until.isoformat(), "reason": extension.reason},
        )
    reminder_send(
        recipients=unit_administrators(unit),
        kind=ReminderKind.NOTICE,
        title=f"“{award.name}”申报已为本单位延长至{cn_datetime(until)}",
        body=extension.reason,
        link="/nominations/",
        obj=extension,
        unit=unit,
        sender=actor,
    )
    return extension


def unit_administrators(unit: Unit):
    """The unit's administrators (单位管理员): who submits, so who is chased."""
    return users_editing(unit=unit).filter(role_assignments__unit=unit, role_assignments__role=Role.UNIT_LEADER)


def nomination_remind(*, actor, award: Award, units: list[Unit], title: str = "", dedupe_key: str | None = None) -> int:
    """催办 (actor=None: the automatic reminder): tell each unit's administrators; returns how many went out."""
    sent = 0
    for unit in units:
        if actor is not None and not may(actor, "reminder.send", unit):
            raise _deny(actor, "nomination.remind", unit, "您无权催办该单位。")
        closes = award.deadline
        reminder_body = f"截止时间：{cn_datetime(closes)}。{award.quota_label}。" if closes else award.quota_label
        sent += len(
            reminder_send(
                recipients=unit_administrators(unit),
                kind=ReminderKind.MANUAL if actor is not None else ReminderKind.DEADLINE_SOON,
                title=title or f"请按时报送“{award.name}”申报",
                body=reminder_body,
                link="/nominations/",
                obj=award,
                unit=unit,
                sender=actor,
                dedupe_key=f"{dedupe_key}:{unit.pk}" if dedupe_key else None,
            )
        )
        if actor is not None:
            audit_record(actor=actor, action="nomination.remind", obj=unit, detail=award.name)
    return sent
