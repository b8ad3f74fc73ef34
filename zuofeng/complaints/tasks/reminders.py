"""Daily reminders for cases with a unit, from the same engine as every other reminder: not signed by
the 签收 day, due within two days, or overdue. Called by `reminders.daily.daily_jobs_run`; dedupe keys
make a second run the same day send nothing. Only the code, type and date: never the reporter or the text."""

import datetime as dt

from zuofeng.accounts.selectors import users_editing
from zuofeng.complaints.models import WITH_UNIT, Complaint, ComplaintState
from zuofeng.complaints.selectors.cases import complaint_light
from zuofeng.core import clock
from zuofeng.reminders.models import ReminderKind
from zuofeng.reminders.services import reminder_send


def complaint_daily_reminders(*, today: dt.date | None = None) -> int:
    today = today or clock.today()
    sent = 0
    for c in Complaint.objects.filter(state__in=WITH_UNIT, unit__isnull=False).select_related("unit"):
        light, words = complaint_light(c, today)
        if c.state == ComplaintState.DISPATCHED and c.sign_due and today > c.sign_due:
            kind, title = ReminderKind.OVERDUE, f"群众反映 {c.code} 超时未签收，请立即签收"
        elif light == "red":
            kind, title = ReminderKind.OVERDUE, f"群众反映 {c.code}（{c.get_kind_display()}）{words}，请尽快答复"
        elif light == "yellow" and c.state != ComplaintState.DISPATCHED:
            kind, title = ReminderKind.DEADLINE_SOON, f"群众反映 {c.code}（{c.get_kind_display()}）{words}"
        else:
            continue
        sent += len(
            reminder_send(
                recipients=users_editing(unit=c.unit),
                kind=kind,
                title=title,
                link=f"/complaints/{c.pk}/",
                obj=c,
                unit=c.unit,
                dedupe_key=f"complaint:{c.pk}:{today.isoformat()}",
            )
        )
    return sent
