"""The projects API: same scope as the pages (leaks are 404s), same services, Chinese errors per field."""

import datetime as dt
import json

import pytest

from tests.conftest import login
from zuofeng.projects.models import Initiative, Project, ProjectState


def _get(user, url):
    return login(user).get(url)


def _post(user, url, body):
    return login(user).post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def promoted(campaign, org):
    return Initiative.objects.create(
        campaign=campaign, unit=org.section_a1, title="一窗办理", problem="跑三个窗口", description="合并窗口",
        steps_before=6, steps_after=2, materials_before=12, materials_after=5, days_before=15, days_after=3,
        started_on=dt.date(2018, 9, 3),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("who", "status"),
    [("own_clerk", 200), ("reviewer", 200), ("office", 200), ("inspector", 200), ("sibling_clerk", 404),
     ("other_leader", 404), ("judge", 404), ("sysadmin", 403), ("auditor", 403), ("secadmin", 403)],
)  # fmt: skip
def test_project_detail_by_role(project, people, who, status):
    response = _get(getattr(people, who), f"/api/projects/{project.pk}")
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["targets"][0] | {"id": 0} == {
            "id": 0, "name": "企业开办时间", "measure_unit": "个工作日", "baseline": "3.00", "target": "1.00",
            "direction": "lower", "current": None, "current_on": None, "share": None,
        }  # fmt: skip
        assert [m["title"] for m in body["milestones"]] == [
            "梳理流程、制定方案",
            "一窗受理上线",
            "数据共享、减少材料",
            "全面实现一日办结",
        ]


@pytest.mark.parametrize(("who", "count"), [("own_clerk", 1), ("office", 1), ("other_leader", 0), ("judge", 0)])
def test_project_list_is_scoped(project, people, who, count):
    assert _get(getattr(people, who), "/api/projects").json()["count"] == count


def test_the_plan_and_review_through_the_api(campaign, org, people, service_area):
    created = _post(
        people.own_clerk,
        "/api/projects",
        {"unit": org.section_a1.pk, "key_area": service_area.pk, "title": "企业开办提速", "goal": "一日办结",
         "starts_on": "2018-09-01", "deadline": "2018-12-31"},
    )  # fmt: skip
    assert created.status_code == 200
    pk = created.json()["id"]
    bad = _post(
        people.own_clerk,
        f"/api/projects/{pk}/targets",
        {"name": "开办时间", "measure_unit": "天", "baseline": 3, "target": 1, "direction": "higher"},
    )
    assert bad.status_code == 400
    assert bad.json()["errors"] == {
        "target": ["“越高越好”的指标，目标值应高于基数 3；若数值越低越好，请选择“越低越好”。"]
    }
    _post(
        people.own_clerk,
        f"/api/projects/{pk}/targets",
        {"name": "开办时间", "measure_unit": "天", "baseline": 3, "target": 1, "direction": "lower"},
    )
    _post(people.own_clerk, f"/api/projects/{pk}/milestones", {"title": "上线", "due_on": "2018-10-31"})
    assert _post(people.own_clerk, f"/api/projects/{pk}/submit", {}).json()["state"] == "submitted"
    assert _post(people.own_clerk, f"/api/projects/{pk}/review", {"decision": "approve"}).status_code == 403
    returned = _post(people.reviewer, f"/api/projects/{pk}/review", {"decision": "return", "comment": ""})
    assert returned.status_code == 400 and returned.json()["errors"] == {"comment": ["请填写退回理由。"]}
    assert _post(people.reviewer, f"/api/projects/{pk}/review", {"decision": "approve"}).json()["state"] == "approved"
    assert Project.objects.get(pk=pk).state == ProjectState.APPROVED


def test_a_report_through_the_api(approved_project, people):
    target = approved_project.targets.get()
    milestone = approved_project.milestones.order_by("due_on").first()
    response = login(people.own_clerk).post(
        f"/api/projects/{approved_project.pk}/reports",
        {"milestone": milestone.pk, "reported_on": dt.date.today().isoformat(), "text": "上线", "percent": 100,
         "values": json.dumps({str(target.pk): 2})},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json()["values"] == {str(target.pk): "2.00"}
    other = login(people.other_leader).post(
        f"/api/projects/{approved_project.pk}/reports",
        {"milestone": milestone.pk, "reported_on": "2018-10-01", "text": "冒报", "percent": 100},
    )
    assert other.status_code == 404
    assert approved_project.reports.count() == 1


def test_initiatives_and_activities_are_scoped(promoted, org, people):
    assert _get(people.other_leader, f"/api/initiatives/{promoted.pk}").status_code == 404
    assert _post(people.reviewer, f"/api/initiatives/{promoted.pk}/promote", {}).status_code == 403
    assert _post(people.office, f"/api/initiatives/{promoted.pk}/promote", {}).json()["promoted_at"] is not None
    adopted = _post(
        people.other_leader,
        f"/api/initiatives/{promoted.pk}/adopt",
        {"unit": org.dept_b.pk, "adopted_on": "2018-10-01"},
    )
    assert adopted.status_code == 200
    assert adopted.json()["adopted_by"] == [{"id": org.dept_b.pk, "name": "武进区商务局"}]
    assert _get(people.other_leader, "/api/activities").json()["count"] == 0
    assert _get(people.auditor, "/api/activities").status_code == 403
