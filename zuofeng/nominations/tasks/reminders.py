"""Automatic 催办 before each award's deadline: 7, 3 and 1 days before, to units that have not met
their minimum or hold drafts they have not submitted. The daily `send_reminders` command calls
`nomination_deadline_reminders(today=...)`; dedupe keys make a second run that day send nothing.
"""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from zuofeng.campaigns.models import Award
from zuofeng.core import clock
from zuofeng.nominations.models import DeadlineExtension
from zuofeng.nominations.selectors.board import units_to_chase
from zuofeng.nominations.services.lifecycle import nomination_remind

DAYS_BEFORE = (7, 3, 1)


def nomination_deadline_reminders(*, today: dt.date | None = None) -> int:
    """Send the day's deadline reminders for every award; returns how many reminders were sent."""
    today = today or clock.today()
    sent = 0
    for award in Award.objects.filter(is_active=True, deadline__isnull=False).exclude(form={}):
        days_left = (timezone.localtime(award.deadline).date() - today).days
        if days_left not in DAYS_BEFORE:
            continue
        # A unit with an extension has its own, later deadline; it is not chased on the award's.
        extended = set(
            DeadlineExtension.objects.filter(award=award, until__gt=award.deadline).values_list("unit_id", flat=True)
        )
        units = [u for u in units_to_chase(award=award) if u.pk not in extended]
        sent += nomination_remind(
            actor=None,
            award=award,
            units=units,
            title=f"“{award.name}”申报还有 {days_left} 天截止，本单位尚未报送完毕",
            dedupe_key=f"nomination-deadline:{award.pk}:{days_left}",
        )
    return sent


@task()
def nomination_daily_reminders(day: str | None = None) -> int:
    return nomination_deadline_reminders(today=dt.date.fromisoformat(day) if day else None)
