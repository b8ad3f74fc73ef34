"""「我的工作」's 攻坚项目 card: plans waiting for my review (never my own unit's), my units' overdue
milestones — exact lists per person; a person who reviews nothing costs one query."""

import datetime as dt

from zuofeng.core import clock
from zuofeng.projects.models import Project, ProjectState
from zuofeng.projects.selectors.projects import project_work


def work(user, campaign):
    with clock.frozen(dt.date(2018, 10, 15)):
        found = project_work(user=user, campaign=campaign)
    return {
        "waiting": [(p.title, p.unit.name) for p in found["waiting"]],
        "overdue": [(m.project.title, m.title, m.due_on) for m in found["overdue"]],
    }


def test_a_submitted_plan_waits_for_its_reviewer_and_the_office_only(project, people, campaign, org):
    Project.objects.filter(pk=project.pk).update(state=ProjectState.SUBMITTED)
    waiting = {"waiting": [(project.title, org.section_a1.name)], "overdue": []}
    assert work(people.reviewer, campaign) == waiting
    assert work(people.office, campaign) == waiting
    assert work(people.own_clerk, campaign) == {"waiting": [], "overdue": []}
    assert work(people.other_leader, campaign) == {"waiting": [], "overdue": []}


def test_overdue_milestones_of_approved_plans_for_the_units_concerned(
    approved_project, people, campaign, django_assert_num_queries
):
    overdue = {"waiting": [], "overdue": [(approved_project.title, "梳理流程、制定方案", dt.date(2018, 9, 30))]}
    assert work(people.office, campaign) == overdue
    assert work(people.reviewer, campaign) == overdue
    assert work(people.other_leader, campaign) == {"waiting": [], "overdue": []}
    people.own_clerk.refresh_from_db()
    work(people.own_clerk, campaign)  # the person's roles and units read once
    with django_assert_num_queries(1):
        assert work(people.own_clerk, campaign) == overdue
