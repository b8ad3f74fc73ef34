"""A person with an accountability decision in the campaign year is flagged on the office's ranking of a
nomination naming them (same unit, same name); a withdrawn or open case flags nothing."""

import datetime as dt

from tests.factories import PersonFactory
from tests.nominations.conftest import nomination_campaign, star_award  # noqa: F401 (fixtures)
from zuofeng.nominations.models import Nomination, NominationState
from zuofeng.supervision.models import AccountabilityCase, CaseState


def test_the_ranking_flags_a_nominee_with_a_decision_this_year(star_award, org, people, client_for):  # noqa: F811
    for name in ("王测试", "李清白"):
        Nomination.objects.create(
            award=star_award,
            campaign=star_award.campaign,
            unit=org.dept_a if name == "王测试" else org.dept_b,
            title=name,
            state=NominationState.JUDGING,
        )
    for unit, name, state in [(org.dept_a, "王测试", CaseState.DECIDED), (org.dept_b, "李清白", CaseState.OPEN)]:
        AccountabilityCase.objects.create(
            campaign=star_award.campaign,
            unit=unit,
            person=PersonFactory(unit=unit, name=name),
            origin="other",
            facts="推诿",
            degree="general",
            state=state,
            measure="admonition",
            decided_on=dt.date(2018, 11, 1),
        )

    body = client_for(people.office).get(f"/nominations/judging/{star_award.pk}/ranking/").content.decode()
    assert body.count('data-testid="accountability-flag"') == 1
    row = body.split("<td>王测试")[1][:200]
    assert "本年度受问责" in row
