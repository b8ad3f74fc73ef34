"""The work order: 派单 with a deadline in working days, 签收, 退单, 延期, 答复, check, rating, 重办, 办结;
a concluded complaint that revealed an obstruction becomes a 群众提 problem in the unit's list."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.complaints.conftest import file_report
from zuofeng.audit.models import AuditEntry, AuditResult
from zuofeng.complaints.models import ComplaintState as S
from zuofeng.complaints.selectors.cases import complaint_light, complaints_for
from zuofeng.complaints.services.public import complaint_rate
from zuofeng.complaints.workflow import complaint_transition
from zuofeng.rectification.models import Problem
from zuofeng.reminders.models import Reminder

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(campaign, org, monday):
    complaint, _ = file_report(unit=str(org.dept_a.pk), photo=False)
    return complaint


def move(actor, complaint, to, **fields):
    return complaint_transition(actor=actor, complaint=complaint, to=to, **fields)


def test_dispatch_sets_ten_working_days_and_one_to_sign(received, org, people):
    move(people.office, received, S.DISPATCHED, unit=org.dept_a)
    assert (received.state, received.unit, received.dispatched_on) == (S.DISPATCHED, org.dept_a, dt.date(2018, 10, 15))
    assert received.sign_due == dt.date(2018, 10, 16)
    assert received.deadline == dt.date(2018, 10, 29)  # ten working days after Monday 15 October
    reminder = Reminder.objects.get(recipient=people.reviewer)
    assert reminder.title == f"派单：群众反映 {received.code}（投诉），请在 1 个工作日内签收"


def test_a_suggestion_gets_fifteen_working_days(campaign, org, people, monday):
    complaint, _ = file_report(kind="suggestion", photo=False)
    move(people.office, complaint, S.DISPATCHED, unit=org.dept_b)
    assert complaint.deadline == dt.date(2018, 11, 5)


def test_the_whole_order_from_dispatch_to_conclusion_with_one_redo(received, org, people, campaign):
    leader = people.reviewer
    move(people.office, received, S.DISPATCHED, unit=org.dept_a)
    move(leader, received, S.HANDLING)
    assert received.signed_at is not None
    move(leader, received, S.EXTENSION_REQUESTED, comment="需要调取监控", extension_until=dt.date(2018, 11, 2))
    move(people.office, received, S.HANDLING, granted=True, comment="同意")
    assert received.deadline == dt.date(2018, 11, 2)
    move(leader, received, S.REPLIED, reply="经查属实，已对窗口人员批评教育，并实行一次性告知。")
    move(people.office, received, S.ANSWERED)
    complaint_rate(complaint=received, rating="unsatisfied", comment="还是没解决")
    assert received.state == S.RATED
    move(people.office, received, S.HANDLING, comment="请当面回访并办结事项")
    assert (received.redo_count, received.rating, received.deadline) == (1, "", dt.date(2018, 10, 29))
    move(leader, received, S.REPLIED, reply="已当面回访，事项当场办结，群众表示认可。")
    move(people.office, received, S.ANSWERED)
    complaint_rate(complaint=received, rating="satisfied", comment="")
    duty = campaign.categories.get(key="duty")
    move(people.office, received, S.CONCLUDED, obstruction_category=duty)

    assert (received.state, received.concluded_on) == (S.CONCLUDED, dt.date(2018, 10, 15))
    problem = Problem.objects.get(pk=received.problem_id)
    assert (problem.unit_id, problem.origin, problem.source.kind) == (org.dept_a.pk, "群众提", "public")
    assert problem.source_detail == f"群众反映 {received.code}"
    assert problem.description == received.text
    assert [e.action for e in received.events.all()] == [
        "群众提交反映",
        "派单：区财政局，2018-10-29 前答复",
        "签收",
        "申请延期至 2018-11-02",
        "审批延期：同意，办理期限 2018-11-02",
        "答复",
        "答复审核通过",
        "群众评价：不满意",
        "重办（第 1 次），2018-10-29 前答复",
        "答复",
        "答复审核通过",
        "群众评价：满意",
        "办结",
    ]


def test_an_accepted_return_takes_the_case_back_from_the_unit(received, org, people):
    move(people.office, received, S.DISPATCHED, unit=org.dept_b)
    move(people.other_leader, received, S.RETURN_REQUESTED, comment="不属于本单位职责（三定方案第三条）")
    move(people.office, received, S.RECEIVED)
    assert (received.unit, received.deadline) == (None, None)
    assert not complaints_for(people.other_leader).filter(pk=received.pk).exists()


@pytest.mark.parametrize(
    ("to", "message"),
    [
        (S.DECLINED, "请填写不予受理的理由（群众可见），如属于诉讼、信访或纪检监察事项。"),
        (S.DISPATCHED, "请选择承办单位。"),
        (S.MERGED, "请填写要合并到的另一件反映的查询码。"),
    ],
)
def test_a_move_missing_what_it_needs_is_refused_and_nothing_changes(received, people, to, message):
    with pytest.raises(ValidationError) as refused:
        move(people.office, received, to)
    assert message in refused.value.messages
    received.refresh_from_db()
    assert (received.state, received.version) == (S.RECEIVED, 1)


def test_a_move_not_in_the_table_is_refused(received, people):
    with pytest.raises(ValidationError, match="当前状态为“待受理”，不能变为“已办结”。"):
        move(people.office, received, S.CONCLUDED)


def test_another_unit_cannot_sign_and_the_refusal_is_audited(received, org, people):
    move(people.office, received, S.DISPATCHED, unit=org.dept_a)
    with pytest.raises(PermissionDenied):
        move(people.other_leader, received, S.HANDLING)
    assert AuditEntry.objects.filter(action="complaint.handle", result=AuditResult.DENIED).count() == 1


def test_the_unit_sees_nothing_before_dispatch(received, org, people):
    assert not complaints_for(people.reviewer).exists()
    move(people.office, received, S.DISPATCHED, unit=org.dept_a)
    assert list(complaints_for(people.reviewer)) == [received]
    assert not complaints_for(people.other_leader).exists()
    assert not complaints_for(people.inspector).exists() and not complaints_for(people.judge).exists()


def test_extension_must_be_asked_before_the_deadline(received, org, people):
    from zuofeng.core import clock

    move(people.office, received, S.DISPATCHED, unit=org.dept_a)
    move(people.reviewer, received, S.HANDLING)
    with clock.frozen(dt.datetime(2018, 10, 30, 9, 0)), pytest.raises(ValidationError) as refused:
        move(people.reviewer, received, S.EXTENSION_REQUESTED, comment="来不及", extension_until=dt.date(2018, 11, 9))
    assert refused.value.message_dict["extension_until"] == ["已超过办理期限，不能再申请延期。"]


def test_lights_follow_the_deadline_and_signing(received, org, people):
    move(people.office, received, S.DISPATCHED, unit=org.dept_a)
    assert complaint_light(received, dt.date(2018, 10, 15)) == ("yellow", "2018-10-29 到期")
    assert complaint_light(received, dt.date(2018, 10, 17)) == ("red", "超时未签收")
    move(people.reviewer, received, S.HANDLING)
    assert complaint_light(received, dt.date(2018, 10, 17)) == ("green", "2018-10-29 到期")
    assert complaint_light(received, dt.date(2018, 10, 30)) == ("red", "已超期 1 天")


def test_the_daily_job_reminds_the_unit_once_a_day(received, org, people):
    from zuofeng.complaints.tasks.reminders import complaint_daily_reminders

    move(people.office, received, S.DISPATCHED, unit=org.dept_a)
    Reminder.objects.all().delete()
    assert complaint_daily_reminders(today=dt.date(2018, 10, 17)) == 1
    assert complaint_daily_reminders(today=dt.date(2018, 10, 17)) == 0
    reminder = Reminder.objects.get()
    assert (reminder.recipient, reminder.title) == (people.reviewer, f"群众反映 {received.code} 超时未签收，请立即签收")
    move(people.reviewer, received, S.HANDLING)
    assert complaint_daily_reminders(today=dt.date(2018, 10, 19)) == 0  # green: nothing to say
    assert complaint_daily_reminders(today=dt.date(2018, 10, 30)) == 1
    assert Reminder.objects.latest("pk").title == f"群众反映 {received.code}（投诉）已超期 1 天，请尽快答复"
