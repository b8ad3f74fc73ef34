"""Reads of a user's own reminders (提醒): nobody reads anyone else's."""

from django.db.models import QuerySet

from zuofeng.reminders.models import Reminder


def reminder_list(*, user, unread_only: bool = False) -> QuerySet[Reminder]:
    qs = Reminder.objects.filter(recipient=user).select_related("sender__person").order_by("-created_at", "-id")
    return qs.filter(read_at__isnull=True) if unread_only else qs


def reminder_get(*, user, pk: int) -> Reminder:
    """The user's own reminder; Reminder.DoesNotExist for anyone else's."""
    return Reminder.objects.get(pk=pk, recipient=user)


def unread_count(*, user, cap: int | None = None) -> int:
    """One indexed COUNT over (recipient, read_at); with `cap`, counting stops there (the badge shows 99+)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    unread = Reminder.objects.filter(recipient=user, read_at__isnull=True)
    return (unread.order_by()[:cap] if cap else unread).count()
