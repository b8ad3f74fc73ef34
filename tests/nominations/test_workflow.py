"""The nomination state table: submit within the window, quota slots, who may do what."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock
from zuofeng.nominations.models import DeadlineExtension, Nomination, NominationState
from zuofeng.nominations.workflow import nomination_transition

pytestmark = pytest.mark.django_db
BEFORE = timezone.make_aware(dt.datetime(2018, 10, 20, 10, 0))
LATE = timezone.make_aware(dt.datetime(2018, 11, 2, 0, 0, 0))


def test_nomination_submit_by_unit_leader_takes_slot(star_draft, people):
    with clock.frozen(BEFORE):
        nomination_transition(actor=people.reviewer, nomination=star_draft, to=NominationState.SUBMITTED)
    star_draft.refresh_from_db()
    assert (star_draft.state, star_draft.slot, star_draft.submitted_by) == ("submitted", 1, people.reviewer)


@pytest.mark.parametrize("who", ["own_clerk", "other_leader", "office", "judge"])
def test_nomination_submit_by_others_denied_and_audited(star_draft, people, who):
    with clock.frozen(BEFORE), pytest.raises(PermissionDenied):
        nomination_transition(actor=getattr(people, who), nomination=star_draft, to=NominationState.SUBMITTED)
    assert Nomination.objects.get(pk=star_draft.pk).state == NominationState.DRAFT
    assert AuditEntry.objects.filter(action="nomination.submit", result="denied").count() == 1


def test_nomination_second_star_from_same_unit_refused(star_draft, star_award, org, people):
    second = Nomination.objects.create(award=star_award, campaign=star_award.campaign, unit=org.dept_a, title="李测试")
    with clock.frozen(BEFORE):
        nomination_transition(actor=people.reviewer, nomination=star_draft, to=NominationState.SUBMITTED)
        with pytest.raises(ValidationError, match="已申报 1/1"):
            nomination_transition(actor=people.reviewer, nomination=second, to=NominationState.SUBMITTED)
        nomination_transition(actor=people.reviewer, nomination=star_draft, to=NominationState.WITHDRAWN)
        nomination_transition(actor=people.reviewer, nomination=second, to=NominationState.SUBMITTED)
    assert Nomination.objects.get(pk=second.pk).slot == 1
    assert Nomination.objects.get(pk=star_draft.pk).slot is None


def test_nomination_submit_one_second_after_deadline_refused(star_draft, people):
    with clock.frozen(LATE), pytest.raises(ValidationError, match="截止"):
        nomination_transition(actor=people.reviewer, nomination=star_draft, to=NominationState.SUBMITTED)


def test_nomination_extension_reopens_window_for_that_unit_only(star_draft, star_award, org, people):
    DeadlineExtension.objects.create(
        award=star_award,
        unit=org.dept_a,
        until=LATE + dt.timedelta(days=2),
        reason="盖章人员出差",
        granted_by=people.office,
    )
    with clock.frozen(LATE):
        nomination_transition(actor=people.reviewer, nomination=star_draft, to=NominationState.SUBMITTED)
    assert Nomination.objects.get(pk=star_draft.pk).state == NominationState.SUBMITTED
