"""The dashboard's cached board: shared only by people who see the same units, recomputed after any
write that changes what it shows, and the change marker behind that (DashboardStamp)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection

from tests.concurrency import second_writer_does_not_wait
from tests.factories import Role, make_user
from tests.rectification.test_dashboard_data import build, make_measure
from zuofeng.organisation.models import Unit
from zuofeng.rectification import stamp_triggers
from zuofeng.rectification.models import DashboardStamp, Ledger, LedgerState, Light, Measure, MeasureState, Problem
from zuofeng.rectification.selectors.dashboard_cache import dashboard_marker
from zuofeng.rectification.services.rollups import rollups_rebuild
from zuofeng.rectification.views import dashboard as views

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]
URL = "/rectification/dashboard/"


@pytest.fixture
def computed(monkeypatch):
    """How many boards were computed (not read from the cache)."""
    calls = []
    real = views.dashboard_get

    def counting(**kwargs):
        calls.append(kwargs["scope"].user.username)
        return real(**kwargs)

    monkeypatch.setattr(views, "dashboard_get", counting)
    return calls


def board(client, url: str = URL) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return str(response.context["board_html"])


def fresh_board(client, url: str = URL) -> str:
    cache.clear()
    return board(client, url)


# ── scope: one person never gets another's board ───────────────────────────


def test_each_person_gets_the_board_of_exactly_their_own_units(data, people, client_for, org):
    viewers = [people.office, people.reviewer, people.other_leader, people.inspector]
    expected = {user.username: fresh_board(client_for(user)) for user in viewers}
    cache.clear()
    for user in [*viewers, *reversed(viewers)]:  # warm for everyone, in both orders
        assert board(client_for(user)) == expected[user.username], user.username
    assert "外贸科" in expected["leader_b"] and "区财政局" not in expected["leader_b"]
    assert "预算科" in expected["leader_a"] and "区商务局" not in expected["leader_a"]
    assert expected["leader_a"] != expected["leader_b"] != expected["office"]


def test_people_who_see_the_same_units_share_one_board(data, people, client_for, org, computed):
    second_leader = make_user("leader_a_deputy", role=Role.UNIT_LEADER, unit=org.dept_a)
    office_board = board(client_for(people.office))
    assert board(client_for(people.inspector)) == office_board  # a district-wide inspector sees every unit
    leader_board = board(client_for(people.reviewer))
    assert board(client_for(second_leader)) == leader_board
    assert computed == ["office", "leader_a"]


def test_a_subtree_is_its_own_board(data, people, client_for, org):
    whole = board(client_for(people.office))
    subtree = board(client_for(people.office), f"{URL}?root={org.dept_b.pk}")
    assert subtree != whole
    assert "外贸科" in subtree and "预算科" not in subtree
    assert board(client_for(people.office)) == whole


def test_a_person_who_sees_one_unit_more_gets_a_board_of_their_own(data, people, client_for, org, computed):
    board(client_for(people.reviewer))
    # 区财政局's leader now reviews 区商务局 too (a reviewer assignment): they see its subtree
    Unit.objects.filter(pk=org.dept_b.pk).update(reviewer=org.dept_a)
    assert "区商务局" in board(client_for(people.reviewer))
    assert computed == ["leader_a", "leader_a"]


# ── writes: the next page is computed again ────────────────────────────────


def _new_measure(data, org, campaign):
    make_measure(data["problems"][2], "新措施", state=MeasureState.IN_PROGRESS, light=Light.RED, order=9)


def _measure_closed(data, org, campaign):
    Measure.objects.filter(pk=data["M1"].pk).update(
        state=MeasureState.CLOSED, light=Light.CLOSED, closed_on=dt.date(2018, 9, 30)
    )


def _measure_deleted(data, org, campaign):
    Measure.objects.filter(pk=data["M5"].pk).delete()


def _problem_recategorised(data, org, campaign):
    Problem.objects.filter(pk=data["problems"][2].pk).update(category=campaign.categories.get(key="thinking"))


def _list_submitted(data, org, campaign):
    Ledger.objects.filter(unit=org.section_b1).update(state=LedgerState.SUBMITTED)


def _unit_renamed(data, org, campaign):
    Unit.objects.filter(pk=org.dept_b.pk).update(short_name="区商务委")


def _light_settings_changed(data, org, campaign):
    campaign.settings = {**(campaign.settings or {}), "unit_red_share": 80}
    campaign.save()


def _rollups_repaired(data, org, campaign):
    Measure.objects.filter(pk=data["M4"].pk).update(state=MeasureState.IN_PROGRESS, light=Light.GREEN)
    rollups_rebuild()


@pytest.mark.parametrize(
    "write",
    [
        _new_measure,
        _measure_closed,
        _measure_deleted,
        _problem_recategorised,
        _list_submitted,
        _unit_renamed,
        _light_settings_changed,
        _rollups_repaired,
    ],
)
def test_after_a_write_the_board_is_computed_again(data, people, client_for, org, campaign, computed, write):
    client = client_for(people.office)
    board(client)
    board(client)
    assert computed == ["office"]  # the second was the cache's
    write(data, org, campaign)
    assert board(client) == fresh_board(client)
    assert computed == ["office", "office", "office"]


def test_figures_change_on_the_page_right_after_a_write(data, people, client_for):
    client = client_for(people.office)
    assert 'data-testid="total-measures">5<' in board(client)
    _new_measure(data, None, None)
    assert 'data-testid="total-measures">6<' in board(client)


def test_a_write_the_board_does_not_show_keeps_the_cache(data, people, client_for, computed):
    client = client_for(people.office)
    before = board(client)
    Measure.objects.filter(pk=data["M1"].pk).update(text="实行首问负责制（修订）")
    assert board(client) == before
    assert computed == ["office"]


def test_the_page_says_when_its_figures_were_computed(data, people, client_for):
    response = client_for(people.office).get(URL)
    assert "数据更新于 2018年10月1日 09:00:00" in response.content.decode()


# ── the marker ──────────────────────────────────────────────────────────────


def test_marker_grows_with_every_write_the_board_shows_and_only_then(data, org):
    marker = dashboard_marker()[0]
    writes = [
        lambda: Measure.objects.filter(pk=data["M3"].pk).update(light=Light.YELLOW),
        lambda: Ledger.objects.filter(unit=org.section_a2).update(state=LedgerState.APPROVED),
        lambda: Unit.objects.filter(pk=org.section_a2.pk).update(name="国库支付科"),
        lambda: Problem.objects.filter(pk=data["problems"][0].pk).delete(),
    ]
    for write in writes:
        write()
        assert dashboard_marker()[0] > marker
        marker = dashboard_marker()[0]
    Measure.objects.filter(pk=data["M4"].pk).update(text="改了措施内容")
    Unit.objects.filter(pk=org.section_a2.pk).update(code="D01S02-new")
    assert dashboard_marker()[0] == marker


def test_a_measure_moved_between_units_bumps_both(data, org):
    before = dict(DashboardStamp.objects.values_list("unit_id", "changes"))
    Measure.objects.filter(pk=data["M4"].pk).update(unit=org.section_b1)
    after = dict(DashboardStamp.objects.values_list("unit_id", "changes"))
    for unit in (org.section_a2, org.section_b1):
        assert after[unit.pk] > before.get(unit.pk, 0)
    assert {pk for pk in after if after[pk] != before.get(pk)} == {org.section_a2.pk, org.section_b1.pk}


def test_stamps_outlive_their_unit(org, campaign):
    """A deleted unit's stamp stays: the marker (a sum) must never go down to a value it had before."""
    unit = Unit.objects.create(name="临时专班", code="TMP", kind=org.dept_a.kind)
    pk, marker = unit.pk, dashboard_marker()[0]
    unit.delete()
    assert dashboard_marker()[0] == marker + 1
    assert DashboardStamp.objects.filter(unit_id=pk).exists()


def test_missing_stamp_triggers_are_reinstalled(data):
    stamp_triggers.remove(connection)
    marker = dashboard_marker()[0]
    Measure.objects.filter(pk=data["M3"].pk).update(light=Light.YELLOW)
    assert dashboard_marker()[0] == marker
    stamp_triggers.ensure(connection)
    Measure.objects.filter(pk=data["M3"].pk).update(light=Light.RED)
    assert dashboard_marker()[0] == marker + 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_writers_of_different_units_do_not_wait_for_each_other(campaign, org):
    data = build(campaign, org)
    marker = dashboard_marker()[0]
    second_writer_does_not_wait(  # 预算科's writer holds its transaction; 国库科's has no lock to wait for
        lambda: Measure.objects.filter(pk=data["M1"].pk).update(light=Light.YELLOW),
        lambda: Measure.objects.filter(pk=data["M4"].pk).update(light=Light.RED),
    )
    assert dashboard_marker()[0] == marker + 2
