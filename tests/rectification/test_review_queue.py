"""The reviewer's queue: only the units they review, oldest first, with changes and close-out requests."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_unit
from tests.rectification.test_review_support import add_problem, at, ledger_for
from zuofeng.accounts.models import Role, RoleAssignment, User
from zuofeng.core import clock
from zuofeng.organisation.models import UnitKind
from zuofeng.rectification.models import ChangeRequest, Ledger, LedgerState, Measure, MeasureState
from zuofeng.rectification.selectors.review import review_queue, review_waiting

pytestmark = pytest.mark.django_db


def _submitted(campaign, unit, when):
    ledger = ledger_for(campaign, unit)
    Ledger.objects.filter(pk=ledger.pk).update(state=LedgerState.SUBMITTED, submitted_at=when, first_submitted_at=when)
    return ledger


@pytest.fixture
def queue_data(campaign, org):
    return {
        "a1": _submitted(campaign, org.section_a1, at(2018, 9, 10)),
        "a2": _submitted(campaign, org.section_a2, at(2018, 9, 5)),
        "b1": _submitted(campaign, org.section_b1, at(2018, 9, 6)),
        "dept_a": _submitted(campaign, org.dept_a, at(2018, 9, 7)),
        "sub": ledger_for(campaign, org.sub_a1x),
    }


def _units(rows):
    return [row.unit.code for row in rows]


def test_review_queue_reviewer_sees_own_reviewees_oldest_first(queue_data, people):
    with clock.frozen(dt.date(2018, 9, 15)):
        queue = review_queue(user=people.reviewer)
    assert _units(queue["ledgers"]) == ["D01S02", "D01S01"]
    assert [row.waiting_days for row in queue["ledgers"]] == [10, 5]
    assert [row.pending_count for row in queue["ledgers"]] == [1, 1]


def test_review_queue_other_leader_sees_only_their_units(queue_data, people, campaign):
    assert _units(review_queue(user=people.other_leader)["ledgers"]) == ["D02S01"]
    assert _units(review_queue(user=people.other_leader, campaign=campaign)["ledgers"]) == ["D02S01"]


def test_review_queue_office_reviews_top_level_units(queue_data, people):
    assert _units(review_queue(user=people.office)["ledgers"]) == ["D01"]


@pytest.mark.parametrize("who", ["own_clerk", "sibling_clerk", "sysadmin", "inspector"])
def test_review_queue_empty_for_non_reviewers(queue_data, people, who):
    queue = review_queue(user=getattr(people, who))
    assert (queue["ledgers"], queue["changes"], queue["closes"]) == ([], [], [])


def test_review_queue_lists_change_and_close_requests(queue_data, people):
    problem = queue_data["a1"].problems.get()
    measure = problem.measures.get()
    change = ChangeRequest.objects.create(
        measure=measure, requested_by=people.own_clerk, reason="延期", old_values={}, new_values={}
    )
    other = add_problem(queue_data["a2"], order=2).measures.get()
    Measure.objects.filter(pk=other.pk).update(state=MeasureState.CLOSE_REQUESTED)
    queue = review_queue(user=people.reviewer)
    assert [c.pk for c in queue["changes"]] == [change.pk]
    assert [m.pk for m in queue["closes"]] == [other.pk]
    assert (queue["change_total"], queue["close_total"]) == (1, 1)
    assert review_queue(user=people.other_leader)["changes"] == []
    assert review_queue(user=people.other_leader)["closes"] == []


def test_review_queue_page_links(queue_data, people, client_for):
    measure = queue_data["a2"].problems.get().measures.get()
    Measure.objects.filter(pk=measure.pk).update(state=MeasureState.CLOSE_REQUESTED)
    response = client_for(people.reviewer).get("/rectification/review/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'href="/rectification/review/ledgers/{queue_data["a1"].pk}/"' in body
    assert f'href="/rectification/measures/{measure.pk}/"' in body
    assert f"/rectification/review/ledgers/{queue_data['b1'].pk}/" not in body


@pytest.mark.parametrize("who", ["own_clerk", "sysadmin"])
def test_review_queue_page_refused_to_non_reviewers(people, client_for, who):
    assert client_for(getattr(people, who)).get("/rectification/review/").status_code == 403


def _queue_queries(user_pk, client_for) -> int:
    client = client_for(User.objects.get(pk=user_pk))
    client.get("/rectification/review/")  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/rectification/review/").status_code == 200
    return len(ctx)


def test_review_queue_query_count_constant_for_3_and_30_units(campaign, org, people, client_for):
    def add(n, start):
        for i in range(start, start + n):
            unit = make_unit(name=f"科室{i}", kind=UnitKind.SECTION, parent=org.dept_a, order=10 + i, code=f"Q{i:03d}")
            _submitted(campaign, unit, at(2018, 9, 1))

    add(3, 0)
    few = _queue_queries(people.reviewer.pk, client_for)
    add(27, 3)
    many = _queue_queries(people.reviewer.pk, client_for)
    assert len(review_queue(user=User.objects.get(pk=people.reviewer.pk))["ledgers"]) == 30
    assert few == many


def test_home_count_matches_the_queue_and_leaves_out_own_units(queue_data, people, campaign):
    problem = queue_data["a1"].problems.get()
    ChangeRequest.objects.create(
        measure=problem.measures.get(), requested_by=people.own_clerk, reason="延期", old_values={}, new_values={}
    )
    closing = add_problem(queue_data["a2"], order=2).measures.get()
    Measure.objects.filter(pk=closing.pk).update(state=MeasureState.CLOSE_REQUESTED)
    with clock.frozen(dt.date(2018, 9, 15)):
        assert review_waiting(user=people.reviewer) == {"waiting": 4, "oldest_days": 10}
        # the reviewer also fills in 预算科's list: neither it nor its change request is theirs to review
        RoleAssignment.objects.create(user=people.reviewer, role=Role.SECTION_CLERK, unit=problem.unit)
        reviewer = User.objects.get(pk=people.reviewer.pk)
        queue = review_queue(user=reviewer)
        assert (_units(queue["ledgers"]), queue["changes"], [m.pk for m in queue["closes"]]) == (
            ["D01S02"],
            [],
            [closing.pk],
        )
        assert review_waiting(user=reviewer) == {"waiting": 2, "oldest_days": 10}
    assert review_waiting(user=people.own_clerk) == {"waiting": 0, "oldest_days": None}


def test_home_count_follows_a_unit_put_under_the_reviewer(queue_data, people, campaign, org):
    """The count's query is compiled once per person and what shapes it (roles, units they see): a
    unit put under the reviewer is counted on the next read."""
    from zuofeng.organisation.models import Unit

    def waiting() -> int:
        return review_waiting(user=User.objects.get(pk=people.reviewer.pk), campaign=campaign)["waiting"]

    with clock.frozen(dt.date(2018, 9, 15)):
        before = waiting()
        _submitted(campaign, org.dept_b, at(2018, 9, 12))
        assert waiting() == before
        Unit.objects.filter(pk=org.dept_b.pk).update(reviewer=org.dept_a)
        assert waiting() == before + 1
        assert waiting() == before + 1
