"""The arithmetic: item caps and floors, group weights and floors, skipped items, ranks, grade caps and ties."""

from decimal import Decimal as D

from zuofeng.assessment.scoring import ItemValue, Placed, group_score, item_clamp, rank_and_grade, total_score
from zuofeng.campaigns.schema import GradeDef, RubricDef


def _rubric():
    return RubricDef.model_validate(
        {
            "key": "r",
            "name": "细则",
            "groups": [
                {
                    "key": "a",
                    "name": "甲",
                    "weight": 60,
                    "items": [
                        {"key": "rate", "name": "完成率", "kind": "completion_rate", "points": 30},
                        {"key": "late", "name": "逾期", "kind": "overdue_measures", "per_item": -1, "floor": -10},
                        {"key": "gone", "name": "纸面销号", "kind": "paper_closeout", "points": 10},
                    ],
                },
                {
                    "key": "b",
                    "name": "乙",
                    "weight": 40,
                    "items": [{"key": "hand", "name": "测评", "kind": "hand", "points": 20}],
                },
                {
                    "key": "plus",
                    "name": "加分",
                    "weight": 5,
                    "bonus": True,
                    "items": [{"key": "won", "name": "获奖", "kind": "awards_won", "per_item": 2, "cap": 6}],
                },
            ],
        }
    )


def _values(**points):
    return {
        k: ItemValue(k, None if v is None else D(v), skipped=(v is None and k == "gone")) for k, v in points.items()
    }


def test_item_cap_and_floor():
    rubric = _rubric()
    late, won, rate = rubric.groups[0].items[1], rubric.groups[2].items[0], rubric.groups[0].items[0]
    assert item_clamp(late, D(-15)) == D("-10.00")
    assert item_clamp(late, D(-3)) == D("-3.00")
    assert item_clamp(won, D(8)) == D("6.00")
    assert item_clamp(rate, D("31")) == D("30.00")  # a rated item's cap is its points


def test_skipped_item_leaves_the_full_marks_and_group_floor_holds():
    group = _rubric().groups[0]
    assert group_score(group, _values(rate="30", late="-4", gone=None)) == (D("26.00"), D("30.00"))
    assert group_score(group, _values(rate="3", late="-10", gone=None)) == (D("0.00"), D("30.00"))  # floor 0


def test_total_is_weighted_and_bonus_on_top():
    rubric = _rubric()
    values = _values(rate="30", late="-4", gone=None, hand="10", won="4")
    # 100 × (60 × 26/30 + 40 × 10/20) / 100 + 4 = 52 + 20 + 4
    assert total_score(rubric, values) == D("76.00")


def test_bonus_group_capped_by_its_weight():
    values = _values(rate="30", late="0", gone=None, hand="20", won="6")
    assert total_score(_rubric(), values) == D("105.00")  # 100 + min(6, 5)


GRADES = [
    GradeDef(name="优秀", min_score=90, max_share=30),
    GradeDef(name="良好", min_score=80),
    GradeDef(name="一般", min_score=60),
    GradeDef(name="较差", min_score=0),
]


def _placed(*totals):
    return [Placed(key=i, total=D(t)) for i, t in enumerate(totals)]


def test_ranks_share_places_on_ties():
    ranked = rank_and_grade(_placed("95", "90", "90", "70"), GRADES)
    assert [(e.total, e.rank, e.tied) for e in ranked] == [
        (D(95), 1, False),
        (D(90), 2, True),
        (D(90), 2, True),
        (D(70), 4, False),
    ]


def test_excellent_share_cap():
    # 10 units, 30 % → at most 3 优秀 though five reach 90
    ranked = rank_and_grade(_placed("99", "98", "97", "96", "95", "85", "75", "65", "55", "45"), GRADES)
    assert [e.grade for e in ranked] == ["优秀"] * 3 + ["良好"] * 3 + ["一般"] * 2 + ["较差"] * 2


def test_a_tie_at_the_cap_is_not_split():
    # 10 units, cap 3: 99, then three tied at 95 → the tie does not fit, only 99 is 优秀
    ranked = rank_and_grade(_placed("99", "95", "95", "95", "80", "80", "70", "60", "50", "40"), GRADES)
    assert [e.grade for e in ranked[:4]] == ["优秀", "良好", "良好", "良好"]
    assert {e.grade for e in ranked if e.total == D(95)} == {"良好"}
