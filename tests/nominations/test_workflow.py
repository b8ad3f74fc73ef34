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


def test_judge_in_a_section_conflicts_with_the_whole_department(org, people):
    from zuofeng.accounts.permissions import judge_conflicts
    from zuofeng.organisation.models import Person

    judge_person = Person.objects.create(name="评委甲", unit=org.section_a2)
    people.judge.person = judge_person
    people.judge.save()
    assert judge_conflicts(people.judge, org.dept_a)
    assert judge_conflicts(people.judge, org.sub_a1x)
    assert not judge_conflicts(people.judge, org.dept_b)


def test_judge_conflicts_with_units_their_unit_reviews(org, people):
    from zuofeng.accounts.permissions import judge_conflicts
    from zuofeng.organisation.models import Person

    org.dept_b.reviewer = org.dept_a
    org.dept_b.save()
    people.judge.person = Person.objects.create(name="评委乙", unit=org.dept_a)
    people.judge.save()
    assert judge_conflicts(people.judge, org.section_b1)
