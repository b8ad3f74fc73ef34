"""创新举措 (record, 推广, 借鉴) and 岗位建功活动 (record, person's record): rules, bad input, leaks."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import login
from tests.factories import PersonFactory
from zuofeng.projects.models import Adoption, Initiative, PostActivity
from zuofeng.projects.services import initiatives as services

NUMBERS = {
    "steps_before": 6, "steps_after": 2, "materials_before": 12, "materials_after": 5,
    "days_before": Decimal("15"), "days_after": Decimal("3"),
}  # fmt: skip


@pytest.fixture
def initiative(campaign, org, people):
    return services.initiative_create(
        actor=people.own_clerk, campaign=campaign, unit=org.section_a1, title="不动产登记“一窗办理”",
        problem="办证要跑三个窗口", description="税务、登记窗口合并", started_on=dt.date(2018, 9, 3), **NUMBERS,
    )  # fmt: skip


def test_an_initiative_that_removes_nothing_is_refused(campaign, org, people):
    with pytest.raises(ValidationError) as error:
        services.initiative_create(
            actor=people.own_clerk, campaign=campaign, unit=org.section_a1, title="x", problem="y", description="z",
            started_on=dt.date(2018, 9, 3), **{**NUMBERS, "steps_after": 6, "materials_after": 12, "days_after": 15},
        )  # fmt: skip
    assert error.value.message_dict == {"steps_after": ["改革后的环节、材料、时限至少应有一项少于改革前。"]}
    assert Initiative.objects.count() == 0


def test_only_the_office_promotes_and_then_another_unit_adopts(initiative, org, people):
    with pytest.raises(PermissionDenied):
        services.initiative_promote(actor=people.reviewer, initiative=initiative)
    with pytest.raises(ValidationError):
        services.initiative_adopt(
            actor=people.other_leader, initiative=initiative, unit=org.dept_b, adopted_on=dt.date(2018, 10, 1)
        )
    services.initiative_promote(actor=people.office, initiative=initiative)
    services.initiative_adopt(
        actor=people.other_leader, initiative=initiative, unit=org.dept_b, adopted_on=dt.date(2018, 10, 1)
    )
    with pytest.raises(ValidationError) as error:
        services.initiative_adopt(
            actor=people.other_leader, initiative=initiative, unit=org.dept_b, adopted_on=dt.date(2018, 10, 2)
        )
    assert error.value.messages == ["本单位已登记借鉴该举措。"]
    assert list(Adoption.objects.values_list("unit__name", flat=True)) == ["武进区商务局"]


def test_a_promoted_initiative_is_visible_to_every_unit(initiative, people):
    url = f"/projects/initiatives/{initiative.pk}/"
    assert login(people.other_leader).get(url).status_code == 404
    assert "不动产登记" not in login(people.other_leader).get("/projects/initiatives/").content.decode()
    services.initiative_promote(actor=people.office, initiative=initiative)
    response = login(people.other_leader).get(url)
    assert response.status_code == 200
    assert 'data-testid="initiative-adopt"' in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("own_clerk", 200), ("reviewer", 200), ("office", 200), ("inspector", 200), ("sibling_clerk", 404),
     ("other_leader", 404), ("judge", 404), ("sysadmin", 404), ("auditor", 404)],
)  # fmt: skip
def test_initiative_page_leaks(initiative, people, who, status):
    assert login(getattr(people, who)).get(f"/projects/initiatives/{initiative.pk}/").status_code == status


@pytest.mark.parametrize(("who", "status"), [("own_clerk", 200), ("office", 200), ("sysadmin", 403), ("judge", 200)])
def test_list_pages_by_role(campaign, people, who, status):
    # judges may open the list but see nothing: they read records only through a nomination they judge
    client = login(getattr(people, who))
    assert client.get("/projects/initiatives/").status_code == status
    assert client.get("/projects/activities/").status_code == (403 if who in ("sysadmin", "judge") else 200)


def test_the_initiative_form_keeps_what_was_typed(campaign, people):
    response = login(people.own_clerk).post(
        "/projects/initiatives/new/",
        {"title": "证照联办", "problem": "跑多个部门", "description": "一窗受理", "steps_before": "5",
         "steps_after": "两", "materials_before": "8", "materials_after": "3", "days_before": "10", "days_after": "2",
         "started_on": "2018-09-01"},
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 400
    assert "办理环节（改革后）须是整数" in body
    assert 'value="证照联办"' in body


def test_a_post_activity_shows_on_the_persons_record(campaign, org, people):
    person = PersonFactory(unit=org.section_a1, name="王晓芳")
    outsider = PersonFactory(unit=org.dept_b, name="外单位")
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            actor=people.own_clerk, campaign=campaign, unit=org.section_a1, kind="contest", title="业务竞赛",
            held_on=dt.date(2018, 9, 20), participants=[outsider], result="一等奖",
        )  # fmt: skip
    assert error.value.message_dict == {"participants": ["参加人员须是本单位（含下属科室）的人员。"]}
    services.activity_create(
        actor=people.own_clerk, campaign=campaign, unit=org.section_a1, kind="contest", title="窗口业务技能竞赛",
        held_on=dt.date(2018, 9, 20), participants=[person], result="个人一等奖",
    )  # fmt: skip
    assert PostActivity.objects.count() == 1
    # The person's page in the organisation app carries them, for those who may see the person.
    for who in (people.reviewer, people.own_clerk, people.office):
        body = login(who).get(f"/organisation/people/{person.pk}/").content.decode()
        assert "岗位建功记录" in body and "窗口业务技能竞赛" in body and "个人一等奖" in body
    assert login(people.other_leader).get(f"/organisation/people/{person.pk}/").status_code == 404
    assert login(people.sibling_clerk).get(f"/organisation/people/{person.pk}/").status_code == 404
    assert login(people.judge).get(f"/organisation/people/{person.pk}/").status_code == 404
    admin = login(people.sysadmin).get(f"/organisation/people/{person.pk}/").content.decode()
    assert "王晓芳" in admin and "岗位建功记录" not in admin  # the tree's keeper, not a business reader
    old = login(people.reviewer).get(f"/projects/people/{person.pk}/")
    assert (old.status_code, old["Location"]) == (301, f"/organisation/people/{person.pk}/")
    listed = login(people.reviewer).get("/projects/activities/").content.decode()
    assert f'href="/organisation/people/{person.pk}/"' in listed
