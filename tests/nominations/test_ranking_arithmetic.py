"""Ranking arithmetic: weighted totals per judge, mean or median across judges, ties, order."""

from decimal import Decimal as D

import pytest

from zuofeng.campaigns.loader import CampaignFileError, read_definition
from zuofeng.nominations.selectors.judging import MEAN, MEDIAN, aggregate, judge_total, rank

WEIGHTS = [25, 35, 20, 20]


def test_judge_total_weighted_sum_over_100():
    # 90×25 + 80×35 + 70×20 + 60×20 = 2250 + 2800 + 1400 + 1200 = 7650 → 76.50
    assert judge_total({0: D("90"), 1: D("80"), 2: D("70"), 3: D("60")}, WEIGHTS) == D("76.50")


def test_judge_total_rounds_half_up_to_cents():
    # 33.33×40 + 66.67×60 = 1333.2 + 4000.2 = 5333.4 → 53.334 → 53.33; 0.05×50+0×50 → 0.025 → 0.03
    assert judge_total({0: D("33.33"), 1: D("66.67")}, [40, 60]) == D("53.33")
    assert judge_total({0: D("0.05"), 1: D("0")}, [50, 50]) == D("0.03")


def test_judge_total_none_while_a_criterion_is_unscored():
    assert judge_total({0: D("90"), 1: D("80")}, WEIGHTS) is None
    assert judge_total({}, []) is None


def test_aggregate_mean_of_three_judges():
    assert aggregate([D("80.00"), D("85.50"), D("90.25")], MEAN) == D("85.25")


def test_aggregate_mean_rounds_to_cents():
    assert aggregate([D("80"), D("80"), D("81")], MEAN) == D("80.33")


def test_aggregate_median_odd_count_is_middle_value():
    assert aggregate([D("95"), D("60"), D("82.5")], MEDIAN) == D("82.50")


def test_aggregate_median_even_count_is_mean_of_middle_two():
    assert aggregate([D("70"), D("90"), D("80"), D("99")], MEDIAN) == D("85.00")
    assert aggregate([D("70.01"), D("70.02")], MEDIAN) == D("70.02")  # 70.015 rounds half up


def test_aggregate_without_totals_is_none():
    assert aggregate([], MEAN) is None
    assert aggregate([], MEDIAN) is None


def _all(score: str) -> dict[int, D]:
    return {0: D(score), 1: D(score)}


def test_rank_orders_by_aggregate_flags_ties_and_shares_rank():
    entries = {
        1: {10: _all("80"), 11: _all("90")},  # mean 85.00
        2: {10: _all("95")},  # 95.00
        3: {10: _all("85"), 11: _all("85")},  # 85.00, tied with 1
        4: {},  # no scores yet
        5: {10: {0: D("70")}},  # incomplete: not counted
    }
    rows = rank(entries, [40, 60], MEAN, order=[3, 1, 2, 4, 5])
    assert [(r.nomination_id, r.aggregate, r.rank, r.tie, r.judges) for r in rows] == [
        (2, D("95.00"), 1, False, 1),
        (3, D("85.00"), 2, True, 2),
        (1, D("85.00"), 2, True, 2),
        (4, None, None, False, 0),
        (5, None, None, False, 0),
    ]
    assert rows[0].totals == {10: D("95.00")}


def test_rank_median_differs_from_mean():
    entries = {1: {10: _all("60"), 11: _all("90"), 12: _all("91")}, 2: {10: _all("80"), 11: _all("80")}}
    by_mean = [(r.nomination_id, r.aggregate) for r in rank(entries, [40, 60], MEAN)]
    by_median = [(r.nomination_id, r.aggregate) for r in rank(entries, [40, 60], MEDIAN)]
    assert by_mean == [(1, D("80.33")), (2, D("80.00"))]
    assert by_median == [(1, D("90.00")), (2, D("80.00"))]


def test_rank_next_rank_after_tie_skips():
    entries = {1: {9: _all("90")}, 2: {9: _all("90")}, 3: {9: _all("70")}}
    assert [(r.nomination_id, r.rank) for r in rank(entries, [40, 60], order=[1, 2, 3])] == [(1, 1), (2, 1), (3, 3)]


def test_campaign_file_aggregate_setting_read_and_checked(tmp_path, settings):
    text = (settings.BASE_DIR / "campaigns" / "wujin-2018.yaml").read_text(encoding="utf-8")
    assert "judging: {aggregate: mean}" in text
    assert read_definition(settings.BASE_DIR / "campaigns" / "wujin-2018.yaml").raw["awards"][0]["judging"] == {
        "aggregate": "mean"
    }
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("judging: {aggregate: mean}", "judging: {aggregate: max}"), encoding="utf-8")
    with pytest.raises(CampaignFileError) as refused:
        read_definition(bad)
    assert "awards[0].judging.aggregate：必须是以下之一：mean、median" in str(refused.value)
