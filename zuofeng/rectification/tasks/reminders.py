"""The daily job: refresh every light, move the dashboard's 逾期 roll-up to today, remind people of
deadlines and of lists waiting for review.

Run by a systemd timer (`manage.py send_reminders`, 08:00) or enqueued for db_worker
(`send_reminders --enqueue`). Every reminder carries a dedupe key, so running the job twice
on one day sends nothing twice.

Deadline reminders go to measures 整改中 only: 7, 3 and 1 days before the deadline and the
day after it passes. Where the campaign counts deadlines in working days
(settings["working_days"]), the days are official working days and reminders go out on
working days only.
"""

import datetime as dt
import functools
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from zuofeng.accounts.selectors import users_editing, users_reviewing
from zuofeng.campaigns.models import Campaign
from zuofeng.core import clock
from zuofeng.core.workdays import add_working_days, is_working_day
from zuofeng.rectification.lights import light_for, thresholds
from zuofeng.rectification.models import Ledger, LedgerState, Measure, MeasureState
from zuofeng.rectification.services.rollups import filing_compact, rollups_advance
from zuofeng.reminders.models import ReminderKind
from zuofeng.reminders.services import reminder_send

CHUNK = 2000
DAYS_BEFORE = (7, 3, 1)
REVIEW_WAIT_DAYS = 3


def lights_refresh_all(*, today: dt.date) -> int:
    """Recompute every measure's light in keyset-paged chunks; returns how many changed."""
    settings_of = {c.pk: (thresholds(c), bool((c.settings or {}).get("working_days"))) for c in Campaign.objects.all()}

    @functools.lru_cache(maxsize=65536)
    def light(campaign_id, state, percent, starts_on, deadline, is_ongoing, last_progress_on) -> str:
        limits, working_days = settings_of[campaign_id]
        return light_for(
            state=state,
            percent=percent,
            starts_on=starts_on,
            deadline=deadline,
            is_ongoing=is_ongoing,
            last_progress_on=last_progress_on,
            today=today,
            limits=limits,
            working_days=working_days,
        )

    fields = (
        "pk",
        "campaign_id",
        "state",
        "percent",
        "starts_on",
        "deadline",
        "is_ongoing",
        "last_progress_on",
        "light",
    )
    changed, last_pk = 0, 0
    while True:
        rows = list(Measure.objects.filter(pk__gt=last_pk).order_by("pk").values_list(*fields)[:CHUNK])
        if not rows:
            return changed
        by_light: dict[str, list[int]] = defaultdict(list)
        for pk, *args, current in rows:
            new = light(*args)
            if new != current:
                by_light[new].append(pk)
        for value, pks in by_light.items():
            changed += Measure.objects.filter(pk__in=pks).update(light=value)
        last_pk = rows[-1][0]


def _deadline_targets(*, today: dt.date, working_days: bool) -> list[tuple[Q, str, str, str]]:
    """(deadline filter, kind, title, key tag) for every reminder due today."""
    if not working_days:
        targets = [
            (Q(deadline=today + dt.timedelta(days=n)), ReminderKind.DEADLINE_SOON, f"整改措施还有 {n} 天到期", f"d{n}")
            for n in DAYS_BEFORE
        ]
        return [*targets, (Q(deadline=today - dt.timedelta(days=1)), ReminderKind.OVERDUE, "整改措施已逾期", "over")]
    if not is_working_day(today):
        return []
    targets = []
    for n in DAYS_BEFORE:
        # Deadlines with exactly n working days in (today, deadline]: from the nth working day
        # up to the day before the (n+1)th (a deadline on a holiday counts like the working day before).
        first, following = add_working_days(today, n), add_working_days(today, n + 1)
        targets.append(
            (
                Q(deadline__gte=first, deadline__lt=following),
                ReminderKind.DEADLINE_SOON,
                f"整改措施还有 {n} 个工作日到期",
                f"w{n}",
            )
        )
    # The first working day after the deadline: today is the only working day in (deadline, today].
    previous = today - dt.timedelta(days=1)
    while not is_working_day(previous):
        previous -= dt.timedelta(days=1)
    targets.append((Q(deadline__gte=previous, deadline__lt=today), ReminderKind.OVERDUE, "整改措施已逾期", "over"))
    return targets


def deadline_reminders_send(*, today: dt.date) -> int:
    sent = 0
    editors: dict[int, list] = {}
    for campaign in Campaign.objects.all():
        working_days = bool((campaign.settings or {}).get("working_days"))
        for where, kind, title, tag in _deadline_targets(today=today, working_days=working_days):
            measures = (
                Measure.objects.filter(where, campaign=campaign, state=MeasureState.IN_PROGRESS, is_ongoing=False)
                .select_related("unit", "responsible_person__account")
                .order_by("pk")
            )
            for measure in measures.iterator(chunk_size=CHUNK):
                sent += len(
                    reminder_send(
                        recipients=_responsible(measure, editors),
                        kind=kind,
                        title=title,
                        body=f"{measure.text[:80]}\n完成时限：{measure.deadline_label}",
                        link=f"/rectification/measures/{measure.pk}/",
                        obj=measure,
                        unit=measure.unit,
                        dedupe_key=f"measure:{measure.pk}:{measure.deadline:%Y%m%d}:{tag}",
                    )
                )
    return sent


def _responsible(measure: Measure, editors: dict[int, list]) -> list:
    person = measure.responsible_person
    account = getattr(person, "account", None) if person is not None else None
    if account is not None and account.is_active:
        return [account]
    if measure.unit_id not in editors:
        editors[measure.unit_id] = list(users_editing(unit=measure.unit))
    return editors[measure.unit_id]


def review_reminders_send(*, today: dt.date) -> int:
    """Lists submitted more than REVIEW_WAIT_DAYS days ago: one reminder per submission."""
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=REVIEW_WAIT_DAYS), dt.time.min))
    ledgers = Ledger.objects.filter(state=LedgerState.SUBMITTED, submitted_at__lt=since).select_related("unit")
    sent = 0
    for ledger in ledgers.order_by("pk").iterator(chunk_size=CHUNK):
        waited = (today - timezone.localtime(ledger.submitted_at).date()).days
        sent += len(
            reminder_send(
                recipients=users_reviewing(unit=ledger.unit),
                kind=ReminderKind.REVIEW_WAITING,
                title=f"{ledger.unit.qualified_name}的整改清单已提交 {waited} 天，等待您审核",
                link=f"/rectification/ledgers/{ledger.pk}/",
                obj=ledger,
                unit=ledger.unit,
                dedupe_key=f"ledger:{ledger.pk}:{ledger.submitted_at:%Y%m%d%H%M%S}:review_waiting",
            )
        )
    return sent


def daily_run(*, today: dt.date | None = None) -> dict[str, int]:
    today = today or clock.today()
    lights_changed = lights_refresh_all(today=today)
    rollups_advance(today=today)  # the dashboard's 逾期 roll-up now counts as of today
    filing_compact()  # the 9月15日 counts' signed rows of the day folded to one per key
    return {
        "lights_changed": lights_changed,
        "deadline_reminders": deadline_reminders_send(today=today),
        "review_reminders": review_reminders_send(today=today),
    }


@task()
def daily_reminders(day: str | None = None) -> dict[str, int]:
    """The daily job for db_worker; `day` is an ISO date (default: today)."""
    return daily_run(today=dt.date.fromisoformat(day) if day else None)
