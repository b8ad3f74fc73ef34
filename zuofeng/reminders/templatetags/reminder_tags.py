from django import template

from zuofeng.reminders.selectors import unread_count

register = template.Library()

BADGE_CAP = 100
# Requests that change nothing may show the count read with the user at the start of the request
# (accounts/backends.py, same cap); any other request may have just read or sent a reminder, so it counts again.
_SAFE_METHODS = ("GET", "HEAD")


@register.simple_tag(takes_context=True)
def unread_reminders(context, user) -> int:
    """`{% unread_reminders user as n %}` — the navbar badge's count, stopping at 100."""
    request = context.get("request")
    loaded = getattr(user, "unread_reminders_at_load", None)
    if loaded is not None and request is not None and request.method in _SAFE_METHODS:
        return loaded
    return unread_count(user=user, cap=BADGE_CAP)
