"""提醒 over the API: the caller's own reminders, and marking one read (the reminders page's rules)."""

import datetime as dt

from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import paginate

from zuofeng.api.pagination import Paged
from zuofeng.api.schemas.common import PathId, with_errors
from zuofeng.reminders import selectors
from zuofeng.reminders.models import Reminder
from zuofeng.reminders.services import reminder_mark_read

router = Router(tags=["提醒"])


class ReminderOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None


@router.get("", response=with_errors(list[ReminderOut]), summary="我的提醒")
@paginate(Paged)
def reminders(request, unread: bool = False):
    return selectors.reminder_list(user=request.auth, unread_only=unread)


@router.post("/{reminder_id}/read", response=with_errors(ReminderOut), summary="标记提醒为已读")
def reminder_read(request, reminder_id: PathId):
    try:
        reminder = selectors.reminder_get(user=request.auth, pk=reminder_id)
    except Reminder.DoesNotExist:
        raise Http404 from None
    reminder_mark_read(user=request.auth, reminder=reminder)
    reminder.refresh_from_db()
    return reminder
