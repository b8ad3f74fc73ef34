"""The state tables: every move, who may make it, and what it leaves behind."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock
from zuofeng.rectification.lights import light_for, planned_percent
from zuofeng.rectification.models import LedgerEvent, LedgerState, Light, MeasureState
from zuofeng.rectification.workflow import ledger_transition, measure_transition
from zuofeng.reminders.models import Reminder

pytestmark = pytest.mark.django_db


def test_ledger_submit_by_own_clerk_notifies_reviewer(ledger, people):
    ledger_transition(actor=people.own_clerk, ledger=ledger, to=LedgerState.SUBMITTED)
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.SUBMITTED
    assert ledger.version == 2
    assert LedgerEvent.objects.get(ledger=ledger).action == "ledger.submit"
    assert AuditEntry.objects.filter(action="ledger.submitted", object_id=str(ledger.pk)).count() == 1
    assert list(Reminder.objects.values_list("recipient__username", flat=True)) == ["leader_a"]


def test_ledger_submit_twice_is_refused_as_repeated(ledger, people):
    ledger_transition(actor=people.own_clerk, ledger=ledger, to=LedgerState.SUBMITTED)
    with pytest.raises(ValidationError, match="请勿重复提交"):
        ledger_transition(actor=people.own_clerk, ledger=ledger, to=LedgerState.SUBMITTED)
    assert LedgerEvent.objects.filter(ledger=ledger).count() == 1


@pytest.mark.parametrize("who", ["sibling_clerk", "other_leader", "reviewer", "office", "sysadmin"])
def test_ledger_submit_by_others_is_denied(ledger, people, who):
    with pytest.raises(PermissionDenied):
        ledger_transition(actor=getattr(people, who), ledger=ledger, to=LedgerState.SUBMITTED)
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.DRAFT
    assert AuditEntry.objects.filter(action="ledger.submit", result="denied").count() == 1


def test_ledger_return_needs_comment_and_reviewer(ledger, people):
    ledger_transition(actor=people.own_clerk, ledger=ledger, to=LedgerState.SUBMITTED)
    with pytest.raises(PermissionDenied):
        ledger_transition(actor=people.own_clerk, ledger=ledger, to=LedgerState.RETURNED, comment="x")
    with pytest.raises(ValidationError):
        ledger_transition(actor=people.reviewer, ledger=ledger, to=LedgerState.RETURNED, comment=" ")
    ledger_transition(actor=people.reviewer, ledger=ledger, to=LedgerState.RETURNED, comment="措施不具体")
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.RETURNED
    assert ledger.events.first().comment == "措施不具体"


def test_ledger_draft_cannot_be_approved(ledger, people):
    with pytest.raises(ValidationError, match="不能变为"):
        ledger_transition(actor=people.reviewer, ledger=ledger, to=LedgerState.APPROVED)


def test_measure_close_out_cycle(problem_with_measure, people):
    _, measure = problem_with_measure
    with clock.frozen(dt.date(2018, 10, 1)):
        measure_transition(actor=people.reviewer, measure=measure, to=MeasureState.IN_PROGRESS)
        measure_transition(actor=people.own_clerk, measure=measure, to=MeasureState.CLOSE_REQUESTED)
        with pytest.raises(PermissionDenied):
            measure_transition(actor=people.own_clerk, measure=measure, to=MeasureState.CLOSED)
        measure_transition(actor=people.reviewer, measure=measure, to=MeasureState.CLOSED)
    measure.refresh_from_db()
    assert (measure.state, measure.percent, measure.closed_on, measure.light) == (
        MeasureState.CLOSED,
        100,
        dt.date(2018, 10, 1),
        Light.CLOSED,
    )
    with pytest.raises(ValidationError):
        measure_transition(actor=people.office, measure=measure, to=MeasureState.IN_PROGRESS)
    measure_transition(actor=people.office, measure=measure, to=MeasureState.IN_PROGRESS, comment="督查发现未整改到位")
    measure.refresh_from_db()
    assert measure.closed_on is None
    assert measure.state == MeasureState.IN_PROGRESS


LIMITS = {"yellow_behind": 10, "red_behind": 30, "due_soon_days": 7, "ongoing_report_days": 30}
START, DEADLINE = dt.date(2018, 9, 1), dt.date(2018, 12, 10)  # 100 days


@pytest.mark.parametrize(
    ("today", "percent", "expected"),
    [
        (dt.date(2018, 10, 11), 40, Light.GREEN),  # planned 40, behind 0
        (dt.date(2018, 10, 11), 31, Light.GREEN),  # behind 9
        (dt.date(2018, 10, 11), 30, Light.YELLOW),  # behind 10
        (dt.date(2018, 10, 11), 10, Light.YELLOW),  # behind 30
        (dt.date(2018, 10, 11), 9, Light.RED),  # behind 31
        (dt.date(2018, 12, 3), 100, Light.YELLOW),  # due in 7 days, not closed
        (dt.date(2018, 12, 2), 92, Light.GREEN),  # due in 8 days, on schedule
        (dt.date(2018, 12, 11), 100, Light.RED),  # overdue, not closed
    ],
)
def test_light_thresholds(today, percent, expected):
    light = light_for(
        state=MeasureState.IN_PROGRESS,
        percent=percent,
        starts_on=START,
        deadline=DEADLINE,
        is_ongoing=False,
        last_progress_on=None,
        today=today,
        limits=LIMITS,
    )
    assert light == expected


def test_planned_percent_pro_rata():
    assert planned_percent(starts_on=START, deadline=DEADLINE, today=dt.date(2018, 10, 11)) == 40.0
    assert planned_percent(starts_on=START, deadline=DEADLINE, today=dt.date(2018, 8, 1)) == 0.0


def test_planned_percent_in_working_days_skips_national_day():
    # 2018: Sat 29 and Sun 30 September were 调休 working days, 1–7 October holidays.
    # From Fri 28 Sep to 10 Oct there are 5 working days (29, 30 Sep; 8, 9, 10 Oct); 2 have passed by 7 Oct.
    assert planned_percent(
        starts_on=dt.date(2018, 9, 28), deadline=dt.date(2018, 10, 10), today=dt.date(2018, 10, 7), working_days=True
    ) == pytest.approx(40.0)
    assert planned_percent(
        starts_on=dt.date(2018, 9, 28), deadline=dt.date(2018, 10, 10), today=dt.date(2018, 10, 7), working_days=False
    ) == pytest.approx(75.0)
