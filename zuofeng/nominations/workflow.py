"""The nomination state machine: a table of allowed moves and its one transition function.

The transition checks who may make the move (accounts.permissions.may), the deadline (with a
unit's extension) for submissions, takes or frees the quota slot, saves, writes the history and
the audit entry, and notifies. Field validation (required fields, 500 字, stamped scan) happens
in services before a submission reaches here.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zuofeng.accounts.permissions import may
from zuofeng.accounts.selectors import users_editing, users_reviewing
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.core.cn import cn_datetime
from zuofeng.core.transitions import Refused, audit_refusals
from zuofeng.nominations.models import (
    ACTIVE_STATES,
    DeadlineExtension,
    Nomination,
    NominationEvent,
    NominationState,
)
from zuofeng.reminders.models import ReminderKind
from zuofeng.reminders.services import reminder_send

S = NominationState
MOVES: dict[tuple[str, str], str] = {
    (S.DRAFT, S.SUBMITTED): "nomination.submit",
    (S.WITHDRAWN, S.SUBMITTED): "nomination.submit",
    (S.SUBMITTED, S.WITHDRAWN): "nomination.withdraw",
    (S.OPINION_GIVEN, S.WITHDRAWN): "nomination.withdraw",
    (S.SUBMITTED, S.OPINION_GIVEN): "nomination.opinion",
    (S.SUBMITTED, S.JUDGING): "award.manage",
    (S.OPINION_GIVEN, S.JUDGING): "award.manage",
    (S.JUDGING, S.SELECTED): "nomination.select",
    (S.JUDGING, S.NOT_SELECTED): "nomination.select",
    (S.SELECTED, S.JUDGING): "nomination.select",
    (S.NOT_SELECTED, S.JUDGING): "nomination.select",
}
# Moves limited to the submission window (deadline, or the unit's extension).
WINDOWED = {
    (S.DRAFT, S.SUBMITTED),
    (S.WITHDRAWN, S.SUBMITTED),
    (S.SUBMITTED, S.WITHDRAWN),
    (S.OPINION_GIVEN, S.WITHDRAWN),
}
COMMENT_REQUIRED = {(S.SELECTED, S.JUDGING), (S.NOT_SELECTED, S.JUDGING)}


def submission_closes_at(*, award, unit) -> dt.datetime | None:
    """The moment submission closes for this unit: the award deadline or the unit's extension."""
    extension = DeadlineExtension.objects.filter(award=award, unit=unit).first()
    if extension is not None and (award.deadline is None or extension.until > award.deadline):
        return extension.until
    return award.deadline


def _take_slot(nomination: Nomination) -> None:
    quota_max = nomination.award.quota_max
    if quota_max is None:
        return
    taken = set(
        Nomination.objects.filter(award=nomination.award, unit=nomination.unit, slot__isnull=False)
        .exclude(pk=nomination.pk)
        .values_list("slot", flat=True)
    )
    free = [n for n in range(1, quota_max + 1) if n not in taken]
    if not free:
        raise ValidationError(_quota_full(nomination), code="quota_full")
    nomination.slot = free[0]


def _quota_full(nomination: Nomination) -> str:
    award = nomination.award
    return (
        f"本单位“{award.name}”已申报 {award.quota_max}/{award.quota_max}，名额已满（每单位限报 {award.quota_max} 个）。"
    )


@audit_refusals("nomination")
def nomination_transition(
    *, actor, nomination: Nomination, to: str, comment: str = "", notify: bool = True
) -> Nomination:
    try:
        return _transition(actor=actor, nomination=nomination, to=to, comment=comment, notify=notify)
    except IntegrityError:
        # Another administrator took the last slot between our check and our save.
        raise ValidationError(_quota_full(nomination), code="quota_full") from None


@transaction.atomic
def _transition(*, actor, nomination: Nomination, to: str, comment: str, notify: bool) -> Nomination:
    locked = Nomination.objects.select_for_update(of=("self",)).select_related("award", "unit").get(pk=nomination.pk)
    current = locked.state
    action = MOVES.get((current, to))
    if action is None:
        if current == to:
            raise ValidationError(f"该申报已是“{S(to).label}”状态，请勿重复操作。", code="repeated")
        raise ValidationError(f"当前状态为“{S(current).label}”，不能变为“{S(to).label}”。", code="invalid_transition")
    if not may(actor, action, locked):
        raise Refused(action, f"{current}→{to}")
    if (current, to) in COMMENT_REQUIRED and not comment.strip():
        raise ValidationError({"comment": "请填写理由。"}, code="comment_required")
    now = clock.now()
    if (current, to) in WINDOWED:
        closes = submission_closes_at(award=locked.award, unit=locked.unit)
        if closes is not None and now > closes:
            raise ValidationError(f"“{locked.award.name}”申报已于{cn_datetime(closes)}截止。", code="deadline_passed")
        opens = locked.award.opens_on
        if opens is not None and clock.today() < opens:
            raise ValidationError(f"“{locked.award.name}”尚未开始申报。", code="not_open")
    fields = ["state", "version", "updated_at"]
    if to in ACTIVE_STATES and current not in ACTIVE_STATES:
        _take_slot(locked)
        fields.append("slot")
    elif to not in ACTIVE_STATES:
        locked.slot = None
        fields.append("slot")
    if to == S.SUBMITTED:
        locked.submitted_at, locked.submitted_by = now, actor
        fields += ["submitted_at", "submitted_by"]
    if to in (S.SELECTED, S.NOT_SELECTED):
        locked.decided_at = now
        fields.append("decided_at")
    locked.state = to
    locked.version += 1
    with transaction.atomic():  # a savepoint, so a lost race on the slot surfaces as IntegrityError here
        locked.save(update_fields=fields)
    NominationEvent.objects.create(
        nomination=locked, actor=actor, action=action, from_state=current, to_state=to, comment=comment, at=now
    )
    audit_record(
        actor=actor,
        action=f"nomination.{to}",
        obj=locked,
        before={"state": current},
        after={"state": to, "slot": locked.slot},
        detail=comment,
    )
    if notify:
        _notify(actor=actor, nomination=locked, to=to)
    nomination.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


def _notify(*, actor, nomination: Nomination, to: str) -> None:
    if to == S.SUBMITTED:
        recipients = users_reviewing(unit=nomination.unit)
        title = f"{nomination.unit.qualified_name}报送了“{nomination.award.name}”申报，请签署意见"
    elif to in (S.SELECTED, S.NOT_SELECTED, S.OPINION_GIVEN):
        recipients = users_editing(unit=nomination.unit)
        title = f"“{nomination.award.name}”申报（{nomination.title}）{S(to).label}"
    else:
        return
    reminder_send(
        recipients=[u for u in recipients if u.pk != getattr(actor, "pk", None)],
        kind=ReminderKind.NOTICE,
        title=title,
        link=f"/nominations/{nomination.pk}/",
        obj=nomination,
        unit=nomination.unit,
        sender=actor,
    )
