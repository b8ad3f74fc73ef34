"""An inspector's 我的工作 shows the rounds on whose team they are that have not ended, and the units of
each with no finding recorded yet, linked to the finding form for that unit."""

import datetime as dt

from zuofeng.core import clock
from zuofeng.supervision.models import Severity
from zuofeng.supervision.services.findings import finding_record

DURING = dt.date(2018, 10, 9)


def _card(client):
    with clock.frozen(DURING):
        page = client.get("/").content.decode()
    start = page.find('data-testid="my-rounds-card"')
    return page[start : page.find("</div></div>", start)] if start >= 0 else None


def test_the_team_inspector_sees_the_round_and_the_units_left(round_, org, inspectors, client_for):
    card = _card(client_for(inspectors.on_team))
    assert "2018年第一轮专项督查" in card
    assert "尚未记录发现的单位 2 个" in card
    assert f"/supervision/rounds/{round_.pk}/findings/new/?unit={org.section_b1.pk}" in card
    finding_record(
        actor=inspectors.on_team,
        round=round_,
        unit=org.section_b1,
        category=round_.campaign.categories.get(key="duty"),
        severity=Severity.GENERAL,
        text="推诿",
        found_on=DURING,
    )
    card = _card(client_for(inspectors.on_team))
    assert "尚未记录发现的单位 1 个" in card
    assert f"?unit={org.section_b1.pk}" not in card
    assert f"?unit={org.section_a1.pk}" in card


def test_an_ended_round_and_other_teams_rounds_are_not_listed(round_, people, inspectors, client_for):
    assert "当前没有安排给您的专项督查" in _card(client_for(inspectors.off_team))
    round_.ends_on = dt.date(2018, 10, 8)
    round_.save()
    assert "当前没有安排给您的专项督查" in _card(client_for(inspectors.on_team))
    for user in (people.office, people.own_clerk, people.judge):
        assert _card(client_for(user)) is None
