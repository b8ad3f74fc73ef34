"""Change requests to approved (locked) measures: create, approve, reject; the old version stays visible."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string

from zuofeng.audit.models import AuditEntry
from zuofeng.rectification.models import ChangeRequest, ChangeState, ItemReview, LedgerEvent, Measure, MeasureState
from zuofeng.rectification.services.review import (
    change_request_create,
    change_request_decide,
    ledger_review,
    ledger_submit,
)
from zuofeng.reminders.models import Reminder

pytestmark = pytest.mark.django_db

NEW_DEADLINE = {"deadline": dt.date(2018, 11, 30)}


@pytest.fixture
def approved(problem_with_measure, ledger, people):
    problem, measure = problem_with_measure
    ledger_submit(actor=people.own_clerk, ledger=ledger)
    ledger_review(actor=people.reviewer, ledger=ledger, decisions={problem.pk: (ItemReview.APPROVED, "")})
    measure.refresh_from_db()
    return measure


def _request(people, measure, values=None, reason="工程量大，需延期"):
    return change_request_create(
        actor=people.own_clerk, measure=measure, new_values=values or NEW_DEADLINE, reason=reason
    )


def test_change_request_create_keeps_old_and_new_values(approved, people):
    change = _request(people, approved)
    assert change.state == ChangeState.PENDING
    assert change.new_values == {"deadline": "2018-11-30"}
    assert change.old_values["deadline"] == "2018-10-16"
    assert change.old_values["text"] == "实行首问负责制，一次告知办理要求"
    approved.refresh_from_db()
    assert approved.deadline == dt.date(2018, 10, 16)
    assert LedgerEvent.objects.filter(action="change.request", measure=approved).count() == 1
    assert list(
        Reminder.objects.filter(object_type="rectification.changerequest").values_list("recipient__username", flat=True)
    ) == ["leader_a"]


def test_change_request_second_pending_is_refused(approved, people):
    _request(people, approved)
    with pytest.raises(ValidationError) as error:
        _request(people, approved, {"text": "另一项修改"})
    assert error.value.messages == ["该措施已有一项变更申请正在审核，请等待审核结果后再申请。"]
    assert ChangeRequest.objects.count() == 1


def test_change_request_for_unapproved_measure_is_refused(problem_with_measure, people):
    _, measure = problem_with_measure
    with pytest.raises(ValidationError, match="尚未审核通过"):
        _request(people, measure)


def test_change_request_for_closed_measure_is_refused(approved, people):
    Measure.objects.filter(pk=approved.pk).update(state=MeasureState.CLOSED)
    with pytest.raises(ValidationError, match="已销号"):
        _request(people, approved)


@pytest.mark.parametrize(
    ("values", "reason", "message"),
    [
        (NEW_DEADLINE, " ", "请填写变更理由。"),
        ({"deadline": dt.date(2018, 10, 16)}, "理由", "没有修改任何内容，无需申请变更。"),
        ({"is_ongoing": True}, "理由", "长期坚持的措施不填完成时限。"),
        ({"deadline": dt.date(2018, 9, 1)}, "理由", "完成时限不能早于开始日期。"),
        ({"deadline": None}, "理由", "请填写完成时限，或勾选“长期坚持”。"),
        ({"text": ""}, "理由", "请填写整改措施。"),
    ],
)
def test_change_request_bad_values_are_refused(approved, people, values, reason, message):
    with pytest.raises(ValidationError) as error:
        _request(people, approved, values, reason)
    assert error.value.messages == [message]


def test_change_request_to_ongoing_is_accepted(approved, people):
    change = _request(people, approved, {"is_ongoing": True, "deadline": None})
    assert change.new_values == {"is_ongoing": True, "deadline": None}


@pytest.mark.parametrize("who", ["sibling_clerk", "reviewer", "other_leader", "office", "sysadmin"])
def test_change_request_by_non_editors_is_denied(approved, people, who):
    with pytest.raises(PermissionDenied):
        change_request_create(actor=getattr(people, who), measure=approved, new_values=NEW_DEADLINE, reason="x")
    assert AuditEntry.objects.filter(action="measure.request_change", result="denied").count() == 1


def test_change_request_approve_applies_values(approved, people):
    change = _request(people, approved, {**NEW_DEADLINE, "key_area": approved.campaign.key_areas.get()})
    version = approved.version
    change_request_decide(actor=people.reviewer, change=change, approve=True, comment="同意延期")
    approved.refresh_from_db()
    change.refresh_from_db()
    assert (approved.deadline, approved.key_area.name, approved.version) == (
        dt.date(2018, 11, 30),
        "高效服务",
        version + 1,
    )
    assert change.state == ChangeState.APPROVED
    assert change.old_values["deadline"] == "2018-10-16"
    entry = AuditEntry.objects.get(action="measure.change")
    assert (entry.before["deadline"], entry.after["deadline"]) == ("2018-10-16", "2018-11-30")
    assert Reminder.objects.filter(title="整改措施变更申请已同意", recipient=people.own_clerk).count() == 1


def test_change_request_reject_keeps_measure(approved, people):
    change = _request(people, approved)
    with pytest.raises(ValidationError, match="不同意变更时须填写理由"):
        change_request_decide(actor=people.reviewer, change=change, approve=False, comment="")
    change_request_decide(actor=people.reviewer, change=change, approve=False, comment="时限不宜延后")
    approved.refresh_from_db()
    change.refresh_from_db()
    assert approved.deadline == dt.date(2018, 10, 16)
    assert (change.state, change.decision_comment) == (ChangeState.REJECTED, "时限不宜延后")
    # after a decision a new request may be made
    assert _request(people, approved).state == ChangeState.PENDING


def test_change_request_decided_twice_is_refused(approved, people):
    change = _request(people, approved)
    change_request_decide(actor=people.reviewer, change=change, approve=True)
    with pytest.raises(ValidationError, match="请勿重复审核"):
        change_request_decide(actor=people.office, change=change, approve=True)


@pytest.mark.parametrize("who", ["own_clerk", "sibling_clerk", "other_leader", "sysadmin"])
def test_change_request_decide_by_others_is_denied(approved, people, who):
    change = _request(people, approved)
    with pytest.raises(PermissionDenied):
        change_request_decide(actor=getattr(people, who), change=change, approve=True)
    change.refresh_from_db()
    assert change.state == ChangeState.PENDING


def test_change_history_partial_shows_old_and_new(approved, people):
    change = _request(people, approved, {**NEW_DEADLINE, "responsible_unit": approved.unit})
    change_request_decide(actor=people.reviewer, change=change, approve=True)
    html = render_to_string("rectification/review/_changes.html", {"measure": approved})
    assert "2018年10月16日" in html and "2018年11月30日" in html
    assert "完成时限" in html and "责任单位" in html and "（空）" in html and "预算科" in html
    assert "已同意" in html


# ── pages ──────────────────────────────────────────────────────────────────


def test_change_new_page_is_prefilled(approved, people, client_for):
    response = client_for(people.own_clerk).get(f"/rectification/review/changes/new/{approved.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="2018-10-16"' in body and "实行首问负责制，一次告知办理要求" in body


def _form_data(measure, **overrides):
    data = {
        "version": measure.version,
        "text": measure.text,
        "standard": measure.standard,
        "responsible_leader": measure.responsible_leader,
        "starts_on": "2018-09-16",
        "deadline": "2018年11月30日",
        "reason": "需延期",
    }
    data.update(overrides)
    return data


def test_change_new_page_creates_request_from_chinese_date(approved, people, client_for):
    response = client_for(people.own_clerk).post(
        f"/rectification/review/changes/new/{approved.pk}/", _form_data(approved)
    )
    assert response.status_code == 302
    assert response["Location"] == f"/rectification/measures/{approved.pk}/"
    assert ChangeRequest.objects.get().new_values == {"deadline": "2018-11-30"}


def test_change_new_page_bad_date_keeps_input(approved, people, client_for):
    data = _form_data(approved, deadline="2018年13月40日", reason="")
    response = client_for(people.own_clerk).post(f"/rectification/review/changes/new/{approved.pk}/", data)
    body = response.content.decode()
    assert "完成时限不是有效日期" in body and "请填写变更理由。" in body
    assert 'value="2018年13月40日"' in body
    assert ChangeRequest.objects.count() == 0


def test_change_new_page_second_request_shows_message(approved, people, client_for):
    _request(people, approved)
    response = client_for(people.own_clerk).post(
        f"/rectification/review/changes/new/{approved.pk}/", _form_data(approved)
    )
    assert "该措施已有一项变更申请正在审核" in response.content.decode()


def test_change_new_page_stale_version_is_refused(approved, people, client_for):
    data = _form_data(approved, version=approved.version - 1)
    response = client_for(people.own_clerk).post(f"/rectification/review/changes/new/{approved.pk}/", data)
    assert "该条目已被 leader_a姓名 于" in response.content.decode()
    assert ChangeRequest.objects.count() == 0


@pytest.mark.parametrize(("who", "status"), [("sibling_clerk", 404), ("reviewer", 403)])
def test_change_new_page_refuses_non_editors(approved, people, client_for, who, status):
    assert (
        client_for(getattr(people, who)).get(f"/rectification/review/changes/new/{approved.pk}/").status_code == status
    )


def test_change_decide_page_shows_rows_and_approves(approved, people, client_for):
    change = _request(people, approved)
    client = client_for(people.reviewer)
    body = client.get(f"/rectification/review/changes/{change.pk}/").content.decode()
    assert "2018年10月16日" in body and "2018年11月30日" in body and 'name="approve"' in body
    response = client.post(f"/rectification/review/changes/{change.pk}/", {"approve": "1", "comment": ""})
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.deadline == dt.date(2018, 11, 30)


def test_change_decide_page_reject_needs_comment(approved, people, client_for):
    change = _request(people, approved)
    response = client_for(people.reviewer).post(f"/rectification/review/changes/{change.pk}/", {"approve": "0"})
    assert "不同意变更时须填写理由。" in response.content.decode()
    change.refresh_from_db()
    assert change.state == ChangeState.PENDING


def test_change_decide_page_clerk_sees_but_cannot_decide(approved, people, client_for):
    change = _request(people, approved)
    client = client_for(people.own_clerk)
    assert 'name="approve"' not in client.get(f"/rectification/review/changes/{change.pk}/").content.decode()
    assert client.post(f"/rectification/review/changes/{change.pk}/", {"approve": "1"}).status_code == 403
    assert client_for(people.sibling_clerk).get(f"/rectification/review/changes/{change.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"deadline": "明年"}, "完成时限不是有效日期"),
        ({"is_ongoing": "on"}, "长期坚持的措施不填完成时限。"),
        ({"deadline": ""}, "请填写完成时限，或勾选“长期坚持”。"),
        ({"deadline": "2018/9/1"}, "完成时限不能早于开始日期。"),
        ({"starts_on": ""}, "请填写开始日期。"),
    ],
)
def test_change_new_page_field_errors(approved, people, client_for, overrides, message):
    data = _form_data(approved, **overrides)
    response = client_for(people.own_clerk).post(f"/rectification/review/changes/new/{approved.pk}/", data)
    assert message in response.content.decode()
    assert ChangeRequest.objects.count() == 0


def test_change_decide_page_already_decided_shows_message(approved, people, client_for):
    change = _request(people, approved)
    client = client_for(people.reviewer)
    client.post(f"/rectification/review/changes/{change.pk}/", {"approve": "1"})
    response = client.post(f"/rectification/review/changes/{change.pk}/", {"approve": "0", "comment": "再议"})
    assert "该变更申请已同意，请勿重复审核。" in response.content.decode()


def test_change_rows_mark_deleted_references(approved, people):
    from zuofeng.rectification.selectors.review import change_rows

    change = ChangeRequest(
        measure=approved, reason="x", old_values={"responsible_unit": None}, new_values={"responsible_unit": 999999}
    )
    assert change_rows([change])[0].rows == [("责任单位", "（空）", "（已删除）")]
