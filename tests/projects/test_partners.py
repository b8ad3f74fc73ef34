"""配合单位: a unit named as partner of an approved project reads it (list section, page, API, evidence)
and changes nothing; a unit that is not a partner sees nothing of it; a draft is not shown to partners."""

import datetime as dt
import json

import pytest
from django.core.files.base import ContentFile

from tests.conftest import login
from tests.factories import Role, make_unit, make_user
from zuofeng.projects.models import Milestone, MilestoneReport, ProjectEvidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(org, approved_project):
    """区商务局 (dept_b) is the partner: its leader and the clerk of its 外贸科 read the project;
    区发改局 (dept_c) is not."""
    approved_project.partner_units.set([org.dept_b])
    dept_c = make_unit(name="武进区发改局", short_name="区发改局", order=3, code="D03")

    class Partners:
        leader = make_user("leader_partner", role=Role.UNIT_LEADER, unit=org.dept_b)
        clerk = make_user("clerk_partner", role=Role.SECTION_CLERK, unit=org.section_b1)
        outsider = make_user("leader_c", role=Role.UNIT_LEADER, unit=dept_c)

    return Partners


@pytest.mark.parametrize(("who", "status"), [("leader", 200), ("clerk", 200), ("outsider", 404)])
def test_a_partner_reads_the_project_page_and_an_outsider_gets_404(approved_project, partners, who, status):
    response = login(getattr(partners, who)).get(f"/projects/{approved_project.pk}/")
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "企业开办时间：3 → 1 个工作日" in page
        for button in ("修改项目计划", "报告节点进展", "申请变更计划", "审核通过", "申报优秀项目奖", "提交审核"):
            assert button not in page


@pytest.mark.parametrize(("who", "count"), [("leader", 1), ("clerk", 1), ("outsider", 0)])
def test_the_partners_list_has_a_section_of_its_partner_projects(approved_project, partners, who, count):
    page = login(getattr(partners, who)).get("/projects/").content.decode()
    assert page.count("协办项目") == count
    assert page.count(f'href="/projects/{approved_project.pk}/"') == count


def test_a_draft_is_not_shown_to_its_partners(project, org, partners):
    project.partner_units.set([org.dept_b])
    other = project.__class__.objects.create(
        campaign=project.campaign, unit=project.unit, key_area=project.key_area, title="草稿项目", goal="g",
        starts_on=dt.date(2018, 9, 1), deadline=dt.date(2019, 6, 30),
    )  # fmt: skip
    other.partner_units.set([org.dept_b])
    assert login(partners.leader).get(f"/projects/{other.pk}/").status_code == 404
    assert login(partners.leader).get(f"/api/projects/{other.pk}").status_code == 404
    assert "草稿项目" not in login(partners.leader).get("/projects/").content.decode()


@pytest.mark.parametrize(("who", "status", "count"), [("leader", 200, 1), ("clerk", 200, 1), ("outsider", 404, 0)])
def test_the_api_gives_partners_the_project_and_a_partner_list(approved_project, partners, who, status, count):
    client = login(getattr(partners, who))
    assert client.get(f"/api/projects/{approved_project.pk}").status_code == status
    assert client.get(f"/api/projects/{approved_project.pk}/reports").status_code == status
    assert client.get(f"/api/projects/{approved_project.pk}/changes").status_code == status
    assert client.get("/api/projects?partner=true").json()["count"] == count
    assert client.get("/api/projects").json()["count"] == 0  # their own units' projects: none


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_partner_cannot_change_anything(approved_project, partners):
    pk, client = approved_project.pk, login(partners.leader)
    milestone = Milestone.objects.filter(project=approved_project).first()
    report = {"milestone": milestone.pk, "reported_on": "2018-09-25", "percent": "50", "text": "越权"}
    assert client.post(f"/projects/{pk}/report/", report).status_code == 403
    assert client.get(f"/projects/{pk}/edit/").status_code == 403
    assert client.get(f"/projects/{pk}/change/").status_code == 403
    target = {"name": "x", "measure_unit": "家", "baseline": "1", "target": "2", "direction": "higher"}
    assert client.post(f"/projects/{pk}/targets/", target).status_code == 403
    assert client.post(f"/projects/{pk}/change/decide/", {"decision": "approve"}).status_code == 400  # none pending
    assert client.post(f"/projects/{pk}/nominate/", {"award": 1}).status_code == 403
    assert client.post(f"/api/projects/{pk}/reports", report).status_code == 403
    change = {"reason": "r", "title": "t", "goal": "g", "deadline": "2019-06-30"}
    assert _post(client, f"/api/projects/{pk}/changes", change).status_code == 403
    assert _post(client, f"/api/projects/{pk}/targets", target).status_code == 403
    assert MilestoneReport.objects.count() == 0 and approved_project.changes.count() == 0
    assert approved_project.targets.count() == 1


def test_a_partner_downloads_evidence_an_outsider_does_not(approved_project, partners, settings, tmp_path):
    milestone = Milestone.objects.filter(project=approved_project).first()
    report = MilestoneReport.objects.create(
        milestone=milestone, project=approved_project, reported_on=dt.date(2018, 9, 25), text="t", percent=10
    )
    row = ProjectEvidence(
        project=approved_project, report=report, original_name="方案.pdf", content_type="application/pdf", size=4,
        sha256="0" * 64,
    )  # fmt: skip
    row.file.save("plan.pdf", ContentFile(b"%PDF"), save=True)
    assert login(partners.leader).get(f"/projects/evidence/{row.pk}/").status_code == 200
    assert login(partners.outsider).get(f"/projects/evidence/{row.pk}/").status_code == 404
