"""自查自纠: a unit answers the definition's questions, puts what it found into its list (自己找), reports;
the office sees who has not reported, sends 催办, accepts or returns. Other units never see the report."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import Role, make_user
from zuofeng.rectification.models import Problem
from zuofeng.reminders.models import Reminder
from zuofeng.supervision.models import ReportState
from zuofeng.supervision.selectors.self_inspection import units_not_reported
from zuofeng.supervision.services.self_inspection import (
    report_add_problem,
    report_get_or_start,
    report_save,
    self_remind,
)
from zuofeng.supervision.workflow import report_transition

ANSWERS = {"scope": "全局各科室", "found": "审批环节层层加码", "handling": "已取消两项前置", "people": "1人诫勉"}


@pytest.fixture
def leader_b(people):
    return people.other_leader


@pytest.fixture
def report(supervised, org):
    return report_get_or_start(campaign=supervised, unit=org.dept_b)


def test_a_unit_reports_and_the_office_returns_then_accepts(report, leader_b, people):
    with pytest.raises(ValidationError) as raised:
        report_transition(actor=leader_b, report=report, to=ReportState.SUBMITTED)
    assert "请先填写：自查的范围和方式" in raised.value.messages[0]
    report = report_save(actor=leader_b, report=report, answers=ANSWERS, people_handled=1, version=report.version)
    report = report_transition(actor=leader_b, report=report, to=ReportState.SUBMITTED)
    with pytest.raises(ValidationError) as raised:
        report_transition(actor=people.office, report=report, to=ReportState.RETURNED)
    assert raised.value.message_dict["comment"] == ["退回须说明理由。"]
    report = report_transition(actor=people.office, report=report, to=ReportState.RETURNED, comment="处理情况不具体")
    assert Reminder.objects.filter(recipient=leader_b, title__contains="被退回").count() == 1
    report = report_transition(actor=leader_b, report=report, to=ReportState.SUBMITTED)
    report = report_transition(actor=people.office, report=report, to=ReportState.ACCEPTED)
    assert (report.state, report.reviewed_by) == (ReportState.ACCEPTED, people.office)


def test_found_problems_go_into_the_units_list_as_self_found(report, leader_b, supervised):
    problem = report_add_problem(
        actor=leader_b,
        report=report,
        category=supervised.categories.get(key="duty"),
        description="审批环节层层加码",
        found_on=dt.date(2018, 10, 10),
    )
    assert (problem.unit, problem.source.kind, problem.source_detail) == (report.unit, "self", "自查自纠")
    assert list(report.problems.all()) == [problem]


def test_others_cannot_write_or_review(report, people, leader_b):
    for user in (people.own_clerk, people.reviewer, people.judge):
        with pytest.raises(PermissionDenied):
            report_save(actor=user, report=report, answers=ANSWERS, people_handled=0, version=report.version)
    report = report_save(actor=leader_b, report=report, answers=ANSWERS, people_handled=0, version=report.version)
    report = report_transition(actor=leader_b, report=report, to=ReportState.SUBMITTED)
    with pytest.raises(PermissionDenied):
        report_transition(actor=leader_b, report=report, to=ReportState.ACCEPTED)
    assert not Problem.objects.exists()


def test_the_office_sees_who_has_not_reported_and_chases_them(report, supervised, org, people, leader_b):
    report = report_save(actor=leader_b, report=report, answers=ANSWERS, people_handled=0, version=report.version)
    report_transition(actor=leader_b, report=report, to=ReportState.SUBMITTED)
    missing = units_not_reported(campaign=supervised)
    assert [u.pk for u in missing] == [org.dept_a.pk, org.sub_a1x.pk]
    assert self_remind(actor=people.office, campaign=supervised, units=missing) == 1  # dept_a's leader
    assert self_remind(actor=people.office, campaign=supervised, units=missing) == 0  # once a day
    assert Reminder.objects.get(kind="manual").recipient == people.reviewer
    with pytest.raises(PermissionDenied):
        self_remind(actor=people.reviewer, campaign=supervised, units=missing)


def test_report_pages_by_role(report, org, people, leader_b, client_for):
    url = f"/supervision/self/units/{org.dept_b.pk}/"
    assert client_for(leader_b).get(url).status_code == 200
    assert client_for(people.office).get(url).status_code == 200
    for user in (people.reviewer, people.own_clerk, people.judge, people.inspector, people.sysadmin, people.auditor):
        assert client_for(user).get(url).status_code in (403, 404)
    assert client_for(people.office).get("/supervision/self/").status_code == 200
    assert client_for(leader_b).get("/supervision/self/")["Location"] == url
    for user in (people.judge, people.inspector, people.secadmin):
        assert client_for(user).get("/supervision/self/").status_code == 403
    assert client_for(leader_b).post("/supervision/self/remind/").status_code == 403
    response = client_for(leader_b).post(url, {"version": report.version, "people_handled": "-1", "q_scope": "各科室"})
    assert response.status_code == 400
    assert "各科室" in response.content.decode()


def test_a_clerk_of_the_unit_writes_its_report(supervised, org, client_for):
    clerk = make_user("clerk_b", role=Role.SECTION_CLERK, unit=org.dept_b)
    url = f"/supervision/self/units/{org.dept_b.pk}/"
    response = client_for(clerk).post(url, {"version": 1, "people_handled": 0, "q_scope": "各科室"})
    assert response.status_code == 302


def test_reports_api_by_role(report, org, people, leader_b, client_for):
    report_save(actor=leader_b, report=report, answers=ANSWERS, people_handled=1, version=report.version)
    url = "/api/supervision/self-inspection/reports"
    assert [r["unit"]["id"] for r in client_for(people.office).get(url).json()] == [org.dept_b.pk]
    mine = client_for(leader_b).get(url).json()
    assert [(r["unit"]["id"], r["answers"]["found"], r["people_handled"]) for r in mine] == [
        (org.dept_b.pk, "审批环节层层加码", 1)
    ]
    assert client_for(people.reviewer).get(url).json() == []
    for user in (people.judge, people.inspector, people.sysadmin, people.auditor):
        assert client_for(user).get(url).status_code == 403
