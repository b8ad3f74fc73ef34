"""The finding's state machine: the office confirms a recorded finding (→ a problem in the unit's list) or
dismisses it. One transition function over one table of moves, like rectification/workflow.py."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from zuofeng.accounts.permissions import may
from zuofeng.accounts.selectors import users_editing
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.core.transitions import Refused, audit_refusals
from zuofeng.rectification.services.outside import problem_create_from_outside
from zuofeng.reminders.models import ReminderKind
from zuofeng.reminders.services import reminder_send
from zuofeng.supervision.definition import supervision_def
from zuofeng.supervision.models import (
    AccountabilityCase,
    CaseState,
    Finding,
    FindingState,
    ReportState,
    SelfInspectionReport,
)

FINDING_MOVES: dict[tuple[str, str], str] = {
    (FindingState.RECORDED, FindingState.CONFIRMED): "finding.confirm",
    (FindingState.RECORDED, FindingState.DISMISSED): "finding.confirm",
}


def default_deadline(finding: Finding) -> dt.date:
    campaign = finding.round.campaign if finding.round_id else finding.recheck.campaign
    return clock.today() + dt.timedelta(days=supervision_def(campaign).finding_deadline_days)


@audit_refusals("finding")
@transaction.atomic
def finding_transition(
    *, actor, finding: Finding, to: str, comment: str = "", deadline: dt.date | None = None
) -> Finding:
    """CONFIRMED puts the finding into the unit's list as a problem (source and mark from the campaign
    definition, 整改期限 `deadline`); DISMISSED must say why."""
    locked = (
        Finding.objects.select_for_update(of=("self",))
        .select_related("round__campaign", "recheck__campaign", "unit", "category")
        .get(pk=finding.pk)
    )
    current = locked.state
    action = FINDING_MOVES.get((current, to))
    if action is None:
        raise ValidationError(
            f"当前状态为“{FindingState(current).label}”，不能变为“{FindingState(to).label}”。",
            code="invalid_transition",
        )
    if not may(actor, action, locked):
        raise Refused(action, f"{current}→{to}")
    if to == FindingState.DISMISSED and not comment.strip():
        raise ValidationError({"comment": "不予确认须说明理由。"})
    if to == FindingState.CONFIRMED:
        campaign = locked.round.campaign if locked.round_id else locked.recheck.campaign
        rules = supervision_def(campaign)
        holder = locked.round.name if locked.round_id else locked.recheck.name
        locked.problem = problem_create_from_outside(
            actor=actor,
            unit=locked.unit,
            campaign=campaign,
            source_kind=rules.finding_source_kind,
            category=locked.category,
            description=locked.text,
            found_on=locked.found_on,
            origin=rules.finding_origin,
            deadline=deadline or default_deadline(locked),
            source_detail=holder,
        )
    locked.state = to
    locked.decided_by = actor
    locked.decided_at = clock.now()
    locked.decision_comment = comment.strip()
    locked.version += 1
    locked.save()
    audit_record(
        actor=actor,
        action=f"finding.{to}",
        obj=locked,
        before={"state": current},
        after={"state": to, "problem": locked.problem_id},
        detail=comment,
    )
    if locked.problem_id:
        reminder_send(
            recipients=users_editing(unit=locked.unit),
            kind=ReminderKind.NOTICE,
            title=f"督查发现的问题已转入{locked.unit.qualified_name}整改清单，请制定整改措施",
            body=locked.text,
            link=f"/rectification/ledgers/{locked.problem.ledger_id}/",
            obj=locked.problem,
            unit=locked.unit,
            sender=actor,
        )
    finding.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


# ── 问责案件 ────────────────────────────────────────────────────────────────

CASE_MOVES: dict[tuple[str, str], str] = {
    (CaseState.OPEN, CaseState.DECIDED): "case.manage",
    (CaseState.OPEN, CaseState.WITHDRAWN): "case.manage",
}


@audit_refusals("case")
@transaction.atomic
def case_transition(
    *,
    actor,
    case: AccountabilityCase,
    to: str,
    measure: str = "",
    decided_on: dt.date | None = None,
    deciding_body: str = "",
    doc_number: str = "",
    comment: str = "",
) -> AccountabilityCase:
    """DECIDED records the measure (from the campaign definition), date, body and document number;
    WITHDRAWN must say why."""
    locked = AccountabilityCase.objects.select_for_update().select_related("campaign", "unit").get(pk=case.pk)
    current = locked.state
    action = CASE_MOVES.get((current, to))
    if action is None:
        raise ValidationError(
            f"当前状态为“{CaseState(current).label}”，不能变为“{CaseState(to).label}”。", code="invalid_transition"
        )
    if not may(actor, action, locked):
        raise Refused(action, f"{current}→{to}")
    errors = {}
    if to == CaseState.DECIDED:
        measures = {m.key: m.name for m in supervision_def(locked.campaign).accountability_measures}
        if measure not in measures:
            errors["measure"] = "请选择活动定义中的问责方式。"
        if decided_on is None:
            errors["decided_on"] = "请填写决定日期。"
        if not deciding_body.strip():
            errors["deciding_body"] = "请填写决定机关。"
        if not doc_number.strip():
            errors["doc_number"] = "请填写文号。"
    elif not comment.strip():
        errors["comment"] = "撤销须说明理由。"
    if errors:
        raise ValidationError(errors)
    locked.state = to
    if to == CaseState.DECIDED:
        locked.measure, locked.decided_on = measure, decided_on
        locked.deciding_body, locked.doc_number = deciding_body.strip(), doc_number.strip()
    locked.version += 1
    locked.save()
    audit_record(
        actor=actor,
        action=f"case.{to}",
        obj=locked,
        before={"state": current},
        after={"state": to, "问责方式": locked.measure, "文号": locked.doc_number},
        detail=comment,
    )
    return locked


# ── 自查自纠报告 ────────────────────────────────────────────────────────────

REPORT_MOVES: dict[tuple[str, str], str] = {
    (ReportState.DRAFT, ReportState.SUBMITTED): "self.edit",
    (ReportState.RETURNED, ReportState.SUBMITTED): "self.edit",
    (ReportState.SUBMITTED, ReportState.ACCEPTED): "self.review",
    (ReportState.SUBMITTED, ReportState.RETURNED): "self.review",
}


@audit_refusals("report")
@transaction.atomic
def report_transition(*, actor, report: SelfInspectionReport, to: str, comment: str = "") -> SelfInspectionReport:
    locked = SelfInspectionReport.objects.select_for_update().select_related("campaign", "unit").get(pk=report.pk)
    current = locked.state
    action = REPORT_MOVES.get((current, to))
    if action is None:
        raise ValidationError(
            f"当前状态为“{ReportState(current).label}”，不能变为“{ReportState(to).label}”。", code="invalid_transition"
        )
    if not may(actor, action, locked):
        raise Refused(action, f"{current}→{to}")
    if to == ReportState.SUBMITTED:
        questions = supervision_def(locked.campaign).self_inspection.questions
        missing = [q.name for q in questions if not locked.answers.get(q.key)]
        if missing:
            raise ValidationError(f"请先填写：{'；'.join(missing)}。")
        locked.submitted_at = clock.now()
    elif to == ReportState.RETURNED and not comment.strip():
        raise ValidationError({"comment": "退回须说明理由。"})
    if action == "self.review":
        locked.review_comment, locked.reviewed_by = comment.strip(), actor
    locked.state = to
    locked.version += 1
    locked.save()
    audit_record(actor=actor, action=f"self.{to}", obj=locked, before={"state": current}, after={"state": to})
    if to == ReportState.RETURNED:
        reminder_send(
            recipients=users_editing(unit=locked.unit),
            kind=ReminderKind.NOTICE,
            title="自查自纠报告被退回，请修改后重新报送",
            body=comment,
            link=f"/supervision/self/units/{locked.unit_id}/",
            unit=locked.unit,
            sender=actor,
        )
    return locked
