"""Dashboard figures: exact counts for the small fixture ledger, scoped per person."""

import pytest

from tests.rectification.test_dashboard_data import TODAY, build
from zuofeng.rectification.models import Light
from zuofeng.rectification.selectors.dashboard import dashboard_get, dashboard_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(campaign, org):
    return build(campaign, org)


def board_for(user, campaign, root=None):
    return dashboard_get(scope=dashboard_scope(user=user, campaign=campaign, root_id=root), today=TODAY)


def counts(items) -> dict:
    return {c["label"]: c["n"] for c in items}


def test_office_totals_cover_the_whole_district(data, campaign, people):
    board = board_for(people.office, campaign)
    t = board.total
    assert (t.problems, t.measures, t.submitted, t.approved, t.closed, t.overdue, t.rate) == (3, 5, 4, 3, 1, 1, 20.0)


def test_office_counts_by_category_symptom_source(data, campaign, people):
    board = board_for(people.office, campaign)
    assert counts(board.by_category) == {"思维中梗阻": 1, "责任中梗阻": 2}
    assert counts(board.by_symptom) == {"疲软症": 1, "推诿扯皮": 2}
    assert counts(board.by_source) == {"自己找": 1, "领导点": 1, "群众提": 1}


def test_office_counts_by_ledger_state_measure_state_and_light(data, campaign, people):
    board = board_for(people.office, campaign)
    assert counts(board.by_ledger_state) == {"未开始": 3, "起草中": 1, "待审核": 1, "已退回": 0, "已通过": 1}
    assert counts(board.by_state) == {"未审定": 2, "整改中": 2, "申请销号": 0, "已销号": 1}
    assert counts(board.by_light) == {"绿灯": 1, "黄灯": 0, "红灯": 1, "已销号": 1, "未亮灯": 2}


def test_unit_rows_in_official_order_with_exact_figures(data, campaign, people, org):
    rows = board_for(people.office, campaign).rows
    assert [r.unit.name for r in rows] == ["武进区财政局", "预算科", "财政服务中心", "国库科", "武进区商务局", "外贸科"]
    a1 = rows[1]
    assert (a1.ledger_state_label, a1.problems, a1.measures, a1.submitted, a1.approved, a1.closed, a1.overdue) == (
        "已通过",
        1,
        3,
        3,
        3,
        1,
        1,
    )
    assert (a1.rate, a1.light, a1.light_label) == (33.3, Light.RED, "红灯")
    a2 = rows[3]
    assert (a2.ledger_state_label, a2.measures, a2.submitted, a2.approved, a2.light) == ("待审核", 1, 1, 0, Light.NONE)
    assert (rows[0].ledger_state_label, rows[0].measures, rows[0].light) == ("未开始", 0, Light.NONE)


def test_subtrees_roll_up_top_level_units(data, campaign, people):
    subtrees = board_for(people.office, campaign).subtrees
    assert [(s.unit.name, s.members, s.problems, s.measures, s.closed, s.light) for s in subtrees] == [
        ("武进区财政局", 4, 2, 4, 1, Light.RED),
        ("武进区商务局", 2, 1, 1, 0, Light.NONE),
    ]
    assert [s.ledger_state_label for s in subtrees] == ["2/4 个单位已提交", "0/2 个单位已提交"]


def test_unit_with_all_measures_closed_shows_closed_light(data, campaign, people):
    from zuofeng.rectification.models import Measure, MeasureState

    Measure.objects.filter(unit=data["M1"].unit).update(state=MeasureState.CLOSED, light=Light.CLOSED)
    a1 = board_for(people.office, campaign).rows[1]
    assert (a1.light, a1.rate) == (Light.CLOSED, 100.0)


def test_leader_sees_only_own_subtree(data, campaign, people):
    board = board_for(people.reviewer, campaign)
    assert [r.unit.name for r in board.rows] == ["武进区财政局", "预算科", "财政服务中心", "国库科"]
    assert (board.total.problems, board.total.measures) == (2, 4)
    assert counts(board.by_source) == {"自己找": 1, "领导点": 1}


def test_root_narrows_to_one_subtree(data, campaign, people, org):
    board = board_for(people.office, campaign, root=org.section_a1.pk)
    assert [r.unit.name for r in board.rows] == ["预算科", "财政服务中心"]
    assert board.total.measures == 3


def test_closures_grouped_by_week(data, campaign, people):
    closures = board_for(people.office, campaign).closures
    assert [(c["week"].isoformat(), c["n"]) for c in closures] == [("2018-09-24", 1)]
