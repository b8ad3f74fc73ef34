"""Registering a plan: fields, targets the right way round, milestones inside the plan, who may."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zuofeng.audit.models import AuditEntry
from zuofeng.projects.models import Direction, Project, ProjectState, Target
from zuofeng.projects.services import plan


def _data(area, **over):
    data = {
        "key_area": area,
        "title": "工程建设项目审批提速",
        "goal": "审批时间压缩一半",
        "lead_leader": None,
        "lead_section": None,
        "starts_on": dt.date(2018, 9, 1),
        "deadline": dt.date(2018, 12, 31),
    }
    return {**data, **over}


def test_a_clerk_registers_a_project_for_their_unit(campaign, org, people, service_area):
    p = plan.project_create(actor=people.own_clerk, campaign=campaign, unit=org.section_a1, **_data(service_area))
    assert (p.unit, p.state, p.key_area.name, p.version) == (org.section_a1, ProjectState.DRAFT, "高效服务", 1)
    assert AuditEntry.objects.filter(action="project.create", object_id=str(p.pk)).count() == 1


def test_another_units_clerk_may_not_register_for_it(campaign, org, people, service_area):
    with pytest.raises(PermissionDenied):
        plan.project_create(actor=people.sibling_clerk, campaign=campaign, unit=org.section_a1, **_data(service_area))
    assert Project.objects.count() == 0


def test_bad_plan_is_refused_field_by_field_in_chinese(campaign, org, people, service_area):
    other = type(service_area).objects.create(
        campaign=type(campaign).objects.create(
            slug="x", year=2019, title="x", issuer="x", issued_on=dt.date(2019, 1, 1)
        ),
        key="a",
        name="别的",
        order=1,
    )
    with pytest.raises(ValidationError) as error:
        plan.project_create(
            actor=people.own_clerk,
            campaign=campaign,
            unit=org.section_a1,
            **_data(other, title=" ", deadline=dt.date(2018, 8, 1), lead_section=org.dept_b),
        )
    assert error.value.message_dict == {
        "title": ["请填写项目名称。"],
        "key_area": ["请从本次专项活动的八大攻坚重点中选择。"],
        "deadline": ["完成时限不能早于开始日期。"],
        "lead_section": ["牵头科室须是本单位或其下属科室。"],
    }
    assert Project.objects.count() == 0


def test_a_lower_is_better_target_below_its_baseline_is_allowed(project, people):
    row = plan.target_add(
        actor=people.own_clerk,
        project=project,
        version=project.version,
        name="办理材料",
        measure_unit="份",
        baseline=Decimal("12"),
        target=Decimal("5"),
        direction=Direction.LOWER,
    )
    assert (row.baseline, row.target, row.direction) == (Decimal("12"), Decimal("5"), "lower")


@pytest.mark.parametrize(
    ("baseline", "target", "direction", "message"),
    [
        ("3", "1", "higher", "“越高越好”的指标，目标值应高于基数 3；若数值越低越好，请选择“越低越好”。"),
        ("60", "90", "lower", "“越低越好”的指标，目标值应低于基数 60；若数值越高越好，请选择“越高越好”。"),
        ("5", "5", "higher", "目标值不能等于基数。"),
    ],
)
def test_a_target_that_contradicts_its_direction_is_refused_at_the_target(
    project, people, baseline, target, direction, message
):
    with pytest.raises(ValidationError) as error:
        plan.target_add(
            actor=people.own_clerk,
            project=project,
            version=None,
            name="满意度",
            measure_unit="%",
            baseline=Decimal(baseline),
            target=Decimal(target),
            direction=direction,
        )
    assert error.value.message_dict == {"target": [message]}
    assert Target.objects.filter(project=project).count() == 1


def test_a_milestone_outside_the_plan_is_refused(project, people):
    with pytest.raises(ValidationError) as error:
        plan.milestone_add(
            actor=people.own_clerk, project=project, version=None, title="收尾", due_on=dt.date(2019, 9, 30)
        )
    assert error.value.message_dict == {"due_on": ["节点时限须在项目开始日期 2018-09-01 和完成时限 2019-06-30 之间。"]}


def test_a_stale_version_is_refused(project, people):
    with pytest.raises(ValidationError) as error:
        plan.project_update(
            actor=people.own_clerk, project=project, version=project.version + 5, **_data(project.key_area)
        )
    assert "已被他人修改" in error.value.messages[0]


def test_an_approved_plan_is_locked(approved_project, people):
    with pytest.raises(ValidationError) as error:
        plan.milestone_add(
            actor=people.own_clerk, project=approved_project, version=None, title="加一个", due_on=dt.date(2019, 1, 15)
        )
    assert error.value.messages == ["项目计划当前为“已通过”，不能直接修改；已通过的计划请申请变更。"]
