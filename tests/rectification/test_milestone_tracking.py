"""The 9月15日 milestone: status per unit that must file, on time or late, scoped to who is looking."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_unit
from tests.rectification.test_review_support import add_milestone, add_problem, at, ledger_for
from zuofeng.accounts.models import User
from zuofeng.core import clock
from zuofeng.organisation.models import UnitKind
from zuofeng.rectification.models import ItemReview, Ledger, LedgerState
from zuofeng.rectification.selectors.milestone import FilingStatus, milestone_tracking
from zuofeng.rectification.services.review import ledger_review, ledger_submit

pytestmark = pytest.mark.django_db

DUE = dt.date(2018, 9, 15)


@pytest.fixture
def milestone(campaign):
    return add_milestone(campaign)


def _row(tracking, unit):
    return next(row for row in tracking.rows if row.unit.pk == unit.pk)


def _set(ledger, state, first=None, approved=None):
    Ledger.objects.filter(pk=ledger.pk).update(
        state=state, first_submitted_at=first, submitted_at=first, approved_at=approved
    )


def test_milestone_tracking_office_sees_every_unit_in_official_order(milestone, campaign, org, people):
    make_unit(name="无职能下属单位", kind=UnitKind.SUBORDINATE, parent=org.dept_b, order=9, code="D02X")
    make_unit(name="已撤销科室", kind=UnitKind.SECTION, parent=org.dept_b, order=8, code="D02S08", is_active=False)
    tracking = milestone_tracking(user=people.office, campaign=campaign, today=DUE)
    assert [row.unit.code for row in tracking.rows] == ["D01", "D01S01", "D01S01X", "D01S02", "D02", "D02S01"]
    assert tracking.due_on == DUE
    assert tracking.counts == {s: 0 for s in FilingStatus.values} | {FilingStatus.NOT_STARTED: 6}


def test_milestone_tracking_reviewer_sees_the_units_they_review(milestone, campaign, org, people):
    assert [r.unit.code for r in milestone_tracking(user=people.reviewer, campaign=campaign).rows] == [
        "D01S01",
        "D01S02",
    ]
    assert [r.unit.code for r in milestone_tracking(user=people.other_leader, campaign=campaign).rows] == ["D02S01"]
    assert milestone_tracking(user=people.own_clerk, campaign=campaign).rows == []


def test_milestone_tracking_each_status(milestone, campaign, org, people):
    empty = Ledger.objects.create(campaign=campaign, unit=org.dept_a)  # a list with no problems: not started
    drafting = ledger_for(campaign, org.section_a1)
    submitted = ledger_for(campaign, org.section_a2)
    returned = ledger_for(campaign, org.dept_b)
    approved = ledger_for(campaign, org.section_b1)
    _set(submitted, LedgerState.SUBMITTED, at(2018, 9, 14))
    _set(returned, LedgerState.RETURNED, at(2018, 9, 14))
    _set(approved, LedgerState.APPROVED, at(2018, 9, 14), at(2018, 9, 20))
    tracking = milestone_tracking(user=people.office, campaign=campaign, today=dt.date(2018, 9, 20))
    statuses = {row.unit.code: (row.status, row.late) for row in tracking.rows}
    assert statuses == {
        "D01": (FilingStatus.NOT_STARTED, True),
        "D01S01": (FilingStatus.DRAFTING, True),
        "D01S01X": (FilingStatus.NOT_STARTED, True),
        "D01S02": (FilingStatus.SUBMITTED, False),
        "D02": (FilingStatus.RETURNED, False),
        "D02S01": (FilingStatus.APPROVED, False),
    }
    assert tracking.counts == {
        "not_started": 2,
        "drafting": 1,
        "submitted": 1,
        "returned": 1,
        "approved": 1,
    }
    assert tracking.late_count == 3
    assert _row(tracking, org.dept_a).ledger_id == empty.pk
    assert _row(tracking, org.section_a1).days_late == 5
    assert _row(tracking, drafting.unit).status_label == "起草中"


def test_milestone_not_submitted_is_late_only_after_the_due_day(milestone, campaign, org, people):
    assert _row(milestone_tracking(user=people.office, campaign=campaign, today=DUE), org.section_a1).late is False
    late = _row(milestone_tracking(user=people.office, campaign=campaign, today=DUE + dt.timedelta(1)), org.section_a1)
    assert (late.late, late.days_late) == (True, 1)


@pytest.mark.parametrize(("moment", "late"), [(at(2018, 9, 15, 23, 59), False), (at(2018, 9, 16, 0, 0), True)])
def test_milestone_submission_boundary_in_beijing_time(milestone, campaign, org, people, moment, late):
    ledger = ledger_for(campaign, org.section_a1)
    with clock.frozen(moment):
        ledger_submit(actor=people.own_clerk, ledger=ledger)
        tracking = milestone_tracking(user=people.office, campaign=campaign)
    row = _row(tracking, org.section_a1)
    assert (row.status, row.late) == (FilingStatus.SUBMITTED, late)


def test_milestone_on_time_submission_approved_late_is_on_time(milestone, campaign, org, people):
    ledger = ledger_for(campaign, org.section_a1)
    problem = ledger.problems.get()
    with clock.frozen(at(2018, 9, 14)):
        ledger_submit(actor=people.own_clerk, ledger=ledger)
    with clock.frozen(at(2018, 9, 20)):
        ledger_review(actor=people.reviewer, ledger=ledger, decisions={problem.pk: (ItemReview.RETURNED, "不具体")})
        ledger.refresh_from_db()
        ledger_submit(actor=people.own_clerk, ledger=ledger)
        ledger_review(actor=people.reviewer, ledger=ledger, decisions={problem.pk: (ItemReview.APPROVED, "")})
        row = _row(milestone_tracking(user=people.office, campaign=campaign), org.section_a1)
    assert (row.status, row.late) == (FilingStatus.APPROVED, False)


def test_milestone_first_submitted_late_stays_late_after_approval(milestone, campaign, org, people):
    ledger = ledger_for(campaign, org.section_a1)
    _set(ledger, LedgerState.APPROVED, at(2018, 9, 17), at(2018, 9, 18))
    row = _row(milestone_tracking(user=people.office, campaign=campaign, today=dt.date(2018, 10, 1)), org.section_a1)
    assert (row.status, row.late, row.days_late) == (FilingStatus.APPROVED, True, 2)


def test_milestone_tracking_filters(milestone, campaign, org, people):
    ledger = ledger_for(campaign, org.section_a2)
    _set(ledger, LedgerState.SUBMITTED, at(2018, 9, 10))
    today = dt.date(2018, 9, 20)
    submitted = milestone_tracking(user=people.office, campaign=campaign, today=today, status=FilingStatus.SUBMITTED)
    assert [row.unit.code for row in submitted.rows] == ["D01S02"]
    assert submitted.total == 6
    late = milestone_tracking(user=people.office, campaign=campaign, today=today, late=True)
    assert [row.unit.code for row in late.rows] == ["D01", "D01S01", "D01S01X", "D02", "D02S01"]
    on_time = milestone_tracking(user=people.office, campaign=campaign, today=today, late=False)
    assert [row.unit.code for row in on_time.rows] == ["D01S02"]


def test_milestone_tracking_without_milestone_is_never_late(campaign, org, people):
    tracking = milestone_tracking(user=people.office, campaign=campaign, today=dt.date(2019, 1, 1))
    assert tracking.due_on is None
    assert tracking.late_count == 0


def _tracking_queries(user_pk, campaign) -> int:
    user = User.objects.get(pk=user_pk)
    with CaptureQueriesContext(connection) as ctx:
        tracking = milestone_tracking(user=user, campaign=campaign, today=DUE)
    return len(ctx), tracking.total


@pytest.mark.parametrize("who", ["office", "reviewer"])
def test_milestone_tracking_query_count_constant_for_3_and_30_units(milestone, campaign, org, people, who):
    def add(n, start):
        for i in range(start, start + n):
            unit = make_unit(name=f"科室{i}", kind=UnitKind.SECTION, parent=org.dept_a, order=10 + i, code=f"M{i:03d}")
            ledger = ledger_for(campaign, unit)
            add_problem(ledger, order=2)
            _set(ledger, LedgerState.SUBMITTED, at(2018, 9, 1))

    add(3, 0)
    few, few_total = _tracking_queries(getattr(people, who).pk, campaign)
    add(27, 3)
    many, many_total = _tracking_queries(getattr(people, who).pk, campaign)
    assert many_total - few_total == 27
    assert few == many
