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


def lines(board) -> list[tuple]:
    return [(r.unit.name, r.own, r.members, r.drill) for r in board.rows]


def test_office_sees_top_units_with_subtree_rollups(data, campaign, people):
    board = board_for(people.office, campaign)
    assert (board.level, board.trail) == (None, [])
    assert lines(board) == [("武进区财政局", False, 4, "root"), ("武进区商务局", False, 2, "root")]
    assert [(r.problems, r.measures, r.submitted, r.approved, r.closed, r.overdue, r.light) for r in board.rows] == [
        (2, 4, 4, 3, 1, 1, Light.RED),
        (1, 1, 0, 0, 0, 0, Light.NONE),
    ]
    assert [r.ledger_state_label for r in board.rows] == ["2/4 个单位已提交", "0/2 个单位已提交"]


def test_root_shows_own_line_then_child_subtrees_with_exact_figures(data, campaign, people, org):
    board = board_for(people.office, campaign, root=org.dept_a.pk)
    assert board.level == org.dept_a
    assert lines(board) == [
        ("武进区财政局", True, 1, "unit"),
        ("预算科", False, 2, "root"),
        ("国库科", False, 1, "unit"),
    ]
    own, a1, a2 = board.rows
    assert (own.ledger_state_label, own.measures, own.light) == ("未开始", 0, Light.NONE)
    assert (a1.ledger_state_label, a1.problems, a1.measures, a1.submitted, a1.approved, a1.closed, a1.overdue) == (
        "1/2 个单位已提交",
        1,
        3,
        3,
        3,
        1,
        1,
    )
    assert (a1.rate, a1.light, a1.light_label) == (33.3, Light.RED, "红灯")
    assert (a2.ledger_state_label, a2.measures, a2.submitted, a2.approved, a2.light) == ("待审核", 1, 1, 0, Light.NONE)


def test_unit_with_all_measures_closed_shows_closed_light(data, campaign, people, org):
    from zuofeng.rectification.models import Measure, MeasureState

    Measure.objects.filter(unit=data["M1"].unit).update(state=MeasureState.CLOSED, light=Light.CLOSED)
    a1 = board_for(people.office, campaign, root=org.section_a1.pk).rows[0]
    assert (a1.unit.name, a1.own, a1.light, a1.rate) == ("预算科", True, Light.CLOSED, 100.0)


def test_leader_with_one_top_unit_sees_its_own_line_and_children(data, campaign, people, org):
    board = board_for(people.reviewer, campaign)
    assert (board.level, board.trail) == (org.dept_a, [])
    assert [r.unit.name for r in board.rows] == ["武进区财政局", "预算科", "国库科"]
    assert (board.total.problems, board.total.measures) == (2, 4)
    assert counts(board.by_source) == {"自己找": 1, "领导点": 1}
    assert counts(board.by_ledger_state) == {"未开始": 2, "起草中": 0, "待审核": 1, "已退回": 0, "已通过": 1}


def test_reviewer_of_a_unit_elsewhere_sees_it_as_a_top_line(data, campaign, people, org):
    # 按干部管理权限: dept_a also reviews section_b1, whose own parent dept_b stays hidden.
    org.section_b1.reviewer = org.dept_a
    org.section_b1.save()
    board = board_for(people.reviewer, campaign)
    assert board.level is None
    assert lines(board) == [("武进区财政局", False, 4, "root"), ("外贸科", False, 1, "unit")]
    assert [r.ledger_state_label for r in board.rows] == ["2/4 个单位已提交", "起草中"]
    assert board.total.measures == 5
    # the hidden parent is not offered as a way up
    assert board_for(people.reviewer, campaign, root=org.section_b1.pk).trail == []


def test_root_narrows_to_one_subtree(data, campaign, people, org):
    board = board_for(people.office, campaign, root=org.section_a1.pk)
    assert [(r.unit.name, r.own, r.ledger_state_label) for r in board.rows] == [
        ("预算科", True, "已通过"),
        ("财政服务中心", False, "未开始"),
    ]
    assert board.total.measures == 3
    assert (board.level, board.trail) == (org.section_a1, [org.dept_a])


def test_closures_grouped_by_week(data, campaign, people):
    closures = board_for(people.office, campaign).closures
    assert [(c["week"].isoformat(), c["n"]) for c in closures] == [("2018-09-24", 1)]


def test_problems_without_symptom_counted_as_not_filled(data, campaign, people):
    from zuofeng.rectification.models import Problem

    Problem.objects.filter(pk=data["problems"][2].pk).update(symptom=None)
    assert counts(board_for(people.office, campaign).by_symptom) == {"推诿扯皮": 1, "疲软症": 1, "未填写": 1}


def test_inactive_units_left_out_of_every_figure(data, campaign, people, org):
    org.section_b1.is_active = False
    org.section_b1.save()
    board = board_for(people.office, campaign)
    assert [(r.unit.name, r.members, r.measures) for r in board.rows] == [
        ("武进区财政局", 4, 4),
        ("武进区商务局", 1, 0),
    ]
    assert (board.total.measures, counts(board.by_light)["未亮灯"]) == (4, 1)
