"""The projects' part of the daily job (reminders/daily.py): refresh the lights of approved plans, and
remind the unit of milestones due in 7, 3 and 1 days and of a milestone the day after it passed
unfinished. Every reminder carries a dedupe key, so running the job twice a day sends nothing twice.
"""

import datetime as dt

from django.db.models import Prefetch

from zuofeng.accounts.selectors import users_editing
from zuofeng.core import clock
from zuofeng.projects.lights import lights_save
from zuofeng.projects.models import Milestone, Project, ProjectState
from zuofeng.reminders.models import ReminderKind
from zuofeng.reminders.services import reminder_send

CHUNK = 500
DAYS_BEFORE = (7, 3, 1)


def project_lights_refresh(*, today: dt.date) -> int:
    """Every approved plan's lights as of `today`, in keyset-paged chunks; returns how many projects changed."""
    changed, after = 0, 0
    milestones = Prefetch("milestones", Milestone.objects.order_by("due_on", "order", "id"))
    approved = Project.objects.filter(state=ProjectState.APPROVED).select_related("campaign").order_by("pk")
    while chunk := list(approved.filter(pk__gt=after).prefetch_related(milestones)[:CHUNK]):
        for project in chunk:
            before = project.light
            lights_save(project=project, milestones=list(project.milestones.all()), today=today)
            changed += before != project.light
        after = chunk[-1].pk
    return changed


def milestone_reminders_send(*, today: dt.date) -> int:
    due_days = {today + dt.timedelta(days=n): n for n in DAYS_BEFORE}
    overdue_day = today - dt.timedelta(days=1)
    rows = Milestone.objects.filter(
        project__state=ProjectState.APPROVED, done_on__isnull=True, due_on__in=[*due_days, overdue_day]
    ).select_related("project__unit")
    sent = 0
    for m in rows:
        project = m.project
        if m.due_on == overdue_day:
            kind, title, key = ReminderKind.OVERDUE, f"攻坚项目节点已逾期：{m.title}", f"project-overdue:{m.pk}"
        else:
            days = due_days[m.due_on]
            kind, title, key = (
                ReminderKind.DEADLINE_SOON,
                f"攻坚项目节点还有 {days} 天到期：{m.title}",
                f"project-{days}:{m.pk}",
            )
        sent += len(
            reminder_send(
                recipients=users_editing(unit=project.unit),
                kind=kind,
                title=title,
                body=f"{project.title}（节点时限 {m.due_on:%Y-%m-%d}，已完成 {m.percent}%）",
                link=f"/projects/{project.pk}/",
                obj=project,
                unit=project.unit,
                dedupe_key=key,
            )
        )
    return sent


def projects_daily(*, today: dt.date | None = None) -> int:
    today = today or clock.today()
    project_lights_refresh(today=today)
    return milestone_reminders_send(today=today)
