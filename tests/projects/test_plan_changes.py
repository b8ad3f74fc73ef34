"""Changing an approved plan's targets and milestones by a change request: the unit states the plan as it
should read (add / change / remove rows), the reviewing unit agrees or not, agreement applies the whole
change at once and is audited; the history says what changed, for the unit, the reviewer and the office."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import login
from zuofeng.audit.models import AuditEntry
from zuofeng.projects.models import ChangeState, Milestone, MilestoneReport, ProjectChange
from zuofeng.projects.selectors.projects import change_lines
from zuofeng.projects.services import changes

pytestmark = pytest.mark.django_db


def _target_rows(project) -> list[dict]:
    return [dict(row) for row in changes.plan_snapshot(project)["targets"]]


def _milestone_rows(project) -> list[dict]:
    return [
        {"id": row["id"], "title": row["title"], "due_on": dt.date.fromisoformat(row["due_on"])}
        for row in changes.plan_snapshot(project)["milestones"]
    ]


def _request(project, actor, **kwargs):
    base = {"reason": "省里把目标提高了", "title": project.title, "goal": project.goal, "deadline": project.deadline}
    return changes.change_request(actor=actor, project=project, **(base | kwargs))


def _numbers(row: dict) -> dict:
    return row | {"baseline": Decimal(row["baseline"]), "target": Decimal(row["target"])}


def test_a_target_is_changed_added_and_a_milestone_moved_added_removed_on_approval(approved_project, people):
    target = _numbers(_target_rows(approved_project)[0])
    milestones = _milestone_rows(approved_project)
    moved = milestones[1] | {"due_on": dt.date(2019, 1, 15), "title": "一窗受理全面上线"}
    change = _request(
        approved_project,
        people.own_clerk,
        targets=[
            target | {"baseline": Decimal("3"), "target": Decimal("0.5"), "measure_unit": "个工作日"},
            {
                "id": None,
                "name": "申请材料",
                "measure_unit": "份",
                "baseline": Decimal("8"),
                "target": Decimal("4"),
                "direction": "lower",
            },
        ],
        milestones=[
            milestones[0],
            moved,
            milestones[3],
            {"id": None, "title": "总结评估", "due_on": dt.date(2019, 6, 20)},
        ],
    )
    assert change_lines(change=change) == [
        "修改目标指标“企业开办时间”：目标值 1 → 0.5",
        "新增目标指标：申请材料 8 → 4 份（越低越好）",
        "修改季度节点“一窗受理上线”：节点任务 一窗受理上线 → 一窗受理全面上线；节点时限 2018-12-31 → 2019-01-15",
        "新增季度节点：2019-06-20 总结评估",
        "删除季度节点：2019-03-31 数据共享、减少材料",
    ]
    # Nothing changes until the reviewer agrees.
    assert list(approved_project.targets.values_list("target", flat=True)) == [Decimal("1.00")]
    changes.change_decide(actor=people.reviewer, change=change, approve=True, comment="同意")
    approved_project.refresh_from_db()
    assert [(t.name, t.baseline, t.target, t.direction) for t in approved_project.targets.order_by("order")] == [
        ("企业开办时间", Decimal("3.00"), Decimal("0.50"), "lower"),
        ("申请材料", Decimal("8.00"), Decimal("4.00"), "lower"),
    ]
    assert [(m.title, m.due_on) for m in approved_project.milestones.order_by("due_on")] == [
        ("梳理流程、制定方案", dt.date(2018, 9, 30)),
        ("一窗受理全面上线", dt.date(2019, 1, 15)),
        ("总结评估", dt.date(2019, 6, 20)),
        ("全面实现一日办结", dt.date(2019, 6, 30)),
    ]
    entry = AuditEntry.objects.get(action="project.change_approve")
    assert [row["title"] for row in entry.after["milestones"]] == [
        "梳理流程、制定方案", "一窗受理全面上线", "全面实现一日办结", "总结评估",
    ]  # fmt: skip
    assert entry.before["targets"][0]["target"] == "1"


def test_a_target_is_removed_and_its_unit_of_measure_changed(approved_project, people):
    target = _numbers(_target_rows(approved_project)[0])
    change = _request(
        approved_project,
        people.own_clerk,
        targets=[
            {
                "id": None,
                "name": "企业开办时间",
                "measure_unit": "小时",
                "baseline": Decimal("24"),
                "target": Decimal("8"),
                "direction": "lower",
            },
        ],
    )
    assert change_lines(change=change) == [
        "新增目标指标：企业开办时间 24 → 8 小时（越低越好）",
        "删除目标指标：企业开办时间 3 → 1 个工作日（越低越好）",
    ]
    changes.change_decide(actor=people.reviewer, change=change, approve=True)
    assert list(approved_project.targets.values_list("measure_unit", "baseline")) == [("小时", Decimal("24.00"))]
    assert target["id"] not in set(approved_project.targets.values_list("pk", flat=True))


def test_errors_name_the_row_and_field_in_chinese(approved_project, people):
    target = _numbers(_target_rows(approved_project)[0])
    milestones = _milestone_rows(approved_project)
    with pytest.raises(ValidationError) as error:
        _request(
            approved_project,
            people.own_clerk,
            targets=[target | {"target": Decimal("5")}, {"id": 999999, "name": "", "measure_unit": "家",
                     "baseline": Decimal("1"), "target": Decimal("2"), "direction": "higher"}],
            milestones=[milestones[0] | {"due_on": dt.date(2020, 1, 1)}, {"id": None, "title": " ", "due_on": None}],
        )  # fmt: skip
    assert error.value.message_dict == {
        "targets-0-target": ["“越低越好”的指标，目标值应低于基数 3；若数值越高越好，请选择“越高越好”。"],
        "targets-1-name": ["该目标指标不属于此项目，请刷新页面后重新填写。"],
        "milestones-0-due_on": ["节点时限须在项目开始日期 2018-09-01 和完成时限 2019-06-30 之间。"],
        "milestones-1-title": ["请填写节点任务。"],
        "milestones-1-due_on": ["请填写节点时限。"],
    }
    with pytest.raises(ValidationError) as error:
        _request(approved_project, people.own_clerk, targets=[], milestones=[])
    assert error.value.message_dict == {
        "targets": ["请至少保留一项目标指标。"],
        "milestones": ["请至少保留一个季度节点。"],
    }
    assert ProjectChange.objects.count() == 0


def test_a_milestone_with_reports_cannot_be_removed_but_can_be_moved(approved_project, people):
    milestones = _milestone_rows(approved_project)
    first = Milestone.objects.get(pk=milestones[0]["id"])
    MilestoneReport.objects.create(
        milestone=first, project=approved_project, reported_on=dt.date(2018, 9, 25), text="方案已定", percent=100
    )
    with pytest.raises(ValidationError) as error:
        _request(approved_project, people.own_clerk, milestones=milestones[1:])
    assert error.value.message_dict == {
        "milestones": ["节点“梳理流程、制定方案”已有进展报告，不能删除；可修改其内容或时限。"]
    }
    change = _request(
        approved_project,
        people.own_clerk,
        milestones=[milestones[0] | {"due_on": dt.date(2018, 10, 8)}, *milestones[1:]],
    )
    changes.change_decide(actor=people.reviewer, change=change, approve=True)
    first.refresh_from_db()
    assert (first.due_on, first.reports.count()) == (dt.date(2018, 10, 8), 1)


def test_an_earlier_deadline_without_moving_the_milestones_is_refused(approved_project, people):
    with pytest.raises(ValidationError) as error:
        _request(approved_project, people.own_clerk, deadline=dt.date(2019, 5, 31))
    assert error.value.message_dict == {"deadline": ["完成时限早于已有节点的时限，请同时调整季度节点。"]}


def test_a_rejected_change_leaves_the_plan_and_its_text_comes_back_in_the_form(approved_project, people):
    target = _target_rows(approved_project)[0]
    change = _request(
        approved_project, people.own_clerk, reason="想降低难度", targets=[_numbers(target) | {"target": Decimal("2")}]
    )
    changes.change_decide(actor=people.reviewer, change=change, approve=False, comment="目标不能降低")
    assert list(approved_project.targets.values_list("target", flat=True)) == [Decimal("1.00")]
    page = login(people.own_clerk).get(f"/projects/{approved_project.pk}/change/").content.decode()
    assert "上次的变更申请未获同意（目标不能降低）" in page
    assert 'name="targets-0-target" value="2"' in page
    assert "想降低难度</textarea>" in page


def _form(project, **overrides) -> dict:
    """The change page's POST as the browser sends it: the plan as it is, one blank row each."""
    data = {
        "title": project.title, "goal": project.goal, "deadline": project.deadline.isoformat(), "reason": "",
        "targets-TOTAL_FORMS": "2", "targets-INITIAL_FORMS": "1", "milestones-TOTAL_FORMS": "5",
        "milestones-INITIAL_FORMS": "4",
    }  # fmt: skip
    for i, row in enumerate(changes.plan_snapshot(project)["targets"]):
        data |= {f"targets-{i}-{k}": str(v) for k, v in row.items()}
    data |= {"targets-1-direction": "higher"}
    for i, row in enumerate(changes.plan_snapshot(project)["milestones"]):
        data |= {f"milestones-{i}-{k}": str(v) for k, v in row.items()}
    return data | overrides


def test_the_change_page_keeps_what_was_typed_and_shows_errors_at_the_field(approved_project, people):
    client = login(people.own_clerk)
    url = f"/projects/{approved_project.pk}/change/"
    typed = {"targets-1-name": "申请材料", "targets-1-measure_unit": "份", "targets-1-baseline": "abc"}
    response = client.post(url, _form(approved_project, **typed))
    assert response.status_code == 400
    assert [f.errors for f in response.context["target_formset"].forms] == [
        {},
        {"baseline": ["基数须是数字"], "target": ["请填写目标值"]},
    ]
    assert response.context["form"].errors == {"reason": ["请填写变更理由"]}
    assert 'name="targets-1-baseline" value="abc"' in response.content.decode()
    # The service's check (direction) lands at the row's field too, the rest kept as typed.
    typed = {"reason": "提速", "targets-0-target": "5", "milestones-2-title": "数据共享"}
    response = client.post(url, _form(approved_project, **typed))
    assert response.status_code == 400
    assert [f.errors for f in response.context["target_formset"].forms] == [
        {"target": ["“越低越好”的指标，目标值应低于基数 3；若数值越高越好，请选择“越高越好”。"]},
        {},
    ]
    page = response.content.decode()
    assert 'name="targets-0-target" value="5"' in page and 'value="数据共享"' in page
    assert ProjectChange.objects.count() == 0


def test_the_change_page_submits_a_request_the_reviewer_sees_line_by_line(approved_project, people):
    client = login(people.own_clerk)
    url = f"/projects/{approved_project.pk}/change/"
    typed = {
        "reason": "市里要求提速", "targets-0-target": "0.5", "targets-1-name": "申请材料",
        "targets-1-measure_unit": "份", "targets-1-baseline": "8", "targets-1-target": "4",
        "targets-1-direction": "lower", "milestones-2-DELETE": "on",
    }  # fmt: skip
    response = client.post(url, _form(approved_project, **typed))
    assert response.status_code == 302
    change = ProjectChange.objects.get()
    assert (change.state, [row["name"] for row in change.new_values["targets"]]) == (
        ChangeState.PENDING,
        ["企业开办时间", "申请材料"],
    )
    page = login(people.reviewer).get(f"/projects/{approved_project.pk}/").content.decode()
    for line in ("修改目标指标“企业开办时间”：目标值 1 → 0.5", "新增目标指标：申请材料 8 → 4 份（越低越好）",
                 "删除季度节点：2019-03-31 数据共享、减少材料"):  # fmt: skip
        assert page.count(line) == 2  # the decision card and the history
    decided = login(people.reviewer).post(f"/projects/{approved_project.pk}/change/decide/", {"decision": "approve"})
    assert decided.status_code == 302
    office = login(people.office).get(f"/projects/{approved_project.pk}/").content.decode()
    assert "已同意" in office and "新增目标指标：申请材料 8 → 4 份（越低越好）" in office
    assert approved_project.targets.count() == 2 and approved_project.milestones.count() == 3


@pytest.mark.parametrize(
    ("who", "status"),
    [("own_clerk", 200), ("reviewer", 403), ("office", 403), ("sibling_clerk", 404), ("judge", 404)],
)
def test_only_the_units_editors_open_the_change_page(approved_project, people, who, status):
    assert login(getattr(people, who)).get(f"/projects/{approved_project.pk}/change/").status_code == status


def test_the_change_page_is_not_for_a_draft(project, people):
    assert login(people.own_clerk).get(f"/projects/{project.pk}/change/").status_code == 403


def test_targets_and_milestones_are_changed_through_the_api(approved_project, people):
    target = _target_rows(approved_project)[0]
    milestones = [dict(r) for r in changes.plan_snapshot(approved_project)["milestones"]]
    body = {
        "reason": "省里调整", "title": approved_project.title, "goal": approved_project.goal, "deadline": "2019-06-30",
        "targets": [target | {"baseline": 3, "target": 0.5}], "milestones": milestones[:2] + milestones[3:],
    }  # fmt: skip
    url = f"/api/projects/{approved_project.pk}/changes"
    bad = login(people.own_clerk).post(
        url, json.dumps(body | {"targets": [target | {"baseline": 3, "target": 4}]}), content_type="application/json"
    )
    assert bad.status_code == 400
    assert bad.json()["errors"] == {
        "targets-0-target": ["“越低越好”的指标，目标值应低于基数 3；若数值越高越好，请选择“越高越好”。"]
    }
    made = login(people.own_clerk).post(url, json.dumps(body), content_type="application/json")
    assert made.status_code == 200
    assert made.json()["lines"] == [
        "修改目标指标“企业开办时间”：目标值 1 → 0.5",
        "删除季度节点：2019-03-31 数据共享、减少材料",
    ]
    assert login(people.sibling_clerk).get(url).status_code == 404
    assert [c["state"] for c in login(people.office).get(url).json()] == ["pending"]
    decided = login(people.reviewer).post(
        f"{url}/decision", json.dumps({"decision": "approve"}), content_type="application/json"
    )
    assert decided.status_code == 200
    detail = login(people.reviewer).get(f"/api/projects/{approved_project.pk}").json()
    assert [(t["target"], len(detail["milestones"])) for t in detail["targets"]] == [("0.50", 3)]


def test_a_judge_of_an_award_started_from_the_project_reads_its_changes(approved_project, people, campaign):
    from zuofeng.campaigns.models import Award
    from zuofeng.nominations.models import JudgeAssignment, Nomination, NominationState
    from zuofeng.projects.models import RecordNomination

    target = _numbers(_target_rows(approved_project)[0])
    change = _request(approved_project, people.own_clerk, targets=[target | {"target": Decimal("0.5")}])
    changes.change_decide(actor=people.reviewer, change=change, approve=True)
    award = Award.objects.create(
        campaign=campaign, key="excellent-project", name="优秀项目奖", kind="project", form={"rows": []}, order=1
    )
    nomination = Nomination.objects.create(
        award=award, campaign=campaign, unit=approved_project.unit, state=NominationState.JUDGING, title="t"
    )
    RecordNomination.objects.create(nomination=nomination, project=approved_project)
    JudgeAssignment.objects.create(award=award, judge=people.judge)
    page = login(people.judge).get(f"/projects/{approved_project.pk}/").content.decode()
    assert "修改目标指标“企业开办时间”：目标值 1 → 0.5" in page and "已同意" in page
    assert 'data-testid="change-open"' not in page
