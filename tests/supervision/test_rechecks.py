"""回头看: a seeded sample of closed measures; not fixed → reopened with the finding, counted as 纸面销号."""

import pytest
from django.core.exceptions import ValidationError

from zuofeng.rectification.models import LedgerEvent, Measure, MeasureState
from zuofeng.supervision.models import FindingState, RecheckScope, Verdict
from zuofeng.supervision.selectors.rechecks import paper_closures
from zuofeng.supervision.services.rechecks import (
    recheck_create,
    recheck_reopen,
    recheck_verify,
    sample_closed_measures,
)


@pytest.fixture
def closed_measure(problem_with_measure):
    _, measure = problem_with_measure
    Measure.objects.filter(pk=measure.pk).update(state=MeasureState.CLOSED)
    measure.refresh_from_db()
    return measure


@pytest.fixture
def sample(supervised, closed_measure, people, inspectors):
    return recheck_create(
        actor=people.office,
        campaign=supervised,
        name="销号回头看",
        scope=RecheckScope.UNIT,
        size=2,
        seed=7,
        team=[inspectors.on_team],
    )


def test_the_same_seed_draws_the_same_closed_measures(supervised, closed_measure):
    assert sample_closed_measures(campaign=supervised, scope="unit", size=3, seed=1) == [
        (closed_measure.pk, closed_measure.unit_id)
    ]
    assert sample_closed_measures(campaign=supervised, scope="district", size=1, seed=9) == sample_closed_measures(
        campaign=supervised, scope="district", size=1, seed=9
    )


def test_the_office_finds_it_not_fixed_and_the_measure_reopens_as_paper_closure(sample, closed_measure, people, org):
    item = sample.items.get()
    recheck_verify(actor=people.office, item=item, verdict=Verdict.NOT_FIXED, text="窗口仍未一次性告知")

    closed_measure.refresh_from_db()
    assert closed_measure.state == MeasureState.IN_PROGRESS
    event = LedgerEvent.objects.get(measure=closed_measure, action="measure.reopen")
    assert event.comment == "回头看（销号回头看）发现未整改到位（纸面销号）：窗口仍未一次性告知"
    item.refresh_from_db()
    assert item.finding.state == FindingState.CONFIRMED
    assert item.finding.measure == closed_measure
    assert item.reopened_at is not None
    assert paper_closures(user=people.office, campaign=sample.campaign) == {org.section_a1.pk: 1}
    assert paper_closures(user=people.other_leader, campaign=sample.campaign) == {}


def test_an_inspectors_verdict_waits_for_the_office_to_reopen(sample, closed_measure, people, inspectors):
    item = sample.items.get()
    recheck_verify(actor=inspectors.on_team, item=item, verdict=Verdict.NOT_FIXED, text="台账补记")
    closed_measure.refresh_from_db()
    assert closed_measure.state == MeasureState.CLOSED

    recheck_reopen(actor=people.office, item=item)
    closed_measure.refresh_from_db()
    assert closed_measure.state == MeasureState.IN_PROGRESS


def test_not_fixed_needs_what_was_seen_and_an_item_is_verified_once(sample, people):
    item = sample.items.get()
    with pytest.raises(ValidationError) as raised:
        recheck_verify(actor=people.office, item=item, verdict=Verdict.NOT_FIXED, text=" ")
    assert raised.value.message_dict["text"] == ["请写明未整改到位的情况。"]
    recheck_verify(actor=people.office, item=item, verdict=Verdict.FIXED)
    with pytest.raises(ValidationError):
        recheck_verify(actor=people.office, item=item, verdict=Verdict.NOT_FIXED, text="x")
