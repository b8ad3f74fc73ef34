from django import template

from zuofeng.reminders.selectors import unread_count

register = template.Library()


@register.simple_tag
def unread_reminders(user) -> int:
    """`{% unread_reminders user as n %}` — the navbar badge's count, one query that stops at 100."""
    return unread_count(user=user, cap=100)
