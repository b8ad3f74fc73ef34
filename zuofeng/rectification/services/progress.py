"""Carrying out a measure: progress reports, 申请销号, 销号 or return, and reopening.

State changes go through workflow.measure_transition. Permission is checked here first,
outside any transaction, so a refusal is audited even though the work is rolled back.
Files are checked before anything is written (services.evidence).
"""

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zuofeng.accounts.permissions import may
from zuofeng.audit.models import AuditResult
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.rectification.lights import measure_refresh_light
from zuofeng.rectification.models import LedgerEvent, Measure, MeasureState, ProgressKind, ProgressUpdate
from zuofeng.rectification.services.evidence import evidence_check, evidence_writer
from zuofeng.rectification.workflow import measure_transition


def _require(actor, action: str, measure: Measure) -> None:
    if not may(actor, action, measure):
        audit_record(actor=actor, action=action, obj=measure, result=AuditResult.DENIED, detail=f"measure {measure.pk}")
        raise PermissionDenied("您无权办理此事项。")


def _lock(measure: Measure, version: int | None) -> Measure:
    locked = (
        Measure.objects.select_for_update(of=("self", "problem__ledger"))
        .select_related("campaign", "problem__ledger")
        .get(pk=measure.pk)
    )
    if version is not None and locked.version != version:
        raise ValidationError(stale_message(locked), code="stale")
    return locked


def stale_message(measure: Measure) -> str:
    """Say who changed the measure meanwhile, when, and what it now says."""
    event = measure.events.select_related("actor__person").order_by("-at", "-id").first()
    who = event.actor.display_name if event and event.actor else "他人"
    at = event.at if event else measure.updated_at
    return (
        f"该条目已被 {who} 于 {timezone.localtime(at):%H:%M} 修改，请核对后再保存"
        f"（当前状态：{measure.get_state_display()}，完成进度：{measure.percent}%）。"
    )


def _event(*, actor, measure: Measure, action: str, comment: str) -> None:
    LedgerEvent.objects.create(
        ledger=measure.problem.ledger,
        problem_id=measure.problem_id,
        measure=measure,
        actor=actor,
        action=action,
        from_state=measure.state,
        to_state=measure.state,
        comment=comment,
        at=clock.now(),
    )


def progress_report(
    *,
    actor,
    measure: Measure,
    reported_on: dt.date,
    text: str,
    percent: int,
    files: Sequence = (),
    version: int | None = None,
) -> ProgressUpdate:
    """整改进展: a dated report with evidence; the latest report sets the measure's percent."""
    _require(actor, "measure.report_progress", measure)
    errors = {}
    if not text.strip():
        errors["text"] = "请填写进展情况。"
    if percent is None or not 0 <= percent <= 100:
        errors["percent"] = "完成进度必须在 0 到 100 之间。"
    if reported_on > clock.today():
        errors["reported_on"] = "报告日期不能晚于今天。"
    if errors:
        raise ValidationError(errors)
    checked = evidence_check(files)
    with evidence_writer() as writer, transaction.atomic():
        locked = _lock(measure, version)
        if locked.state != MeasureState.IN_PROGRESS:
            raise ValidationError(
                f"当前状态为“{locked.get_state_display()}”，只有整改中的措施才能报告进展。", code="state"
            )
        update = ProgressUpdate.objects.create(
            measure=locked, reported_on=reported_on, text=text.strip(), percent=percent, reporter=actor
        )
        for file, kind in checked:
            writer.save(actor=actor, measure=locked, progress=update, file=file, kind=kind)
        before = {"percent": locked.percent, "last_progress_on": locked.last_progress_on}
        # A back-dated report joins the history without overriding a newer one.
        if locked.last_progress_on is None or reported_on >= locked.last_progress_on:
            locked.percent, locked.last_progress_on = percent, reported_on
        locked.version += 1
        locked.save(update_fields=["percent", "last_progress_on", "version", "updated_at"])
        measure_refresh_light(measure=locked)
        _event(actor=actor, measure=locked, action="measure.report_progress", comment=f"{percent}% {text.strip()}")
        audit_record(
            actor=actor,
            action="measure.progress",
            obj=locked,
            before=before,
            after={"percent": locked.percent, "last_progress_on": locked.last_progress_on, "files": len(checked)},
        )
    _copy(locked, measure)
    return update


def closeout_request(
    *, actor, measure: Measure, text: str, files: Sequence, version: int | None = None
) -> ProgressUpdate:
    """申请销号: says the measure is done, with at least one piece of evidence."""
    _require(actor, "measure.request_close", measure)
    errors = {}
    if not text.strip():
        errors["text"] = "请填写整改完成情况。"
    if not files:
        errors["files"] = "申请销号须上传至少一份佐证材料。"
    if errors:
        raise ValidationError(errors)
    checked = evidence_check(files)
    with evidence_writer() as writer, transaction.atomic():
        locked = _lock(measure, version)
        if locked.state != MeasureState.IN_PROGRESS:
            raise ValidationError(
                f"当前状态为“{locked.get_state_display()}”，只有整改中的措施才能申请销号。", code="state"
            )
        today = clock.today()
        update = ProgressUpdate.objects.create(
            measure=locked,
            kind=ProgressKind.CLOSE_REQUEST,
            reported_on=today,
            text=text.strip(),
            percent=100,
            reporter=actor,
        )
        for file, kind in checked:
            writer.save(actor=actor, measure=locked, progress=update, file=file, kind=kind)
        Measure.objects.filter(pk=locked.pk).update(percent=100, last_progress_on=today)
        measure_transition(actor=actor, measure=locked, to=MeasureState.CLOSE_REQUESTED, comment=text.strip())
    _copy(locked, measure)
    return update


def _reported_percent(measure: Measure) -> int:
    """The percent of the latest ordinary report: what stands once a close-out claim is withdrawn."""
    latest = measure.progress_updates.filter(kind=ProgressKind.PROGRESS).order_by("-reported_on", "-id").first()
    return latest.percent if latest else 0


def closeout_decide(
    *, actor, measure: Measure, approve: bool, comment: str = "", version: int | None = None
) -> Measure:
    """Reviewer verifies: 销号, or return to 整改中 with a reason."""
    _require(actor, "measure.close", measure)
    with transaction.atomic():
        locked = _lock(measure, version)
        if locked.state != MeasureState.CLOSE_REQUESTED:
            raise ValidationError(f"当前状态为“{locked.get_state_display()}”，没有待核实的销号申请。", code="state")
        if approve:
            measure_transition(actor=actor, measure=locked, to=MeasureState.CLOSED, comment=comment.strip())
        else:
            Measure.objects.filter(pk=locked.pk).update(percent=_reported_percent(locked))
            measure_transition(actor=actor, measure=locked, to=MeasureState.IN_PROGRESS, comment=comment.strip())
    _copy(locked, measure)
    return measure


def measure_reopen(*, actor, measure: Measure, reason: str, version: int | None = None) -> Measure:
    """Reopen a closed measure (e.g. an inspection finds it is not fixed); the reason is logged."""
    _require(actor, "measure.reopen", measure)
    with transaction.atomic():
        locked = _lock(measure, version)
        if locked.state != MeasureState.CLOSED:
            raise ValidationError(
                f"当前状态为“{locked.get_state_display()}”，只有已销号的措施才能重新打开。", code="state"
            )
        if not reason.strip():
            raise ValidationError({"reason": "请填写重新打开的原因。"})
        Measure.objects.filter(pk=locked.pk).update(percent=_reported_percent(locked))
        measure_transition(actor=actor, measure=locked, to=MeasureState.IN_PROGRESS, comment=reason.strip())
    _copy(locked, measure)
    return measure


def _copy(source: Measure, target: Measure) -> None:
    if source is not target:
        target.refresh_from_db()
