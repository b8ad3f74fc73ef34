"""A unit's light is a rule on shares of its reviewed measures (作风办设定 in the campaign file), not
"one red measure makes the whole unit red"."""

import datetime as dt
from pathlib import Path

import pytest

from tests.rectification.test_dashboard_data import TODAY, make_measure, make_problem
from zuofeng.campaigns.loader import read_definition
from zuofeng.rectification.lights import DEFAULTS, thresholds, unit_light
from zuofeng.rectification.models import LedgerState, Light, MeasureState
from zuofeng.rectification.selectors.dashboard import dashboard_get, dashboard_scope

RULE = {"unit_red_share": 20, "unit_yellow_share": 20}


def light(red=0, yellow=0, green=0, closed=0, rule=RULE):
    return unit_light(red=red, yellow=yellow, green=green, closed=closed, limits=rule)


@pytest.mark.parametrize(
    ("red", "yellow", "green", "closed", "expected"),
    [
        (1, 0, 4, 0, Light.GREEN),  # exactly 20 % red is not more than 20 %
        (1, 0, 3, 0, Light.RED),  # 25 %
        (20, 0, 79, 0, Light.RED),  # 20.2 %
        (20, 0, 80, 0, Light.GREEN),  # 20.0 %
        (0, 1, 4, 0, Light.GREEN),  # 20 % yellow
        (0, 1, 3, 0, Light.YELLOW),  # 25 % yellow
        (1, 1, 8, 0, Light.GREEN),  # red + yellow exactly 20 %
        (1, 1, 7, 0, Light.YELLOW),  # red 11.1 %, red + yellow 22.2 %
        (1, 0, 0, 4, Light.GREEN),  # closed measures count as done: 1 red in 5
        (1, 0, 0, 3, Light.RED),
        (0, 0, 0, 3, Light.CLOSED),
        (0, 0, 0, 0, Light.NONE),
        (0, 0, 1, 0, Light.GREEN),
    ],
)
def test_unit_light_boundaries(red, yellow, green, closed, expected):
    assert light(red, yellow, green, closed) == expected


def test_the_shares_come_from_the_campaign():
    assert light(1, 0, 9, 0, {"unit_red_share": 5, "unit_yellow_share": 5}) == Light.RED
    assert light(1, 0, 9, 0, {"unit_red_share": 10, "unit_yellow_share": 10}) == Light.GREEN


def test_wujin_campaign_file_sets_twenty_percent():
    definition = read_definition(Path(__file__).resolve().parents[2] / "campaigns" / "wujin-2018.yaml").definition
    assert (definition.settings.unit_red_share, definition.settings.unit_yellow_share) == (20, 20)
    assert (DEFAULTS["unit_red_share"], DEFAULTS["unit_yellow_share"]) == (20, 20)


def test_flat_campaign_settings_are_read(campaign):
    campaign.settings = {"unit_red_share": 30, "yellow_behind": 12}
    assert (thresholds(campaign)["unit_red_share"], thresholds(campaign)["yellow_behind"]) == (30, 12)


@pytest.fixture
def five_measures(campaign, org):
    """预算科: one red measure among five reviewed ones (20 %); 国库科: one red among four (25 %)."""
    for unit, greens in ((org.section_a1, 4), (org.section_a2, 3)):
        problem = make_problem(
            campaign, unit, ledger_state=LedgerState.APPROVED, category="duty", symptom="tuiwei", source="self",
            description="推诿扯皮",
        )  # fmt: skip
        make_measure(problem, "红", state=MeasureState.IN_PROGRESS, light=Light.RED, deadline=dt.date(2018, 9, 20))
        for n in range(greens):
            make_measure(problem, f"绿{n}", state=MeasureState.IN_PROGRESS, light=Light.GREEN, order=n + 2,
                         deadline=dt.date(2018, 12, 20))  # fmt: skip


def test_dashboard_lines_use_the_share_rule(five_measures, campaign, people, org):
    board = dashboard_get(
        scope=dashboard_scope(user=people.office, campaign=campaign, root_id=org.dept_a.pk), today=TODAY
    )
    assert [(r.unit.name, r.lights[Light.RED], r.measures, r.light) for r in board.rows] == [
        ("武进区财政局", 0, 0, Light.NONE),
        ("预算科", 1, 5, Light.GREEN),
        ("国库科", 1, 4, Light.RED),
    ]
    # the two together: 2 red of 9 = 22 %
    assert board.total.light == Light.RED
