"""审核把关: submitting a list, item-by-item review, change requests to locked measures, manual 催办.

Every state change of a list or a measure goes through rectification.workflow; this module adds
what happens around it (item decisions, checks before submitting, applying approved changes).
"""

import datetime as dt
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from zuofeng.accounts.models import Role, RoleAssignment
from zuofeng.accounts.permissions import may
from zuofeng.accounts.selectors import users_editing, users_reviewing
from zuofeng.audit.models import AuditResult
from zuofeng.audit.services import audit_record, model_snapshot
from zuofeng.core import clock
from zuofeng.rectification.lights import measure_refresh_light
from zuofeng.rectification.models import (
    ChangeRequest,
    ChangeState,
    ItemReview,
    Ledger,
    LedgerEvent,
    LedgerState,
    Measure,
    MeasureState,
    Problem,
)
from zuofeng.rectification.workflow import ledger_transition, measure_transition
from zuofeng.reminders.models import ReminderKind
from zuofeng.reminders.services import reminder_send

DENIED = "您无权办理此事项。"

# Fields of an approved measure that a change request may alter, with their on-screen names.
CHANGE_FIELDS: dict[str, str] = {
    "text": "整改措施",
    "standard": "整改标准",
    "responsible_leader": "责任领导",
    "responsible_unit": "责任单位",
    "responsible_person": "责任人",
    "responsible_name": "责任人（姓名）",
    "starts_on": "开始日期",
    "deadline": "完成时限",
    "is_ongoing": "长期坚持",
    "key_area": "攻坚重点",
}
FK_FIELDS = {"responsible_unit", "responsible_person", "key_area"}
_DATE_FIELDS = {"starts_on", "deadline"}

DEFAULT_CHASE_MESSAGE = "请抓紧完成找差和整改措施制定工作，按时提交整改清单。"


def _require(actor, action: str, obj) -> None:
    """Refuse and record it; called before any transaction so the refusal stays in the trail."""
    if not may(actor, action, obj):
        audit_record(actor=actor, action=action, obj=obj, result=AuditResult.DENIED)
        raise PermissionDenied(DENIED)


def _event(*, ledger_id: int, actor, action: str, problem_id=None, measure_id=None, frm="", to="", comment=""):
    LedgerEvent.objects.create(
        ledger_id=ledger_id,
        problem_id=problem_id,
        measure_id=measure_id,
        actor=actor,
        action=action,
        from_state=frm,
        to_state=to,
        comment=comment,
        at=clock.now(),
    )


# ── submitting ──────────────────────────────────────────────────────────────


def ledger_submit(*, actor, ledger: Ledger) -> Ledger:
    _require(actor, "ledger.submit", ledger)
    with transaction.atomic():
        # Locking first makes a double click wait here and then meet "请勿重复提交".
        locked = Ledger.objects.select_for_update().get(pk=ledger.pk)
        if locked.state not in (LedgerState.SUBMITTED, LedgerState.APPROVED):
            problems = list(locked.problems.all())
            if not problems:
                raise ValidationError("清单中还没有问题，请先查摆问题、制定整改措施后再提交。", code="empty")
            with_measures = set(
                Measure.objects.filter(problem__ledger=locked).values_list("problem_id", flat=True).distinct()
            )
            missing = [str(p.order) for p in problems if p.pk not in with_measures]
            if missing:
                raise ValidationError(
                    f"第{'、'.join(missing)}项问题尚未制定整改措施，请补充后再提交。", code="no_measure"
                )
            Problem.objects.filter(ledger=locked, review=ItemReview.RETURNED).update(review=ItemReview.PENDING)
        return ledger_transition(actor=actor, ledger=ledger, to=LedgerState.SUBMITTED)


# ── item-by-item review ─────────────────────────────────────────────────────


def _decision_errors(decisions: dict, pending: dict[int, Problem]) -> list[str]:
    errors = []
    for pk, (decision, comment) in decisions.items():
        problem = pending.get(pk)
        if problem is None:
            errors.append("所审核的问题不在待审核之列，请刷新页面后重试。")
        elif decision not in (ItemReview.APPROVED, ItemReview.RETURNED):
            errors.append(f"第{problem.order}项问题的审核结果无效。")
        elif decision == ItemReview.RETURNED and not (comment or "").strip():
            errors.append(f"第{problem.order}项问题退回时须填写审核意见。")
    return errors


def ledger_review(*, actor, ledger: Ledger, decisions: dict[int, tuple[str, str]]) -> Ledger:
    """Approve or return each pending problem; the list is approved only when every item is."""
    _require(actor, "ledger.review", ledger)
    with transaction.atomic():
        locked = Ledger.objects.select_for_update().get(pk=ledger.pk)
        if locked.state != LedgerState.SUBMITTED:
            raise ValidationError(f"清单当前状态为“{LedgerState(locked.state).label}”，不在待审核状态。")
        pending = {p.pk: p for p in locked.problems.filter(review=ItemReview.PENDING)}
        if not decisions:
            raise ValidationError("请至少对一项问题作出审核决定。")
        errors = _decision_errors(decisions, pending)
        if errors:
            raise ValidationError(errors)
        returned_notes, approved_notes = [], []
        for pk, problem in pending.items():
            if pk not in decisions:
                returned_notes.append(f"第{problem.order}项：尚未审核，请重新提交。")
                continue
            decision, comment = decisions[pk]
            comment = (comment or "").strip()
            _problem_decide(actor=actor, problem=problem, decision=decision, comment=comment)
            if decision == ItemReview.RETURNED:
                returned_notes.append(f"第{problem.order}项：{comment}")
            elif comment:
                approved_notes.append(f"第{problem.order}项：{comment}")
        approved_ids = [pk for pk, (decision, _) in decisions.items() if decision == ItemReview.APPROVED]
        for measure in Measure.objects.filter(problem_id__in=approved_ids, state=MeasureState.PLANNED):
            measure_transition(actor=actor, measure=measure, to=MeasureState.IN_PROGRESS, notify=False)
        if returned_notes:
            return ledger_transition(
                actor=actor, ledger=ledger, to=LedgerState.RETURNED, comment="\n".join(returned_notes)
            )
        return ledger_transition(actor=actor, ledger=ledger, to=LedgerState.APPROVED, comment="\n".join(approved_notes))


def _problem_decide(*, actor, problem: Problem, decision: str, comment: str) -> None:
    before = {"review": problem.review, "review_comment": problem.review_comment}
    problem.review, problem.review_comment = decision, comment
    problem.version += 1
    problem.save(update_fields=["review", "review_comment", "version", "updated_at"])
    _event(
        ledger_id=problem.ledger_id,
        problem_id=problem.pk,
        actor=actor,
        action=f"problem.{decision}",
        frm=before["review"],
        to=decision,
        comment=comment,
    )
    audit_record(
        actor=actor,
        action=f"problem.{decision}",
        obj=problem,
        before=before,
        after={"review": decision, "review_comment": comment},
    )


# ── change requests ─────────────────────────────────────────────────────────


def _jsonable(name: str, value):
    if name in _DATE_FIELDS and isinstance(value, dt.date):
        return value.isoformat()
    if name in FK_FIELDS and value is not None and not isinstance(value, int):
        return value.pk
    return value


def _python(name: str, value):
    if name in _DATE_FIELDS and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def _check_values(values: dict) -> None:
    errors = {}
    if not (values.get("text") or "").strip():
        errors["text"] = "请填写整改措施。"
    starts_on, deadline = _python("starts_on", values["starts_on"]), _python("deadline", values["deadline"])
    if values["is_ongoing"] and deadline is not None:
        errors["deadline"] = "长期坚持的措施不填完成时限。"
    elif not values["is_ongoing"] and deadline is None:
        errors["deadline"] = "请填写完成时限，或勾选“长期坚持”。"
    elif deadline is not None and starts_on is not None and deadline < starts_on:
        errors["deadline"] = "完成时限不能早于开始日期。"
    if starts_on is None:
        errors["starts_on"] = "请填写开始日期。"
    if errors:
        raise ValidationError(errors)


def change_request_create(*, actor, measure: Measure, new_values: dict, reason: str) -> ChangeRequest:
    _require(actor, "measure.request_change", measure)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写变更理由。"})
    with transaction.atomic():
        locked = (
            Measure.objects.select_for_update(of=("self", "problem"))
            .select_related("problem", "unit")
            .get(pk=measure.pk)
        )
        if locked.problem.review != ItemReview.APPROVED:
            raise ValidationError("该措施尚未审核通过，可直接在清单中修改，无需申请变更。")
        if locked.state == MeasureState.CLOSED:
            raise ValidationError("该措施已销号，不能申请变更；如需继续整改，请联系审核单位重新打开。")
        if ChangeRequest.objects.filter(measure=locked, state=ChangeState.PENDING).exists():
            raise ValidationError("该措施已有一项变更申请正在审核，请等待审核结果后再申请。")
        old = model_snapshot(locked, list(CHANGE_FIELDS))
        merged = {**old, **{k: _jsonable(k, v) for k, v in new_values.items() if k in CHANGE_FIELDS}}
        changed = {k: v for k, v in merged.items() if v != old[k]}
        if not changed:
            raise ValidationError("没有修改任何内容，无需申请变更。")
        _check_values(merged)
        try:
            with transaction.atomic():
                change = ChangeRequest.objects.create(
                    measure=locked, requested_by=actor, reason=reason, old_values=old, new_values=changed
                )
        except IntegrityError:
            raise ValidationError("该措施已有一项变更申请正在审核，请等待审核结果后再申请。") from None
        _event(
            ledger_id=locked.problem.ledger_id,
            problem_id=locked.problem_id,
            measure_id=locked.pk,
            actor=actor,
            action="change.request",
            to=ChangeState.PENDING,
            comment=reason,
        )
        audit_record(actor=actor, action="change.create", obj=change, before=old, after=changed, detail=reason)
        reviewers = [u for u in users_reviewing(unit=locked.unit) if u.pk != actor.pk]
        reminder_send(
            recipients=reviewers,
            kind=ReminderKind.NOTICE,
            title=f"{locked.unit.qualified_name}申请变更整改措施，请审核",
            body=f"{locked.text[:80]}\n变更理由：{reason}",
            link=f"/rectification/review/changes/{change.pk}/",
            obj=change,
            unit=locked.unit,
            sender=actor,
        )
    return change


def change_request_decide(*, actor, change: ChangeRequest, approve: bool, comment: str = "") -> ChangeRequest:
    _require(actor, "change.decide", change)
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": "不同意变更时须填写理由。"})
    with transaction.atomic():
        locked = ChangeRequest.objects.select_for_update().get(pk=change.pk)
        if locked.state != ChangeState.PENDING:
            raise ValidationError(f"该变更申请{ChangeState(locked.state).label}，请勿重复审核。")
        measure = (
            Measure.objects.select_for_update(of=("self", "problem"))
            .select_related("problem", "unit", "campaign")
            .get(pk=locked.measure_id)
        )
        if approve:
            _change_apply(actor=actor, measure=measure, change=locked)
        locked.state = ChangeState.APPROVED if approve else ChangeState.REJECTED
        locked.decided_by, locked.decided_at, locked.decision_comment = actor, clock.now(), comment
        locked.save(update_fields=["state", "decided_by", "decided_at", "decision_comment", "updated_at"])
        _event(
            ledger_id=measure.problem.ledger_id,
            problem_id=measure.problem_id,
            measure_id=measure.pk,
            actor=actor,
            action="change.approve" if approve else "change.reject",
            frm=ChangeState.PENDING,
            to=locked.state,
            comment=comment,
        )
        audit_record(
            actor=actor, action=f"change.{locked.state}", obj=locked, after={"state": locked.state}, detail=comment
        )
        recipients = list(users_editing(unit=measure.unit))
        if locked.requested_by_id and all(u.pk != locked.requested_by_id for u in recipients):
            recipients.append(locked.requested_by)
        reminder_send(
            recipients=[u for u in recipients if u.pk != actor.pk],
            kind=ReminderKind.NOTICE,
            title="整改措施变更申请已同意" if approve else "整改措施变更申请未获同意",
            body=f"{measure.text[:80]}\n{comment}".strip(),
            link=f"/rectification/measures/{measure.pk}/",
            obj=measure,
            unit=measure.unit,
            sender=actor,
        )
    change.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


def _change_apply(*, actor, measure: Measure, change: ChangeRequest) -> None:
    before = model_snapshot(measure, list(CHANGE_FIELDS))
    for name, value in change.new_values.items():
        attr = f"{name}_id" if name in FK_FIELDS else name
        setattr(measure, attr, _python(name, value))
    measure.version += 1
    fields = [f"{n}_id" if n in FK_FIELDS else n for n in change.new_values]
    measure.save(update_fields=[*fields, "version", "updated_at"])
    measure_refresh_light(measure=measure)
    audit_record(
        actor=actor, action="measure.change", obj=measure, before=before, after=model_snapshot(measure, list(before))
    )


# ── 催办 ────────────────────────────────────────────────────────────────────


def reminder_chase(*, actor, units, message: str = "", campaign=None) -> list:
    """Send a 催办 to the clerks and leaders of each unit; all units or none."""
    units = list(units)
    for unit in units:
        _require(actor, "reminder.send", unit)
    message = (message or "").strip() or DEFAULT_CHASE_MESSAGE
    editors = defaultdict(list)
    for a in RoleAssignment.objects.filter(
        unit__in=units, role__in=[Role.SECTION_CLERK, Role.UNIT_LEADER], user__is_active=True
    ).select_related("user"):
        editors[a.unit_id].append(a.user)
    ledgers = Ledger.objects.filter(unit__in=units)
    if campaign is not None:
        ledgers = ledgers.filter(campaign=campaign)
    ledger_ids = dict(ledgers.values_list("unit_id", "pk"))
    sent = []
    with transaction.atomic():
        for unit in units:
            recipients = editors.get(unit.pk, [])
            ledger_id = ledger_ids.get(unit.pk)
            created = reminder_send(
                recipients=recipients,
                kind=ReminderKind.MANUAL,
                title=f"催办：{unit.qualified_name}整改清单",
                body=message,
                link=f"/rectification/ledgers/{ledger_id}/" if ledger_id else "",
                unit=unit,
                sender=actor,
            )
            audit_record(
                actor=actor,
                action="reminder.chase",
                obj=unit,
                after={"recipients": sorted(u.username for u in recipients)},
                detail=message,
            )
            sent.extend(created)
    return sent
