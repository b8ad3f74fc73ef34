"""`manage.py demo_projects`, and nominations started from a record: figures carried in, judges see history."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from tests.conftest import login
from zuofeng.accounts.models import User
from zuofeng.campaigns.models import Award
from zuofeng.nominations.models import JudgeAssignment, Nomination, NominationState
from zuofeng.projects.models import Adoption, Initiative, Project, RecordNomination
from zuofeng.projects.selectors.projects import projects_partnered
from zuofeng.projects.services.nominate import record_nominate

pytestmark = pytest.mark.django_db


@pytest.fixture
def district(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    call_command("demo_district", stdout=io.StringIO())
    call_command("load_campaign", "campaigns/wujin-2018.yaml", "--default", stdout=io.StringIO())


def test_the_demo_covers_all_eight_key_areas_with_a_spread_of_progress_and_is_idempotent(district):
    out = io.StringIO()
    call_command("demo_projects", stdout=out)
    assert out.getvalue().startswith("演示攻坚项目已生成：24 个（审核通过 20 个）")
    assert Counter(Project.objects.values_list("key_area__name", flat=True)) == {
        name: 3
        for name in ("项目增效", "企业股改", "特色平台", "高效用地", "生态引领", "教育均等", "增收节支", "高效服务")
    }
    lights = Counter(Project.objects.values_list("light", flat=True))
    assert {"red", "green", "closed", "none"} <= set(lights)
    assert Initiative.objects.filter(promoted_at__isnull=False).count() == 3
    adoptions = Adoption.objects.select_related("initiative")
    assert adoptions.count() == 9
    assert all(a.unit_id != a.initiative.unit_id for a in adoptions)
    # 配合单位: the demo leader's 区财政局 helps with other units' projects and reads the approved ones.
    leader = User.objects.get(username="leader")
    partnered = projects_partnered(user=leader)
    assert partnered.count() >= 2 and all(p.unit.name != "武进区财政局" for p in partnered)
    again = io.StringIO()
    call_command("demo_projects", stdout=again)
    assert "未作修改" in again.getvalue()
    assert Project.objects.count() == 24


def test_an_excellent_project_nomination_is_started_from_the_project(district):
    call_command("demo_projects", stdout=io.StringIO())
    project = Project.objects.filter(key_area__name="高效服务", state="approved").order_by("id").first()
    award = Award.objects.get(campaign=project.campaign, key="excellent-project")
    from zuofeng.nominations.demo import unit_admin

    class Counted:
        accounts = 0

    actor = unit_admin(project.unit, Counted())
    nomination = record_nominate(actor=actor, award=award, project=project)
    assert nomination.state == NominationState.DRAFT
    assert nomination.data["project_name"] == project.title
    assert nomination.data["key_area"] == "高效服务"
    assert nomination.data["period"] == f"{project.starts_on:%Y-%m-%d} 至 {project.deadline:%Y-%m-%d}"
    target = project.targets.get()
    assert f"{target.name} " in nomination.data["main_text"]
    assert RecordNomination.objects.get(nomination=nomination).project == project
    # 创新工作奖 cannot be started from a project (record_awards in the definition)
    innovation = Award.objects.get(campaign=project.campaign, key="innovation")
    with pytest.raises(Exception, match="不能从该记录发起申报"):
        record_nominate(actor=actor, award=innovation, project=project)


def test_judges_of_the_award_read_the_records_history(project, people, campaign):
    award = Award.objects.create(
        campaign=campaign, key="excellent-project", name="优秀项目奖", kind="project", form={"rows": []}, order=1
    )
    nomination = Nomination.objects.create(
        award=award, campaign=campaign, unit=project.unit, state=NominationState.JUDGING, title=project.title
    )
    url = f"/projects/{project.pk}/"
    assert login(people.judge).get(url).status_code == 404
    RecordNomination.objects.create(nomination=nomination, project=project)
    assert login(people.judge).get(url).status_code == 404  # not assigned to the award
    JudgeAssignment.objects.create(award=award, judge=people.judge)
    response = login(people.judge).get(url)
    assert response.status_code == 200
    assert 'data-testid="project-history"' in response.content.decode()
    assert 'data-testid="project-submit"' not in response.content.decode()


def test_a_nomination_from_the_page_opens_the_filled_form(approved_project, people, campaign):
    Award.objects.create(
        campaign=campaign, key="excellent-project", name="优秀项目奖", kind="project", order=1,
        form={"title": "优秀项目奖申报表", "rows": [[{"key": "project_name", "label": "项目名称"}]]},
    )  # fmt: skip
    campaign.settings = {**campaign.settings, "record_awards": {"project": ["excellent-project"], "initiative": []}}
    campaign.save()
    client = login(people.own_clerk)
    page = client.get(f"/projects/{approved_project.pk}/").content.decode()
    assert "申报优秀项目奖" in page
    award = Award.objects.get(key="excellent-project")
    response = client.post(f"/projects/{approved_project.pk}/nominate/", {"award": award.pk})
    nomination = Nomination.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/nominations/{nomination.pk}/edit/"
    assert nomination.data == {"project_name": "企业开办“一窗受理、一日办结”"}
    assert (
        login(people.other_leader).post(f"/projects/{approved_project.pk}/nominate/", {"award": award.pk}).status_code
        == 404
    )
