"""Submitting a list: checks before submitting, who may, double clicks, the submit button's view."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError

from tests.rectification.test_review_support import add_problem
from zuofeng.audit.models import AuditEntry
from zuofeng.rectification.models import ItemReview, LedgerEvent, LedgerState, Problem
from zuofeng.rectification.services.review import ledger_submit

pytestmark = pytest.mark.django_db


def test_ledger_submit_empty_ledger_is_refused(ledger, people):
    with pytest.raises(ValidationError, match="清单中还没有问题"):
        ledger_submit(actor=people.own_clerk, ledger=ledger)
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.DRAFT


def test_ledger_submit_problem_without_measure_names_its_order(ledger, people):
    add_problem(ledger, order=1)
    add_problem(ledger, order=2, measures=0)
    add_problem(ledger, order=3, measures=0)
    with pytest.raises(ValidationError) as error:
        ledger_submit(actor=people.own_clerk, ledger=ledger)
    assert error.value.messages == ["第2、3项问题尚未制定整改措施，请补充后再提交。"]
    assert LedgerEvent.objects.count() == 0


def test_ledger_submit_by_own_clerk_moves_to_submitted(problem_with_measure, ledger, people):
    ledger_submit(actor=people.own_clerk, ledger=ledger)
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.SUBMITTED
    assert list(LedgerEvent.objects.values_list("action", "from_state", "to_state")) == [
        ("ledger.submit", "draft", "submitted")
    ]


def test_ledger_submit_twice_creates_one_event(problem_with_measure, ledger, people):
    ledger_submit(actor=people.own_clerk, ledger=ledger)
    with pytest.raises(ValidationError, match="请勿重复提交"):
        ledger_submit(actor=people.own_clerk, ledger=ledger)
    assert LedgerEvent.objects.filter(ledger=ledger).count() == 1


@pytest.mark.parametrize("who", ["sibling_clerk", "other_leader", "reviewer", "office", "sysadmin"])
def test_ledger_submit_by_others_is_denied_and_recorded(problem_with_measure, ledger, people, who):
    with pytest.raises(PermissionDenied):
        ledger_submit(actor=getattr(people, who), ledger=ledger)
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.DRAFT
    assert AuditEntry.objects.filter(action="ledger.submit", result="denied").count() == 1


def test_ledger_resubmit_resets_returned_items_to_pending(ledger, people):
    kept = add_problem(ledger, order=1)
    returned = add_problem(ledger, order=2)
    ledger_submit(actor=people.own_clerk, ledger=ledger)
    Problem.objects.filter(pk=kept.pk).update(review=ItemReview.APPROVED)
    Problem.objects.filter(pk=returned.pk).update(review=ItemReview.RETURNED, review_comment="措施不具体")
    Ledger = type(ledger)
    Ledger.objects.filter(pk=ledger.pk).update(state=LedgerState.RETURNED)
    ledger.refresh_from_db()
    ledger_submit(actor=people.own_clerk, ledger=ledger)
    assert dict(Problem.objects.values_list("order", "review")) == {1: ItemReview.APPROVED, 2: ItemReview.PENDING}
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.SUBMITTED


def test_ledger_submit_view_redirects_to_ledger_page_with_message(problem_with_measure, ledger, people, client_for):
    response = client_for(people.own_clerk).post(f"/rectification/review/ledgers/{ledger.pk}/submit/")
    assert response.status_code == 302
    assert response["Location"] == f"/rectification/ledgers/{ledger.pk}/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["整改清单已提交，等待审核单位审核。"]
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.SUBMITTED


def test_ledger_submit_view_shows_validation_message(ledger, people, client_for):
    response = client_for(people.own_clerk).post(f"/rectification/review/ledgers/{ledger.pk}/submit/")
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "清单中还没有问题，请先查摆问题、制定整改措施后再提交。"
    ]


def test_ledger_submit_view_double_post_gives_one_submission(problem_with_measure, ledger, people, client_for):
    client = client_for(people.own_clerk)
    client.post(f"/rectification/review/ledgers/{ledger.pk}/submit/")
    response = client.post(f"/rectification/review/ledgers/{ledger.pk}/submit/")
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == "清单已提交，正在等待审核，请勿重复提交。"
    assert LedgerEvent.objects.filter(ledger=ledger).count() == 1


@pytest.mark.parametrize(("who", "status"), [("sibling_clerk", 404), ("other_leader", 404), ("reviewer", 403)])
def test_ledger_submit_view_refuses_others(problem_with_measure, ledger, people, client_for, who, status):
    response = client_for(getattr(people, who)).post(f"/rectification/review/ledgers/{ledger.pk}/submit/")
    assert response.status_code == status
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.DRAFT


def test_ledger_submit_view_needs_post_and_login(ledger, people, client, client_for):
    assert client_for(people.own_clerk).get(f"/rectification/review/ledgers/{ledger.pk}/submit/").status_code == 405
    assert client.post(f"/rectification/review/ledgers/{ledger.pk}/submit/").status_code == 302
