"""The one way to tell someone something: an in-app reminder, e-mailed by a background task."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from zuofeng.core import clock
from zuofeng.reminders.models import Reminder


def reminder_send(
    *,
    recipients: Iterable,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    obj=None,
    unit=None,
    sender=None,
    dedupe_key: str | None = None,
    email: bool = True,
) -> list[Reminder]:
    """Record one reminder per recipient; e-mail them after the transaction commits.

    With `dedupe_key`, a reminder already sent under that key (per recipient) is skipped, so
    the daily job can run twice, or on two workers, without repeating itself.
    """
    now = clock.now()
    created: list[Reminder] = []
    for user in {u.pk: u for u in recipients}.values():
        key = f"{dedupe_key}:{user.pk}" if dedupe_key else None
        if key and Reminder.objects.filter(dedupe_key=key).exists():
            continue
        reminder = Reminder(
            recipient=user,
            kind=kind,
            title=title[:200],
            body=body,
            link=link,
            object_type=f"{obj._meta.app_label}.{obj._meta.model_name}" if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            unit=unit,
            sender=sender,
            created_at=now,
            dedupe_key=key,
        )
        try:
            with transaction.atomic():
                reminder.save()
        except IntegrityError:
            continue  # another worker sent it a moment ago
        created.append(reminder)
    if email and created:
        ids = [r.pk for r in created]
        transaction.on_commit(lambda: _enqueue_email(ids))
    return created


def _enqueue_email(ids: list[int]) -> None:
    from zuofeng.reminders.tasks import reminder_email

    reminder_email.enqueue(ids)


def reminder_mark_read(*, user, reminder: Reminder) -> None:
    if reminder.recipient_id != user.pk:
        return
    if reminder.read_at is None:
        reminder.read_at = clock.now()
        reminder.save(update_fields=["read_at"])
