"""Item-by-item review: approve, return with comment, mixed decisions, resubmission, and who may."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.rectification.test_review_support import add_problem
from zuofeng.audit.models import AuditEntry
from zuofeng.rectification.models import ItemReview, LedgerEvent, LedgerState, Light, Measure, MeasureState, Problem
from zuofeng.rectification.selectors.review import problems_to_review
from zuofeng.rectification.services.review import change_request_create, ledger_review, ledger_submit
from zuofeng.reminders.models import Reminder

pytestmark = pytest.mark.django_db

A, R = ItemReview.APPROVED, ItemReview.RETURNED


@pytest.fixture
def two_items(ledger, people):
    first, second = add_problem(ledger, order=1), add_problem(ledger, order=2, measures=2)
    ledger_submit(actor=people.own_clerk, ledger=ledger)
    return first, second


def test_ledger_review_approve_all_moves_measures_in_progress(ledger, people, two_items):
    first, second = two_items
    ledger_review(actor=people.reviewer, ledger=ledger, decisions={first.pk: (A, ""), second.pk: (A, "同意")})
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.APPROVED
    assert ledger.approved_at is not None
    assert set(Measure.objects.values_list("state", flat=True)) == {MeasureState.IN_PROGRESS}
    assert set(Measure.objects.values_list("light", flat=True)) != {Light.NONE}
    assert ledger.events.first().comment == "第2项：同意"
    notices = Reminder.objects.filter(title="整改清单已审核通过")
    assert list(notices.values_list("recipient__username", flat=True)) == ["clerk_a1"]


def test_ledger_review_return_needs_comment(ledger, people, two_items):
    first, second = two_items
    with pytest.raises(ValidationError) as error:
        ledger_review(actor=people.reviewer, ledger=ledger, decisions={first.pk: (A, ""), second.pk: (R, "  ")})
    assert error.value.messages == ["第2项问题退回时须填写审核意见。"]
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.SUBMITTED
    assert set(Problem.objects.values_list("review", flat=True)) == {ItemReview.PENDING}
    assert set(Measure.objects.values_list("state", flat=True)) == {MeasureState.PLANNED}


def test_ledger_review_mixed_decisions_return_the_list(ledger, people, two_items):
    first, second = two_items
    ledger_review(actor=people.reviewer, ledger=ledger, decisions={first.pk: (A, ""), second.pk: (R, "措施不具体")})
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.RETURNED
    assert ledger.events.first().comment == "第2项：措施不具体"
    assert dict(Problem.objects.values_list("order", "review")) == {1: A, 2: R}
    assert list(first.measures.values_list("state", flat=True)) == [MeasureState.IN_PROGRESS]
    assert list(second.measures.values_list("state", flat=True)) == [MeasureState.PLANNED, MeasureState.PLANNED]
    assert list(
        LedgerEvent.objects.filter(problem__isnull=False, measure__isnull=True)
        .order_by("id")
        .values_list("action", "comment")
    ) == [("problem.approved", ""), ("problem.returned", "措施不具体")]
    assert AuditEntry.objects.filter(action="problem.returned", object_id=str(second.pk)).count() == 1
    # the approved item is locked: changing it takes a change request; the returned one is edited directly
    locked = first.measures.get()
    assert change_request_create(actor=people.own_clerk, measure=locked, new_values={"text": "新措施"}, reason="调整")
    with pytest.raises(ValidationError, match="可直接在清单中修改"):
        change_request_create(
            actor=people.own_clerk, measure=second.measures.first(), new_values={"text": "新措施"}, reason="调整"
        )


def test_ledger_resubmit_after_mixed_review_shows_only_returned_item(ledger, people, two_items):
    first, second = two_items
    ledger_review(actor=people.reviewer, ledger=ledger, decisions={first.pk: (A, ""), second.pk: (R, "措施不具体")})
    ledger.refresh_from_db()
    ledger_submit(actor=people.own_clerk, ledger=ledger)
    assert [p.pk for p in problems_to_review(ledger=ledger)] == [second.pk]
    ledger_review(actor=people.reviewer, ledger=ledger, decisions={second.pk: (A, "")})
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.APPROVED
    assert set(Measure.objects.values_list("state", flat=True)) == {MeasureState.IN_PROGRESS}


def test_ledger_review_undecided_items_return_the_list(ledger, people, two_items):
    first, second = two_items
    ledger_review(actor=people.reviewer, ledger=ledger, decisions={first.pk: (A, "")})
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.RETURNED
    assert ledger.events.first().comment == "第2项：尚未审核，请重新提交。"
    assert Problem.objects.get(pk=second.pk).review == ItemReview.PENDING


@pytest.mark.parametrize(
    ("decisions", "message"),
    [
        ({}, "请至少对一项问题作出审核决定。"),
        ({999999: (A, "")}, "所审核的问题不在待审核之列，请刷新页面后重试。"),
        ("bad", "第1项问题的审核结果无效。"),
    ],
)
def test_ledger_review_bad_decisions_are_refused(ledger, people, two_items, decisions, message):
    if decisions == "bad":
        decisions = {two_items[0].pk: ("maybe", "")}
    with pytest.raises(ValidationError) as error:
        ledger_review(actor=people.reviewer, ledger=ledger, decisions=decisions)
    assert error.value.messages == [message]


def test_ledger_review_of_draft_is_refused(ledger, people):
    problem = add_problem(ledger, order=1)
    with pytest.raises(ValidationError, match="不在待审核状态"):
        ledger_review(actor=people.reviewer, ledger=ledger, decisions={problem.pk: (A, "")})


def test_ledger_review_by_office_is_allowed(ledger, people, two_items):
    first, second = two_items
    ledger_review(actor=people.office, ledger=ledger, decisions={first.pk: (A, ""), second.pk: (A, "")})
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.APPROVED


@pytest.mark.parametrize("who", ["own_clerk", "sibling_clerk", "other_leader", "sysadmin", "inspector"])
def test_ledger_review_by_others_is_denied(ledger, people, two_items, who):
    first, second = two_items
    with pytest.raises(PermissionDenied):
        ledger_review(actor=getattr(people, who), ledger=ledger, decisions={first.pk: (A, ""), second.pk: (A, "")})
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.SUBMITTED
    assert AuditEntry.objects.filter(action="ledger.review", result="denied").count() == 1


# ── the review page ────────────────────────────────────────────────────────


def test_ledger_review_page_lists_pending_items_with_measures(ledger, people, two_items, client_for):
    response = client_for(people.reviewer).get(f"/rectification/review/ledgers/{ledger.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "第1个问题的第1条措施" in body and "第2个问题的第2条措施" in body
    assert body.count('type="radio"') == 4


def test_ledger_review_page_mixed_post_returns_list(ledger, people, two_items, client_for):
    first, second = two_items
    data = {
        "version": ledger.version,
        f"decision_{first.pk}": A,
        f"decision_{second.pk}": R,
        f"comment_{second.pk}": "责任人不明确",
    }
    response = client_for(people.reviewer).post(f"/rectification/review/ledgers/{ledger.pk}/", data)
    assert response.status_code == 302
    assert response["Location"] == "/rectification/review/"
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.RETURNED
    assert Problem.objects.get(pk=second.pk).review_comment == "责任人不明确"


def test_ledger_review_page_approve_post(ledger, people, two_items, client_for):
    first, second = two_items
    data = {"version": ledger.version, f"decision_{first.pk}": A, f"decision_{second.pk}": A}
    client_for(people.reviewer).post(f"/rectification/review/ledgers/{ledger.pk}/", data)
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.APPROVED


def test_ledger_review_page_return_without_comment_keeps_input(ledger, people, two_items, client_for):
    first, second = two_items
    data = {"version": ledger.version, f"decision_{first.pk}": A, f"decision_{second.pk}": R}
    response = client_for(people.reviewer).post(f"/rectification/review/ledgers/{ledger.pk}/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "第2项问题退回时须填写审核意见。" in body
    assert f'value="returned" class="form-check-input" id="id_decision_{second.pk}_1" required checked' in body
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.SUBMITTED


def test_ledger_review_page_missing_decision_is_a_field_error(ledger, people, two_items, client_for):
    first, _ = two_items
    data = {"version": ledger.version, f"decision_{first.pk}": A}
    response = client_for(people.reviewer).post(f"/rectification/review/ledgers/{ledger.pk}/", data)
    assert "请选择第2项问题的审核结果。" in response.content.decode()


def test_ledger_review_page_stale_version_is_refused(ledger, people, two_items, client_for):
    first, second = two_items
    data = {"version": ledger.version - 1, f"decision_{first.pk}": A, f"decision_{second.pk}": A}
    response = client_for(people.reviewer).post(f"/rectification/review/ledgers/{ledger.pk}/", data)
    assert response.status_code == 200
    assert "该条目已被 clerk_a1姓名 于" in response.content.decode()
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.SUBMITTED


def test_ledger_review_page_service_error_shown(ledger, people, two_items, client_for):
    first, second = two_items
    type(ledger).objects.filter(pk=ledger.pk).update(state=LedgerState.RETURNED)
    data = {"version": ledger.version, f"decision_{first.pk}": A, f"decision_{second.pk}": A}
    response = client_for(people.reviewer).post(f"/rectification/review/ledgers/{ledger.pk}/", data)
    assert "清单当前状态为“已退回”，不在待审核状态。" in response.content.decode()


def test_ledger_review_page_when_not_submitted(ledger, people, client_for):
    response = client_for(people.reviewer).get(f"/rectification/review/ledgers/{ledger.pk}/")
    assert "该清单当前不在待审核状态" in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [("own_clerk", 403), ("sibling_clerk", 404), ("other_leader", 404)])
def test_ledger_review_page_refuses_non_reviewers(ledger, people, two_items, client_for, who, status):
    assert client_for(getattr(people, who)).get(f"/rectification/review/ledgers/{ledger.pk}/").status_code == status


# ── history ────────────────────────────────────────────────────────────────


def test_ledger_history_page_lists_every_step(ledger, people, two_items, client_for):
    first, second = two_items
    ledger_review(actor=people.reviewer, ledger=ledger, decisions={first.pk: (A, ""), second.pk: (R, "措施不具体")})
    response = client_for(people.own_clerk).get(f"/rectification/review/ledgers/{ledger.pk}/history/")
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "提交审核",
        "退回修改",
        "问题退回",
        "措施审定，开始整改",
        "待审核 → 已退回",
        "leader_a姓名",
        "clerk_a1姓名",
    ):
        assert text in body
    assert "措施不具体" in body


def test_ledger_history_page_hidden_from_other_units(ledger, people, client_for):
    assert (
        client_for(people.sibling_clerk).get(f"/rectification/review/ledgers/{ledger.pk}/history/").status_code == 404
    )
