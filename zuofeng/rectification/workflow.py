"""The two state machines of 找差整改 and their one transition function each.

A move not in the table is refused; a move in the table needs the permission it names
(accounts.permissions.may). Each transition locks the row, checks, saves, writes the
history a person reads (LedgerEvent) and the audit entry, and queues notifications.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from zuofeng.accounts.permissions import may
from zuofeng.accounts.selectors import users_editing, users_reviewing
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.core.transitions import Refused, audit_refusals
from zuofeng.rectification.models import Ledger, LedgerEvent, LedgerState, Measure, MeasureState
from zuofeng.reminders.models import ReminderKind
from zuofeng.reminders.services import reminder_send

LEDGER_MOVES: dict[tuple[str, str], str] = {
    (LedgerState.DRAFT, LedgerState.SUBMITTED): "ledger.submit",
    (LedgerState.RETURNED, LedgerState.SUBMITTED): "ledger.submit",
    (LedgerState.SUBMITTED, LedgerState.APPROVED): "ledger.review",
    (LedgerState.SUBMITTED, LedgerState.RETURNED): "ledger.review",
    # Items added to an approved list reopen it for review; approved items stay locked.
    (LedgerState.APPROVED, LedgerState.DRAFT): "ledger.edit",
}

MEASURE_MOVES: dict[tuple[str, str], str] = {
    (MeasureState.PLANNED, MeasureState.IN_PROGRESS): "ledger.review",
    (MeasureState.IN_PROGRESS, MeasureState.CLOSE_REQUESTED): "measure.request_close",
    (MeasureState.CLOSE_REQUESTED, MeasureState.CLOSED): "measure.close",
    (MeasureState.CLOSE_REQUESTED, MeasureState.IN_PROGRESS): "measure.close",
    (MeasureState.CLOSED, MeasureState.IN_PROGRESS): "measure.reopen",
}

# Moves that must say why (退回 / 重新打开).
COMMENT_REQUIRED = {
    (LedgerState.SUBMITTED, LedgerState.RETURNED),
    (MeasureState.CLOSE_REQUESTED, MeasureState.IN_PROGRESS),
    (MeasureState.CLOSED, MeasureState.IN_PROGRESS),
}

_ALREADY = {
    LedgerState.SUBMITTED: "清单已提交，正在等待审核，请勿重复提交。",
    LedgerState.APPROVED: "清单已审核通过。",
    LedgerState.RETURNED: "清单已退回。",
    MeasureState.CLOSE_REQUESTED: "已申请销号，正在等待审核，请勿重复提交。",
    MeasureState.CLOSED: "该措施已销号。",
}


def _check(*, actor, obj, table: dict, current: str, to: str, comment: str, labels) -> str:
    action = table.get((current, to))
    if action is None:
        if current == to and to in _ALREADY:
            raise ValidationError(_ALREADY[to], code="repeated")
        raise ValidationError(
            f"当前状态为“{labels(current).label}”，不能变为“{labels(to).label}”。", code="invalid_transition"
        )
    if not may(actor, action, obj):
        raise Refused(action, f"{current}→{to}")
    if (current, to) in COMMENT_REQUIRED and not comment.strip():
        raise ValidationError({"comment": "请填写理由（退回或重新打开必须说明原因）。"}, code="comment_required")
    return action


@audit_refusals("ledger")
@transaction.atomic
def ledger_transition(*, actor, ledger: Ledger, to: str, comment: str = "", notify: bool = True) -> Ledger:
    locked = Ledger.objects.select_for_update(of=("self",)).select_related("unit", "campaign").get(pk=ledger.pk)
    current = locked.state
    action = _check(
        actor=actor, obj=locked, table=LEDGER_MOVES, current=current, to=to, comment=comment, labels=LedgerState
    )
    now = clock.now()
    locked.state = to
    if to == LedgerState.SUBMITTED:
        locked.submitted_at = now
        locked.first_submitted_at = locked.first_submitted_at or now
    elif to == LedgerState.APPROVED:
        locked.approved_at = now
    locked.version += 1
    locked.save(update_fields=["state", "submitted_at", "first_submitted_at", "approved_at", "version", "updated_at"])
    LedgerEvent.objects.create(
        ledger=locked, actor=actor, action=action, from_state=current, to_state=to, comment=comment, at=now
    )
    audit_record(
        actor=actor, action=f"ledger.{to}", obj=locked, before={"state": current}, after={"state": to}, detail=comment
    )
    if notify:
        _notify_ledger(actor=actor, ledger=locked, to=to, comment=comment)
    ledger.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


def _notify_ledger(*, actor, ledger: Ledger, to: str, comment: str) -> None:
    link = f"/rectification/ledgers/{ledger.pk}/"
    if to == LedgerState.SUBMITTED:
        recipients, title = users_reviewing(unit=ledger.unit), f"{ledger.unit.qualified_name}提交了整改清单，请审核"
    elif to == LedgerState.RETURNED:
        recipients, title = users_editing(unit=ledger.unit), "整改清单被退回，请修改后重新提交"
    elif to == LedgerState.APPROVED:
        recipients, title = users_editing(unit=ledger.unit), "整改清单已审核通过"
    else:
        return
    reminder_send(
        recipients=[u for u in recipients if u.pk != getattr(actor, "pk", None)],
        kind=ReminderKind.NOTICE,
        title=title,
        body=comment,
        link=link,
        obj=ledger,
        unit=ledger.unit,
        sender=actor,
    )


@audit_refusals("measure")
@transaction.atomic
def measure_transition(*, actor, measure: Measure, to: str, comment: str = "", notify: bool = True) -> Measure:
    locked = (
        Measure.objects.select_for_update(of=("self", "problem__ledger"))
        .select_related("unit", "problem__ledger")
        .get(pk=measure.pk)
    )
    current = locked.state
    action = _check(
        actor=actor, obj=locked, table=MEASURE_MOVES, current=current, to=to, comment=comment, labels=MeasureState
    )
    now = clock.now()
    locked.state = to
    fields = ["state", "version", "updated_at"]
    if to == MeasureState.CLOSED:
        locked.closed_on = clock.today()
        locked.percent = 100
        fields += ["closed_on", "percent"]
    elif current == MeasureState.CLOSED:
        locked.closed_on = None
        fields.append("closed_on")
    locked.version += 1
    locked.save(update_fields=fields)
    from zuofeng.rectification.lights import measure_refresh_light

    measure_refresh_light(measure=locked)
    LedgerEvent.objects.create(
        ledger=locked.problem.ledger,
        problem_id=locked.problem_id,
        measure=locked,
        actor=actor,
        action=action,
        from_state=current,
        to_state=to,
        comment=comment,
        at=now,
    )
    audit_record(
        actor=actor, action=f"measure.{to}", obj=locked, before={"state": current}, after={"state": to}, detail=comment
    )
    if notify:
        _notify_measure(actor=actor, measure=locked, current=current, to=to, comment=comment)
    measure.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


def _notify_measure(*, actor, measure: Measure, current: str, to: str, comment: str) -> None:
    link = f"/rectification/measures/{measure.pk}/"
    if to == MeasureState.CLOSE_REQUESTED:
        recipients, title = users_reviewing(unit=measure.unit), f"{measure.unit.qualified_name}申请销号，请核实"
    elif to == MeasureState.CLOSED:
        recipients, title = users_editing(unit=measure.unit), "整改措施已销号"
    elif current == MeasureState.CLOSE_REQUESTED:
        recipients, title = users_editing(unit=measure.unit), "销号申请被退回"
    elif current == MeasureState.CLOSED:
        recipients, title = users_editing(unit=measure.unit), "已销号的整改措施被重新打开"
    else:
        return
    reminder_send(
        recipients=[u for u in recipients if u.pk != getattr(actor, "pk", None)],
        kind=ReminderKind.NOTICE,
        title=title,
        body=f"{measure.text[:80]}\n{comment}".strip(),
        link=link,
        obj=measure,
        unit=measure.unit,
        sender=actor,
    )
