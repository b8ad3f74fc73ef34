"""Automatic 催办 7, 3 and 1 days before an award's deadline; a re-run sends nothing twice."""

import datetime as dt

import pytest

from tests.nominations import nominate_support as support
from tests.nominations.nominate_support import STAR_DATA
from zuofeng.nominations.models import DeadlineExtension, Nomination, NominationState
from zuofeng.nominations.tasks.reminders import nomination_daily_reminders, nomination_deadline_reminders
from zuofeng.reminders.models import Reminder, ReminderKind

# Fixtures shared with the other nomination tests (pytest finds them as module attributes).
case = support.case
star = support.star
wujin = support.wujin


pytestmark = pytest.mark.django_db


def test_board_reminders_seven_three_one_days_before(case, org, people):
    for day, expected in ((dt.date(2018, 10, 25), 2), (dt.date(2018, 10, 29), 2), (dt.date(2018, 10, 31), 2)):
        assert nomination_deadline_reminders(today=day) == expected
    titles = sorted(set(Reminder.objects.values_list("title", flat=True)))
    assert titles == [
        "“优质服务事例”申报还有 1 天截止，本单位尚未报送完毕",
        "“优质服务事例”申报还有 3 天截止，本单位尚未报送完毕",
        "“优质服务事例”申报还有 7 天截止，本单位尚未报送完毕",
    ]
    assert set(Reminder.objects.values_list("recipient__username", flat=True)) == {"leader_a", "leader_b"}
    assert set(Reminder.objects.values_list("kind", flat=True)) == {ReminderKind.DEADLINE_SOON}


@pytest.mark.parametrize("day", [dt.date(2018, 10, 24), dt.date(2018, 10, 30), dt.date(2018, 11, 1)])
def test_board_reminders_not_on_other_days(case, org, people, day):
    assert nomination_deadline_reminders(today=day) == 0


def test_board_reminders_rerun_sends_nothing_twice(case, org, people):
    assert nomination_deadline_reminders(today=dt.date(2018, 10, 29)) == 2
    assert nomination_deadline_reminders(today=dt.date(2018, 10, 29)) == 0
    assert Reminder.objects.count() == 2


def test_board_reminders_skip_units_done_and_extended(star, case, org, people):
    Nomination.objects.create(award=case, campaign=case.campaign, unit=org.dept_a, state=NominationState.SUBMITTED)
    DeadlineExtension.objects.create(
        award=case, unit=org.dept_b, until=case.deadline + dt.timedelta(days=5), reason="出差", granted_by=people.office
    )
    assert nomination_deadline_reminders(today=dt.date(2018, 10, 31)) == 0


def test_board_reminders_chase_undrafted_drafts_of_max_only_award(star, org, people):
    Nomination.objects.create(award=star, campaign=star.campaign, unit=org.dept_b, data=STAR_DATA)
    nomination_deadline_reminders(today=dt.date(2018, 10, 31))
    star_titles = Reminder.objects.filter(title__contains="十佳").values_list("recipient__username", flat=True)
    assert list(star_titles) == ["leader_b"]


def test_board_reminders_task_runs_for_a_day(case, org, people):
    result = nomination_daily_reminders.enqueue("2018-10-25")
    assert result.return_value == 2
