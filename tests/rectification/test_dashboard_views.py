"""Dashboard pages: who may open them, drill-down filters, constant query counts."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_unit
from tests.rectification.test_dashboard_data import make_measure, make_problem
from zuofeng.rectification.models import LedgerState, Light, MeasureState

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]
URL = "/rectification/dashboard/"
ITEMS = "/rectification/dashboard/items/"


def item_texts(response) -> list[str]:
    assert response.status_code == 200
    return [m.text for m in response.context["page"]]


def test_dashboard_for_clerk_is_403(data, people, client_for):
    assert client_for(people.own_clerk).get(URL).status_code == 403
    assert client_for(people.own_clerk).get(ITEMS).status_code == 403


def test_dashboard_for_anonymous_redirects_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_dashboard_for_office_lists_top_units_with_links(data, people, client_for, org):
    response = client_for(people.office).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert [r.unit.name for r in response.context["board"].rows] == ["武进区财政局", "武进区商务局"]
    assert f"{ITEMS}?root={org.dept_a.pk}&amp;flag=overdue" in html
    assert f'<a href="?root={org.dept_a.pk}" title="查看其下级单位">区财政局</a>' in html
    assert 'data-testid="subtree-table"' not in html
    assert "vendor/echarts/echarts.min.js" in html
    assert 'id="zf-chart-data"' in html
    charts = response.context["charts"]
    assert charts["category"]["values"] == [1, 2]
    assert charts["lights"]["units"] == ["区财政局", "区商务局"]
    assert [s["values"] for s in charts["lights"]["series"]] == [[1, 0], [0, 0], [1, 0], [1, 0]]
    assert charts["lights"]["series"][0]["urls"] == [
        f"{ITEMS}?root={org.dept_a.pk}&light=red",
        f"{ITEMS}?root={org.dept_b.pk}&light=red",
    ]
    assert charts["closures"] == {"weeks": ["9月24日当周"], "values": [1]}


def test_dashboard_for_leader_opens_at_own_unit(data, people, client_for, org):
    response = client_for(people.reviewer).get(URL)
    assert [r.unit.name for r in response.context["board"].rows] == ["武进区财政局", "预算科", "国库科"]
    charts = response.context["charts"]
    assert charts["lights"]["units"] == ["区财政局（本级）", "预算科", "国库科"]
    assert charts["lights"]["series"][0]["urls"] == [
        f"{ITEMS}?unit={org.dept_a.pk}&light=red",
        f"{ITEMS}?root={org.section_a1.pk}&light=red",
        f"{ITEMS}?unit={org.section_a2.pk}&light=red",
    ]


def test_dashboard_root_shows_way_back_up(data, people, client_for, org):
    response = client_for(people.office).get(URL, {"root": org.section_a1.pk})
    html = response.content.decode()
    assert f'<li class="breadcrumb-item"><a href="?root={org.dept_a.pk}">区财政局</a></li>' in html
    assert "预算科（本级）及下级单位" in html
    # drill-downs of the unit's own line keep the page's root
    assert f"{ITEMS}?root={org.section_a1.pk}&amp;unit={org.section_a1.pk}&amp;flag=closed" in html
    assert response.context["charts"]["category"]["urls"][0] == f"{ITEMS}?root={org.section_a1.pk}&category=" + str(
        response.context["board"].by_category[0]["key"]
    )


def test_dashboard_root_outside_scope_is_404(data, people, client_for, org):
    client = client_for(people.reviewer)
    assert client.get(URL, {"root": org.dept_b.pk}).status_code == 404
    assert client.get(URL, {"root": 999999}).status_code == 404
    assert client.get(URL, {"root": "abc"}).status_code == 404
    assert client.get(ITEMS, {"root": org.dept_b.pk}).status_code == 404


def test_dashboard_root_for_office(data, people, client_for, org):
    response = client_for(people.office).get(URL, {"root": org.dept_b.pk})
    assert [r.unit.name for r in response.context["board"].rows] == ["武进区商务局", "外贸科"]
    assert f"/rectification/dashboard/word/{org.dept_b.pk}/" in response.content.decode()


def test_dashboard_for_inspector_district_wide(data, people, client_for):
    response = client_for(people.inspector).get(URL)
    assert response.context["board"].total.measures == 5


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["实行首问负责制", "公开办事指南", "每月通报办件情况", "压缩支付审批时限", "一次性告知补正材料"]),
        ({"flag": "overdue"}, ["实行首问负责制"]),
        ({"flag": "closed"}, ["公开办事指南"]),
        ({"flag": "submitted"}, ["实行首问负责制", "公开办事指南", "每月通报办件情况", "压缩支付审批时限"]),
        ({"flag": "approved"}, ["实行首问负责制", "公开办事指南", "每月通报办件情况"]),
        ({"flag": "open"}, ["实行首问负责制", "每月通报办件情况", "压缩支付审批时限", "一次性告知补正材料"]),
        ({"light": Light.RED}, ["实行首问负责制"]),
        ({"light": Light.NONE}, ["压缩支付审批时限", "一次性告知补正材料"]),
        ({"state": MeasureState.CLOSED}, ["公开办事指南"]),
        ({"ledger_state": LedgerState.SUBMITTED}, ["压缩支付审批时限"]),
    ],
)
def test_items_filters_return_exactly_the_measures(data, people, client_for, params, expected):
    assert item_texts(client_for(people.office).get(ITEMS, params)) == expected


def test_items_filter_by_unit_category_symptom_source(data, people, client_for, campaign, org):
    client = client_for(people.office)
    duty = campaign.categories.get(key="duty").pk
    response = client.get(ITEMS, {"category": duty, "unit": org.section_b1.pk, "light": "none", "flag": "open"})
    assert item_texts(response) == ["一次性告知补正材料"]
    conditions = ["单位：区商务局·外贸科", "类别：责任中梗阻", "亮灯：未亮灯", "范围：未销号"]
    assert response.context["conditions"] == conditions
    pirou = campaign.symptoms.get(key="pirou").pk
    assert item_texts(client.get(ITEMS, {"symptom": pirou})) == ["压缩支付审批时限"]
    public = campaign.sources.get(key="public").pk
    assert item_texts(client.get(ITEMS, {"source": public})) == ["一次性告知补正材料"]
    assert item_texts(client.get(ITEMS, {"root": org.dept_b.pk})) == ["一次性告知补正材料"]


def test_items_for_leader_never_show_other_subtree(data, people, client_for, org):
    client = client_for(people.reviewer)
    assert item_texts(client.get(ITEMS, {"unit": org.section_b1.pk})) == []
    response = client.get(ITEMS)
    assert response.context["page"].paginator.count == 4
    assert "长期坚持" in response.content.decode()


def test_items_bad_filter_is_400_with_chinese_message(data, people, client_for):
    response = client_for(people.office).get(ITEMS, {"light": "purple"})
    assert response.status_code == 400
    assert "筛选条件不正确：亮灯：选择一个有效的选项。 purple 不在可用的选项中。" in response.content.decode()


def test_items_count_is_capped_for_huge_lists(data, people, client_for, monkeypatch):
    from zuofeng.rectification.views.dashboard import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "CAP", 3)
    client = client_for(people.office)
    response = client.get(ITEMS)
    assert (response.context["page"].paginator.count, response.context["page"].paginator.capped) == (3, True)
    assert len(response.context["page"]) == 3
    assert '超过 <span data-testid="item-count">3</span> 条整改措施（只列出前 3 条' in response.content.decode()
    exact = client.get(ITEMS, {"state": MeasureState.IN_PROGRESS})
    assert (exact.context["page"].paginator.count, exact.context["page"].paginator.capped) == (2, False)
    assert '共 <span data-testid="item-count">2</span> 条整改措施</p>' in exact.content.decode()


def test_items_paginated_fifty_a_page(campaign, org, people, client_for):
    problem = make_problem(
        campaign,
        org.section_a1,
        ledger_state=LedgerState.DRAFT,
        category="duty",
        symptom="tuiwei",
        source="self",
        description="问题",
    )
    for i in range(55):
        make_measure(
            problem,
            f"措施{i:02d}",
            state=MeasureState.PLANNED,
            light=Light.NONE,
            deadline=dt.date(2018, 12, 1),
            order=i,
        )
    client = client_for(people.office)
    first = client.get(ITEMS)
    assert len(first.context["page"]) == 50
    assert "page=2" in first.content.decode()
    assert [m.text for m in client.get(ITEMS, {"page": 2}).context["page"]] == [f"措施{i}" for i in range(50, 55)]


def _city(campaign, n: int):
    for i in range(n):
        dept = make_unit(name=f"部门{i}", order=10 + i, code=f"C{n}-{i}")
        problem = make_problem(
            campaign,
            dept,
            ledger_state=LedgerState.SUBMITTED,
            category="duty",
            symptom="tuiwei",
            source="self",
            description=f"问题{i}",
        )
        make_measure(
            problem, f"措施{i}", state=MeasureState.IN_PROGRESS, light=Light.YELLOW, deadline=dt.date(2018, 10, 10)
        )
        make_measure(
            problem,
            f"措施{i}b",
            state=MeasureState.CLOSED,
            light=Light.CLOSED,
            deadline=dt.date(2018, 10, 10),
            closed_on=dt.date(2018, 9, 20 + i % 10),
            order=2,
        )


def _queries(client, url) -> int:
    cache.clear()  # the cost of computing the board, not of reading it from the cache
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_constant_for_3_vs_30_units(campaign, people, client_for):
    client = client_for(people.office)
    _city(campaign, 3)
    client.get(URL)  # first request of a session writes session and policy rows once
    small = (_queries(client, URL), _queries(client, ITEMS))
    _city(campaign, 27)
    large = (_queries(client, URL), _queries(client, ITEMS))
    assert small == large


def test_query_count_constant_one_level_down_for_3_vs_30_children(campaign, people, client_for):
    client = client_for(people.office)
    parent = make_unit(name="城区", order=90, code="P-ROOT")

    def children(start: int, n: int) -> None:
        for i in range(start, start + n):
            unit = make_unit(name=f"科室{i}", parent=parent, order=i, code=f"P-{i}")
            problem = make_problem(
                campaign,
                unit,
                ledger_state=LedgerState.APPROVED,
                category="duty",
                symptom="tuiwei",
                source="self",
                description=f"问题{i}",
            )
            make_measure(
                problem, f"措施{i}", state=MeasureState.IN_PROGRESS, light=Light.RED, deadline=dt.date(2018, 9, 25)
            )

    children(0, 3)
    url, items = f"{URL}?root={parent.pk}", f"{ITEMS}?root={parent.pk}&light=red"
    client.get(url)
    small = (_queries(client, url), _queries(client, items))
    children(3, 27)
    large = (_queries(client, url), _queries(client, items))
    assert small == large
    board = client.get(url).context["board"]
    assert (len(board.rows), board.total.measures, board.total.overdue) == (31, 30, 30)
