"""Review like a list (approve / return with comment), progress per milestone, lights, change requests."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.upload_files import pdf_bytes
from zuofeng.core import clock
from zuofeng.projects.lights import target_share
from zuofeng.projects.models import ChangeState, Milestone, ProjectEvent, ProjectState
from zuofeng.projects.services import changes
from zuofeng.projects.services.progress import milestone_report
from zuofeng.projects.workflow import PROJECT_MOVES, project_transition
from zuofeng.reminders.models import Reminder


def test_the_table_of_moves():
    assert PROJECT_MOVES == {
        ("draft", "submitted"): "project.submit",
        ("returned", "submitted"): "project.submit",
        ("submitted", "approved"): "project.review",
        ("submitted", "returned"): "project.review",
    }


def test_submit_then_the_reviewing_unit_approves(project, people):
    with clock.frozen(dt.date(2018, 9, 20)):
        project_transition(actor=people.own_clerk, project=project, to=ProjectState.SUBMITTED)
        assert Reminder.objects.filter(recipient=people.reviewer, link=f"/projects/{project.pk}/").count() == 1
        project_transition(actor=people.reviewer, project=project, to=ProjectState.APPROVED)
    project.refresh_from_db()
    assert (project.state, project.light) == (
        ProjectState.APPROVED,
        "red",
    )  # 19 of 29 days of the first milestone gone, 0 % done
    assert [e.action for e in ProjectEvent.objects.filter(project=project).order_by("id")] == [
        "project.submit",
        "project.review",
    ]


def test_returning_needs_a_comment_and_the_unit_resubmits(project, people):
    project_transition(actor=people.own_clerk, project=project, to=ProjectState.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        project_transition(actor=people.reviewer, project=project, to=ProjectState.RETURNED, comment=" ")
    assert error.value.message_dict == {"comment": ["请填写退回理由。"]}
    project_transition(actor=people.reviewer, project=project, to=ProjectState.RETURNED, comment="目标不够量化")
    project_transition(actor=people.own_clerk, project=project, to=ProjectState.SUBMITTED)
    assert project.state == ProjectState.SUBMITTED


def test_the_unit_cannot_approve_its_own_plan_and_another_leader_cannot_either(project, people):
    project_transition(actor=people.own_clerk, project=project, to=ProjectState.SUBMITTED)
    for actor in (people.own_clerk, people.other_leader, people.sibling_clerk):
        with pytest.raises(PermissionDenied):
            project_transition(actor=actor, project=project, to=ProjectState.APPROVED)
    project_transition(actor=people.office, project=project, to=ProjectState.APPROVED)


def test_a_plan_without_targets_cannot_be_submitted(project, people):
    project.targets.all().delete()
    with pytest.raises(ValidationError) as error:
        project_transition(actor=people.own_clerk, project=project, to=ProjectState.SUBMITTED)
    assert error.value.message_dict == {"targets": ["请至少填写一项可量化的目标指标后再提交。"]}


def _first(project) -> Milestone:
    return project.milestones.order_by("due_on").first()


def test_a_report_sets_the_milestone_and_the_targets_current_value(approved_project, people, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    target = approved_project.targets.get()
    from django.core.files.uploadedfile import SimpleUploadedFile

    with clock.frozen(dt.date(2018, 9, 28)):
        report = milestone_report(
            actor=people.own_clerk,
            milestone=_first(approved_project),
            reported_on=dt.date(2018, 9, 28),
            text="方案已印发",
            percent=100,
            values={str(target.pk): "2"},
            files=[SimpleUploadedFile("方案.pdf", pdf_bytes(), content_type="application/pdf")],
        )
    target.refresh_from_db()
    first = _first(approved_project)
    assert (target.current, target.current_on) == (Decimal("2.00"), dt.date(2018, 9, 28))
    assert (first.percent, first.done_on, first.light) == (100, dt.date(2018, 9, 28), "closed")
    assert report.evidence.get().original_name == "方案.pdf"
    assert target_share(baseline=target.baseline, target=target.target, current=target.current) == 50


def test_a_bad_value_is_refused_at_its_box_and_nothing_is_saved(approved_project, people):
    target = approved_project.targets.get()
    with pytest.raises(ValidationError) as error:
        milestone_report(
            actor=people.own_clerk,
            milestone=_first(approved_project),
            reported_on=clock.today(),
            text="x",
            percent=120,
            values={str(target.pk): "两天"},
        )
    assert error.value.message_dict == {
        "percent": ["节点完成进度必须在 0 到 100 之间。"],
        f"value_{target.pk}": ["“企业开办时间”的当前值须是数字。"],
    }
    assert approved_project.reports.count() == 0


def test_a_draft_plan_takes_no_reports(project, people):
    with pytest.raises(ValidationError) as error:
        milestone_report(
            actor=people.own_clerk, milestone=_first(project), reported_on=dt.date(2018, 9, 1), text="x", percent=10
        )
    assert error.value.messages == ["项目计划当前为“起草中”，审核通过后才能报告进展。"]


@pytest.mark.parametrize(
    ("today", "percent", "light"),
    [
        (dt.date(2018, 9, 10), 40, "green"),  # 9 of 29 days gone: 31 % planned, 40 % done
        (dt.date(2018, 9, 24), 75, "yellow"),  # on schedule (79 % planned) but due within 7 days
        (dt.date(2018, 9, 20), 10, "red"),  # 66 % planned, 10 % done: 56 points behind
        (dt.date(2018, 10, 1), 90, "red"),  # overdue, not done
    ],
)
def test_milestone_lights_follow_the_measures_rules(approved_project, people, today, percent, light):
    from zuofeng.projects.lights import project_refresh_lights

    Milestone.objects.filter(pk=_first(approved_project).pk).update(percent=percent, last_report_on=today)
    assert project_refresh_lights(project=approved_project, today=today) == light
    assert _first(approved_project).light == light


def test_a_change_request_is_decided_by_the_reviewer(approved_project, people):
    change = changes.change_request(
        actor=people.own_clerk,
        project=approved_project,
        reason="省级部署调整",
        title=approved_project.title,
        goal=approved_project.goal,
        deadline=dt.date(2019, 9, 30),
    )
    with pytest.raises(ValidationError) as error:
        changes.change_request(
            actor=people.own_clerk,
            project=approved_project,
            reason="再改",
            title="新名称",
            goal="g",
            deadline=dt.date(2019, 9, 30),
        )
    assert error.value.messages == ["该项目已有一项待审核的变更申请。"]
    with pytest.raises(PermissionDenied):
        changes.change_decide(actor=people.own_clerk, change=change, approve=True)
    changes.change_decide(actor=people.reviewer, change=change, approve=True, comment="同意")
    approved_project.refresh_from_db()
    change.refresh_from_db()
    assert (change.state, approved_project.deadline) == (ChangeState.APPROVED, dt.date(2019, 9, 30))
    assert change.old_values["deadline"] == "2019-06-30"


def test_the_daily_job_turns_an_overdue_milestone_red_and_reminds_the_unit_once(approved_project, people):
    from zuofeng.projects.tasks.reminders import projects_daily

    first = _first(approved_project)
    Milestone.objects.filter(pk=first.pk).update(percent=90, last_report_on=dt.date(2018, 9, 29))
    assert projects_daily(today=dt.date(2018, 9, 29)) == 1  # one day left: a reminder to the clerk
    approved_project.refresh_from_db()
    assert approved_project.light == "yellow"
    assert projects_daily(today=dt.date(2018, 10, 1)) == 1  # the day after: overdue
    assert projects_daily(today=dt.date(2018, 10, 1)) == 0  # not twice
    approved_project.refresh_from_db()
    assert (approved_project.light, _first(approved_project).light) == ("red", "red")
    titles = list(Reminder.objects.filter(recipient=people.own_clerk).values_list("title", flat=True).order_by("id"))
    assert titles == ["攻坚项目节点还有 1 天到期：梳理流程、制定方案", "攻坚项目节点已逾期：梳理流程、制定方案"]
