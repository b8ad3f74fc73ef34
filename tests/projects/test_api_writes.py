"""The projects API's other writes, one per page button: plan edit, removing targets and milestones, changes to
an approved plan, 申报 from a project or initiative. Same services and rules as the pages: an invisible
project is a 404, a visible one the role may not change a 403, service refusals 400 in Chinese per field."""

import datetime as dt
import json

import pytest

from tests.conftest import login
from zuofeng.audit.models import AuditEntry
from zuofeng.campaigns.models import Award
from zuofeng.nominations.models import Nomination
from zuofeng.projects.models import ChangeState, Initiative, Project

pytestmark = pytest.mark.django_db

ROLES = ["own_clerk", "reviewer", "office", "sibling_clerk", "other_leader", "judge", "sysadmin", "auditor", "secadmin"]


def _send(user, method, url, body=None):
    client = login(user)
    return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")


def _plan(project, **changes) -> dict:
    body = {
        "key_area": project.key_area_id, "title": project.title, "goal": project.goal, "starts_on": "2018-09-01",
        "deadline": "2019-06-30", "version": project.version,
    }  # fmt: skip
    return body | changes


# Only the project's own unit edits its plan; the reviewer and the office see it but may not (403); a unit
# that cannot see it gets a 404; the judge and the three administrators have no project rights at all.
EDIT = {"own_clerk": 200, "reviewer": 403, "office": 403, "sibling_clerk": 404, "other_leader": 404,
        "judge": 403, "sysadmin": 403, "auditor": 403, "secadmin": 403}  # fmt: skip
AUD = ["project.update", "project.target_remove", "project.milestone_remove"]


def test_the_plan_is_edited_and_its_items_removed_through_the_api(project, people):
    target, milestone = project.targets.get(), project.milestones.order_by("order").first()
    edited = _send(people.own_clerk, "patch", f"/api/projects/{project.pk}", _plan(project, title="企业开办一日办结"))
    assert edited.status_code == 200
    assert (edited.json()["title"], edited.json()["version"]) == ("企业开办一日办结", project.version + 1)
    stale = _send(people.own_clerk, "patch", f"/api/projects/{project.pk}", _plan(project, title="旧版本"))
    assert stale.status_code == 409
    assert stale.json()["detail"] == f"项目计划已被他人修改（当前版本 {project.version + 1}），请刷新后核对再保存。"
    bad = _send(
        people.own_clerk, "patch", f"/api/projects/{project.pk}", _plan(project, title=" ", version=project.version + 1)
    )
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["title"]
    removed = _send(people.own_clerk, "delete", f"/api/projects/{project.pk}/targets/{target.pk}")
    assert removed.status_code == 200 and removed.json()["targets"] == []
    removed = _send(people.own_clerk, "delete", f"/api/projects/{project.pk}/milestones/{milestone.pk}")
    assert [m["title"] for m in removed.json()["milestones"]] == [
        "一窗受理上线",
        "数据共享、减少材料",
        "全面实现一日办结",
    ]
    assert (
        list(AuditEntry.objects.filter(action__startswith="project.").order_by("id").values_list("action", flat=True))
        == AUD
    )


@pytest.mark.parametrize("who", ROLES)
def test_who_may_edit_the_plan_through_the_api(project, people, who):
    target = project.targets.get()
    expected = EDIT[who]
    assert _send(getattr(people, who), "patch", f"/api/projects/{project.pk}", _plan(project)).status_code == expected
    removed = _send(getattr(people, who), "delete", f"/api/projects/{project.pk}/targets/{target.pk}")
    assert removed.status_code == expected
    assert Project.objects.get(pk=project.pk).targets.count() == (0 if expected == 200 else 1)


def test_a_change_is_requested_and_decided_through_the_api(approved_project, people):
    url = f"/api/projects/{approved_project.pk}/changes"
    change = {"reason": "上级要求延期", "title": approved_project.title, "goal": approved_project.goal}
    empty = _send(people.own_clerk, "post", url, change | {"reason": "", "deadline": "2019-09-30"})
    assert empty.status_code == 400 and empty.json()["errors"] == {"reason": ["请填写变更理由。"]}
    requested = _send(people.own_clerk, "post", url, change | {"deadline": "2019-09-30"})
    assert requested.status_code == 200
    assert (requested.json()["state"], requested.json()["new_values"]["deadline"]) == ("pending", "2019-09-30")
    assert _send(people.own_clerk, "post", f"{url}/decision", {"decision": "approve"}).status_code == 403
    assert _send(people.other_leader, "post", f"{url}/decision", {"decision": "approve"}).status_code == 404
    no_reason = _send(people.reviewer, "post", f"{url}/decision", {"decision": "return"})
    assert no_reason.status_code == 400 and no_reason.json()["errors"] == {"comment": ["不同意变更时请填写理由。"]}
    decided = _send(people.reviewer, "post", f"{url}/decision", {"decision": "approve"})
    assert decided.status_code == 200 and decided.json()["state"] == ChangeState.APPROVED
    assert login(people.reviewer).get(f"/api/projects/{approved_project.pk}").json()["deadline"] == "2019-09-30"
    again = _send(people.reviewer, "post", f"{url}/decision", {"decision": "approve"})
    assert again.status_code == 400 and again.json()["detail"] == "没有待审核的变更申请。"


@pytest.fixture
def awards(campaign):
    form = {"title": "申报表", "rows": [[{"key": "project_name", "label": "项目名称"}]]}
    project_award = Award.objects.create(
        campaign=campaign, key="excellent-project", name="优秀项目奖", kind="project", order=1, form=form
    )
    innovation = Award.objects.create(
        campaign=campaign, key="innovation", name="创新奖", kind="initiative", order=2, form=form
    )
    campaign.settings = {
        **campaign.settings,
        "record_awards": {"project": [project_award.key], "initiative": [innovation.key]},
    }
    campaign.save()
    return project_award, innovation


def test_a_nomination_is_started_from_a_project_through_the_api(approved_project, people, awards):
    project_award, innovation = awards
    url = f"/api/projects/{approved_project.pk}/nominations"
    wrong = _send(people.own_clerk, "post", url, {"award": innovation.pk})
    assert wrong.status_code == 400 and wrong.json()["detail"] == "“创新奖”不能从该记录发起申报。"
    started = _send(people.own_clerk, "post", url, {"award": project_award.pk})
    assert started.status_code == 200
    nomination = Nomination.objects.get(pk=started.json()["nomination"])
    assert nomination.data == {"project_name": "企业开办“一窗受理、一日办结”"}
    assert _send(people.other_leader, "post", url, {"award": project_award.pk}).status_code == 404
    assert _send(people.reviewer, "post", url, {"award": project_award.pk}).status_code == 403
    assert _send(people.judge, "post", url, {"award": project_award.pk}).status_code == 403
    assert Nomination.objects.count() == 1


def test_a_draft_project_is_not_nominated(project, people, awards):
    response = _send(people.own_clerk, "post", f"/api/projects/{project.pk}/nominations", {"award": awards[0].pk})
    assert response.status_code == 403


def test_a_nomination_is_started_from_an_initiative_through_the_api(campaign, org, people, awards):
    initiative = Initiative.objects.create(
        campaign=campaign, unit=org.section_a1, title="一窗办理", problem="跑三个窗口", description="合并窗口",
        steps_before=6, steps_after=2, materials_before=12, materials_after=5, days_before=15, days_after=3,
        started_on=dt.date(2018, 9, 3),
    )  # fmt: skip
    url = f"/api/initiatives/{initiative.pk}/nominations"
    assert _send(people.own_clerk, "post", url, {"award": awards[1].pk}).status_code == 200
    assert Nomination.objects.get().award == awards[1]
    assert _send(people.sibling_clerk, "post", url, {"award": awards[1].pk}).status_code == 404
    assert _send(people.sysadmin, "post", url, {"award": awards[1].pk}).status_code == 403
