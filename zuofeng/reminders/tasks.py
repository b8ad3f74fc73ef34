"""Background work for reminders (django-tasks, run by `manage.py db_worker`)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from zuofeng.core import clock
from zuofeng.reminders.models import Reminder

log = logging.getLogger(__name__)


@task()
def reminder_email(reminder_ids: list[int]) -> int:
    """E-mail the reminders whose recipients have an address; returns how many were sent."""
    sent = 0
    for reminder in Reminder.objects.filter(pk__in=reminder_ids, emailed_at__isnull=True).select_related(
        "recipient__person"
    ):
        user = reminder.recipient
        address = (user.person.email if user.person_id and user.person.email else "") or user.email
        if not address:
            continue
        body = reminder.body
        if reminder.link:
            body = f"{body}\n\n办理地址：{reminder.link}"
        try:
            send_mail(f"【作风效能平台】{reminder.title}", body, settings.DEFAULT_FROM_EMAIL, [address])
        except OSError:
            log.exception("reminder e-mail %s to %s failed", reminder.pk, address)
            continue
        Reminder.objects.filter(pk=reminder.pk).update(emailed_at=clock.now())
        sent += 1
    return sent
