"""自查自纠报告: the unit answers the campaign's questions, puts what it found into its own list (source
自己找, through the ledger's services, so review and close-out are the ordinary ones), and reports; the
office accepts or returns it (workflow.report_transition) and chases units that have not reported."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zuofeng.accounts.permissions import may
from zuofeng.accounts.selectors import users_editing
from zuofeng.audit.services import audit_record
from zuofeng.campaigns.models import ProblemSource
from zuofeng.core import clock
from zuofeng.core.transitions import Refused, audit_refusals
from zuofeng.rectification.models import Ledger
from zuofeng.rectification.services.ledger import problem_create
from zuofeng.reminders.models import ReminderKind
from zuofeng.reminders.services import reminder_send
from zuofeng.supervision.definition import supervision_def
from zuofeng.supervision.models import ReportState, SelfInspectionReport

EDITABLE = (ReportState.DRAFT, ReportState.RETURNED)


def report_get_or_start(*, campaign, unit) -> SelfInspectionReport:
    report, _ = SelfInspectionReport.objects.get_or_create(campaign=campaign, unit=unit)
    return report


@audit_refusals("report")
@transaction.atomic
def report_save(*, actor, report: SelfInspectionReport, answers: dict, people_handled: int, version: int):
    locked = SelfInspectionReport.objects.select_for_update().select_related("campaign", "unit").get(pk=report.pk)
    if not may(actor, "self.edit", locked):
        raise Refused("self.edit", f"report {locked.pk}")
    if locked.state not in EDITABLE:
        raise ValidationError("报告已报送，不能修改。")
    if version != locked.version:
        raise ValidationError("报告已被他人修改，请刷新后再改。", code="stale")
    keys = {q.key for q in supervision_def(locked.campaign).self_inspection.questions}
    before = dict(locked.answers)
    locked.answers = {k: (v or "").strip() for k, v in answers.items() if k in keys}
    locked.people_handled = people_handled
    locked.version += 1
    locked.save()
    audit_record(actor=actor, action="self.save", obj=locked, before=before, after=locked.answers)
    return locked


def report_add_problem(*, actor, report: SelfInspectionReport, category, description: str, found_on: dt.date):
    """A problem the unit found itself goes into its list as 自己找 through ledger.problem_create."""
    if not may(actor, "self.edit", report):
        raise PermissionDenied("您无权填写该单位的自查自纠报告。")
    source = ProblemSource.objects.filter(campaign=report.campaign, kind="self").order_by("order", "id").first()
    if source is None:
        raise ValidationError("活动定义中没有“自己找”类的问题来源。")
    with transaction.atomic():
        ledger, _ = Ledger.objects.get_or_create(unit=report.unit, campaign=report.campaign)
        problem = problem_create(
            actor=actor,
            ledger=ledger,
            category=category,
            source=source,
            description=description,
            found_on=found_on,
            source_detail="自查自纠",
        )
        report.problems.add(problem)
    return problem


def self_remind(*, actor, campaign, units) -> int:
    """催办 every unit in `units` (those not yet reported); at most once a day per unit and person."""
    if not may(actor, "self.review"):
        raise PermissionDenied("您无权催办。")
    due = supervision_def(campaign).self_inspection.due_on
    sent = 0
    for unit in units:
        sent += len(
            reminder_send(
                recipients=users_editing(unit=unit),
                kind=ReminderKind.MANUAL,
                title=f"请报送自查自纠报告{f'（截止 {due:%Y-%m-%d}）' if due else ''}",
                link=f"/supervision/self/units/{unit.pk}/",
                unit=unit,
                sender=actor,
                dedupe_key=f"self-remind:{campaign.pk}:{unit.pk}:{clock.today()}",
            )
        )
    audit_record(actor=actor, action="self.remind", detail=f"{len(units)} 个单位，{sent} 条提醒")
    return sent
