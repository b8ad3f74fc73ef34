"""Telling units a notice has arrived, and the daily automatic 催办 of copies left unsigned.

The daily job (reminders/daily.py) calls `notice_chase_due`: on a working day, every copy unsigned
for the campaign's `acknowledge_within_working_days` working days or more is chased once that day (the
reminder's dedupe key holds the day, so a second run sends nothing).
"""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from zuofeng.core import clock
from zuofeng.core.workdays import is_working_day, working_days_between
from zuofeng.notices.models import Delivery, Notice, NoticeState
from zuofeng.notices.services.delivery import deliveries_chase, unit_staff
from zuofeng.notices.settings import notice_settings
from zuofeng.reminders.models import ReminderKind
from zuofeng.reminders.services import reminder_send


def notice_announce_run(notice_id: int, unit_ids: list[int] | None = None) -> int:
    notice = Notice.objects.get(pk=notice_id)
    copies = Delivery.objects.filter(notice=notice)
    if unit_ids is not None:
        copies = copies.filter(unit_id__in=unit_ids)
    ids = list(copies.values_list("unit_id", flat=True))
    staff = unit_staff(ids)
    sent = 0
    for unit_id in ids:
        sent += len(
            reminder_send(
                recipients=staff.get(unit_id, []),
                kind=ReminderKind.NOTICE,
                title=f"请签收：《{notice.title}》（{notice.doc_number}）"[:200],
                link=f"/notices/{notice.pk}/",
                obj=notice,
                dedupe_key=f"notice-arrived:{notice.pk}:{unit_id}",
            )
        )
    return sent


@task()
def notice_announce(notice_id: int, unit_ids: list[int] | None = None) -> int:
    return notice_announce_run(notice_id, unit_ids)


def notice_chase_due(*, today: dt.date | None = None) -> int:
    """Chase every copy unsigned for too long; returns how many units were chased."""
    today = today or clock.today()
    if not is_working_day(today):
        return 0
    chased = 0
    for notice in Notice.objects.filter(state=NoticeState.ISSUED).select_related("campaign"):
        limit = notice_settings(notice.campaign).acknowledge_within_working_days
        due = [
            d
            for d in Delivery.objects.filter(notice=notice, acknowledged_at__isnull=True).select_related(
                "unit", "notice"
            )
            if working_days_between(timezone.localtime(d.delivered_at).date(), today) >= limit
        ]
        if due:
            chased += deliveries_chase(actor=None, deliveries=due, dedupe_day=today)
    return chased
