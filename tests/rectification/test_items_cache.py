"""The dashboard's drill-down list (dashboard/items/): its drawn table cached under DashboardStamp and
LedgerStamp, shared only by people who see the same units and ask the same filters and page, drawn
again after any write it shows, never a way past the scope, and never holding anyone's CSRF token."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import Role, make_user
from tests.rectification.test_dashboard_data import make_measure
from zuofeng.campaigns.models import ObstructionCategory
from zuofeng.core import clock
from zuofeng.core.pieces import CSRF_SLOT
from zuofeng.organisation.models import Unit
from zuofeng.rectification.models import Ledger, LedgerState, Light, Measure, MeasureState, Problem
from zuofeng.rectification.selectors.dashboard_cache import dashboard_marker
from zuofeng.rectification.selectors.items_cache import items_marker
from zuofeng.rectification.views import dashboard as views

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]
ITEMS = "/rectification/dashboard/items/"
ROW = re.compile(r'<a href="/rectification/measures/\d+/">([^<]*)</a>')


@pytest.fixture
def computed(monkeypatch):
    """Whose tables were drawn (not read from the cache)."""
    calls = []
    real = views._items_part

    def counting(request, **kwargs):
        calls.append(request.user.username)
        return real(request, **kwargs)

    monkeypatch.setattr(views, "_items_part", counting)
    return calls


def part(client, params: dict | None = None) -> str:
    response = client.get(ITEMS, params or {})
    assert response.status_code == 200
    return str(response.context["part"])


def fresh(client, params: dict | None = None) -> str:
    cache.clear()
    return part(client, params)


def texts(html: str) -> list[str]:
    return ROW.findall(html)


# ── scope: one person never gets another's table ───────────────────────────


def test_each_person_gets_the_rows_of_exactly_their_own_units(data, people, client_for):
    viewers = [people.office, people.reviewer, people.other_leader, people.inspector]
    for params in ({}, {"light": Light.NONE}):
        expected = {user.username: fresh(client_for(user), params) for user in viewers}
        cache.clear()
        for user in [*viewers, *reversed(viewers)]:  # warm for everyone, in both orders
            assert part(client_for(user), params) == expected[user.username], (user.username, params)
    everyone = ["实行首问负责制", "公开办事指南", "每月通报办件情况", "压缩支付审批时限", "一次性告知补正材料"]
    assert texts(part(client_for(people.office))) == everyone
    assert texts(part(client_for(people.inspector))) == everyone
    assert texts(part(client_for(people.reviewer))) == everyone[:4]  # 区财政局's units only
    assert texts(part(client_for(people.other_leader))) == ["一次性告知补正材料"]  # 区商务局's
    assert "区商务局" not in part(client_for(people.reviewer))
    assert "区财政局" not in part(client_for(people.other_leader))


def test_a_scoped_person_never_sees_another_units_rows_whatever_the_filter(data, people, client_for, org):
    office = client_for(people.office)
    leader_b = client_for(people.other_leader)
    for params in ({"unit": org.section_a1.pk}, {"light": Light.RED}, {"state": MeasureState.IN_PROGRESS}):
        assert texts(part(office, params))  # cached for the office first
        assert texts(part(leader_b, params)) == []
        assert "没有符合条件的整改措施。" in part(leader_b, params)


def test_a_unit_filter_outside_the_persons_area_does_not_name_the_unit(data, people, client_for, org):
    """Trying ids must not tell a leader the names of other departments' units."""
    assert "单位：区财政局·预算科" in part(client_for(people.office), {"unit": org.section_a1.pk})
    outside = part(client_for(people.other_leader), {"unit": org.section_a1.pk})
    assert "单位：（不存在）" in outside
    assert "预算科" not in outside
    assert "单位：区商务局·外贸科" in part(client_for(people.other_leader), {"unit": org.section_b1.pk})


def test_a_subtree_the_person_may_not_see_is_a_404_though_it_is_cached(data, people, client_for, org):
    assert texts(part(client_for(people.office), {"root": org.dept_b.pk})) == ["一次性告知补正材料"]
    assert client_for(people.reviewer).get(ITEMS, {"root": org.dept_b.pk}).status_code == 404


def test_people_who_see_the_same_units_share_one_table(data, people, client_for, org, computed):
    deputy = make_user("leader_a_deputy", role=Role.UNIT_LEADER, unit=org.dept_a)
    office = part(client_for(people.office))
    assert part(client_for(people.inspector)) == office  # a district-wide inspector sees every unit
    leader = part(client_for(people.reviewer))
    assert part(client_for(deputy)) == leader
    assert computed == ["office", "leader_a"]


def test_each_filter_and_page_is_its_own_table(data, people, client_for, org, campaign, computed):
    client = client_for(people.office)
    duty = campaign.categories.get(key="duty").pk
    asked = [
        ({"light": Light.RED}, ["实行首问负责制"]),
        ({"light": Light.NONE}, ["压缩支付审批时限", "一次性告知补正材料"]),
        ({"state": MeasureState.CLOSED}, ["公开办事指南"]),
        ({"category": duty, "flag": "open"}, ["实行首问负责制", "每月通报办件情况", "一次性告知补正材料"]),
        ({"unit": org.section_a2.pk}, ["压缩支付审批时限"]),
        ({"light": Light.RED, "page": 1}, ["实行首问负责制"]),
    ]
    for params, expected in asked:
        assert texts(part(client, params)) == expected, params
    for params, expected in asked:  # now from the cache
        assert texts(part(client, params)) == expected, params
    assert len(computed) == len(asked) - 1  # page=1 is the page asked without a number: one table
    assert client.get(ITEMS, {"light": Light.RED, "page": 2}).status_code == 404


def test_many_pages_each_cached_with_their_own_rows_and_links(campaign, org, people, client_for):
    from tests.rectification.test_dashboard_data import make_problem

    problem = make_problem(
        campaign, org.section_a1, ledger_state=LedgerState.DRAFT, category="duty", symptom="tuiwei", source="self",
        description="问题",
    )  # fmt: skip
    for i in range(55):
        make_measure(problem, f"措施{i:02d}", state=MeasureState.PLANNED, light=Light.NONE, order=i)
    client = client_for(people.office)
    for _ in range(2):
        first, second = part(client, {"light": Light.NONE}), part(client, {"light": Light.NONE, "page": 2})
        assert texts(first) == [f"措施{i:02d}" for i in range(50)]
        assert texts(second) == [f"措施{i:02d}" for i in range(50, 55)]
        assert "?light=none&amp;page=2" in first and "?light=none&amp;page=1" in second
    assert "?light=none&amp;x=1&amp;page=2" in part(client, {"light": Light.NONE, "x": 1})  # the links keep it


# ── writes: the next page is drawn again and equals a freshly drawn one ─────


def _light(data, org, campaign):
    Measure.objects.filter(pk=data["M3"].pk).update(light=Light.YELLOW)


def _state(data, org, campaign):
    Measure.objects.filter(pk=data["M1"].pk).update(
        state=MeasureState.CLOSED, light=Light.CLOSED, closed_on=dt.date(2018, 9, 30)
    )


def _deadline(data, org, campaign):
    Measure.objects.filter(pk=data["M4"].pk).update(deadline=dt.date(2018, 12, 31))


def _ongoing(data, org, campaign):
    Measure.objects.filter(pk=data["M4"].pk).update(deadline=None, is_ongoing=True)


def _text(data, org, campaign):
    Measure.objects.filter(pk=data["M1"].pk).update(text="实行首问负责制（修订）")


def _responsible_leader(data, org, campaign):
    Measure.objects.filter(pk=data["M1"].pk).update(responsible_leader="王副局长")


def _problem_edited(data, org, campaign):
    Problem.objects.filter(pk=data["problems"][0].pk).update(description="窗口办件推诿扯皮（补充）")


def _problem_recategorised(data, org, campaign):
    Problem.objects.filter(pk=data["problems"][2].pk).update(category=campaign.categories.get(key="thinking"))


def _unit_renamed(data, org, campaign):
    Unit.objects.filter(pk=org.dept_b.pk).update(short_name="区商务委")


def _section_renamed(data, org, campaign):
    Unit.objects.filter(pk=org.section_a2.pk).update(name="国库支付科")


def _unit_deactivated(data, org, campaign):
    Unit.objects.filter(pk=org.section_b1.pk).update(is_active=False)


def _units_reordered(data, org, campaign):
    Unit.objects.filter(pk=org.dept_a.pk).update(sort_key="zzz")


def _new_measure(data, org, campaign):
    make_measure(data["problems"][2], "新措施", state=MeasureState.IN_PROGRESS, light=Light.RED, order=9)


def _measure_deleted(data, org, campaign):
    Measure.objects.filter(pk=data["M5"].pk).delete()


def _list_submitted(data, org, campaign):
    Ledger.objects.filter(unit=org.section_b1).update(state=LedgerState.SUBMITTED)


def _category_renamed(data, org, campaign):
    ObstructionCategory.objects.filter(campaign=campaign, key="duty").update(name="担当中梗阻")


def _light_settings_changed(data, org, campaign):
    campaign.settings = {**(campaign.settings or {}), "unit_red_share": 80}
    campaign.save()


WRITES = [
    _light,
    _state,
    _deadline,
    _ongoing,
    _text,
    _responsible_leader,
    _problem_edited,
    _problem_recategorised,
    _unit_renamed,
    _section_renamed,
    _unit_deactivated,
    _units_reordered,
    _new_measure,
    _measure_deleted,
    _list_submitted,
    _category_renamed,
    _light_settings_changed,
]


@pytest.mark.parametrize("write", WRITES)
def test_after_a_write_the_table_is_drawn_again(data, people, client_for, org, campaign, computed, write):
    duty = campaign.categories.get(key="duty").pk
    asked = [{}, {"category": duty}, {"ledger_state": LedgerState.SUBMITTED}, {"light": Light.RED}]
    client = client_for(people.office)
    for params in asked:
        assert part(client, params) == part(client, params)
    assert computed == ["office"] * len(asked)  # the second of each was the cache's
    write(data, org, campaign)
    after = [part(client, params) for params in asked]
    assert computed == ["office"] * 2 * len(asked)  # all drawn again after the write
    assert after == [fresh(client, params) for params in asked]


@pytest.mark.parametrize(
    ("write", "params", "shown", "gone"),
    [
        (_text, {}, "实行首问负责制（修订）", None),
        (_problem_edited, {}, "窗口办件推诿扯皮（补充）", None),
        (_section_renamed, {}, "区财政局·国库支付科", "区财政局·国库科"),
        (_deadline, {"light": Light.NONE}, "2018年12月31日", "2018年11月30日"),
        (_new_measure, {"light": Light.RED}, "新措施", None),
        (_measure_deleted, {}, None, "一次性告知补正材料"),
        (_category_renamed, {"category": "duty"}, "类别：担当中梗阻", "类别：责任中梗阻"),
        (_light, {"light": Light.YELLOW}, "每月通报办件情况", "没有符合条件"),
    ],
)
def test_the_write_shows_on_the_very_next_page(data, people, client_for, org, campaign, write, params, shown, gone):
    if params.get("category") == "duty":
        params = {"category": campaign.categories.get(key="duty").pk}
    client = client_for(people.office)
    before = part(client, params)
    if gone:
        assert gone in before
    write(data, org, campaign)
    after = part(client, params)
    if shown:
        assert shown in after
    if gone:
        assert gone not in after


def test_the_next_day_draws_again(data, people, client_for, computed):
    client = client_for(people.office)
    assert texts(part(client, {"flag": "overdue"})) == ["实行首问负责制"]
    with clock.frozen(dt.date(2018, 11, 1)):  # 一次性告知补正材料 was due 2018-10-31
        client = client_for(people.office)  # signed in again: a month idle ends the session
        after = part(client, {"flag": "overdue"})
        assert texts(after) == ["实行首问负责制", "一次性告知补正材料"]
        assert after == fresh(client, {"flag": "overdue"})
    assert computed == ["office", "office", "office"]


def test_a_write_the_page_does_not_see_keeps_the_table(data, people, client_for, org, computed):
    client = client_for(people.office)
    before = part(client)
    Unit.objects.filter(pk=org.section_a1.pk).update(code="D01S01-new")  # a unit's code is not shown
    assert part(client) == before
    assert computed == ["office"]


def test_a_named_filter_that_names_nothing_is_not_cached(data, people, client_for, computed):
    client = client_for(people.office)
    assert "类别：（不存在）" in part(client, {"category": 999_999})
    part(client, {"category": 999_999})
    assert computed == ["office", "office"]


def test_a_bad_page_number_is_a_404_and_nothing_is_cached(data, people, client_for, computed):
    client = client_for(people.office)
    for page in ("abc", "0", "2", "１"):
        assert client.get(ITEMS, {"page": page}).status_code == 404
    assert client.get(ITEMS, {"light": "purple"}).status_code == 400
    assert len(cache._cache) == 0  # LocMem: nothing was stored


# ── the markers ─────────────────────────────────────────────────────────────


def test_the_items_marker_moves_with_text_and_description_which_the_boards_does_not(data):
    board, marker = dashboard_marker()[0], items_marker()
    Measure.objects.filter(pk=data["M1"].pk).update(text="改了措施内容")
    Problem.objects.filter(pk=data["problems"][1].pk).update(description="改了问题描述")
    assert dashboard_marker()[0] == board
    after = items_marker()
    assert after[0] == marker[0] and after[2] == marker[2] + 2


def test_a_hit_reads_three_statements(data, people, client_for):
    client = client_for(people.office)
    part(client, {"light": Light.RED})
    with CaptureQueriesContext(connection) as queries:
        assert texts(part(client, {"light": Light.RED})) == ["实行首问负责制"]
    # the session with the user, the current campaign, the two markers with RollupDay
    assert len(queries) == 3, [q["sql"][:80] for q in queries]


# ── the CSRF token ──────────────────────────────────────────────────────────


def test_the_cached_table_holds_no_token_and_each_page_carries_its_own(data, people, client_for):
    office, inspector = client_for(people.office), client_for(people.inspector)
    pages = [
        office.get(ITEMS).content.decode(),
        inspector.get(ITEMS).content.decode(),
        office.get(ITEMS).content.decode(),
    ]
    tokens = []
    for html in pages:
        token = re.search(r'"X-CSRFToken": "(\w+)"', html).group(1)
        assert f'name="csrfmiddlewaretoken" value="{token}"' in html  # the logout form: this request's own
        assert CSRF_SLOT not in html
        tokens.append(token)
    assert len(set(tokens)) == 3
    shared = part(office)
    assert "csrfmiddlewaretoken" not in shared and CSRF_SLOT not in shared
