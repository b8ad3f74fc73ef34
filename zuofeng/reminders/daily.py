"""The daily job of every domain in one place, so one timer (or one task) runs them all."""

import datetime as dt

from django_tasks import task

from zuofeng.core import clock


def daily_jobs_run(*, today: dt.date | None = None) -> dict[str, int]:
    from zuofeng.audit.verify import audit_anchor_daily
    from zuofeng.backups.services.runs import backup_daily
    from zuofeng.core.jobs import jobs_expire, jobs_sweep
    from zuofeng.nominations.tasks.reminders import nomination_deadline_reminders
    from zuofeng.notices.tasks.delivery import notice_chase_due
    from zuofeng.projects.tasks.reminders import projects_daily
    from zuofeng.rectification.tasks.reminders import daily_run
    from zuofeng.webhooks.services import measures_overdue_emit, webhooks_retry_due

    today = today or clock.today()
    counts = daily_run(today=today)
    counts["nomination_reminders"] = nomination_deadline_reminders(today=today)
    counts["notice_chases"] = notice_chase_due(today=today)
    counts["project_reminders"] = projects_daily(today=today)  # 攻坚项目: lights, milestone reminders
    from zuofeng.complaints.tasks.reminders import complaint_daily_reminders

    counts["complaint_reminders"] = complaint_daily_reminders(today=today)
    # Export/ZIP jobs whose worker died, and files past the retention period.
    counts["jobs_failed"] = jobs_sweep()
    counts["files_expired"] = jobs_expire()
    # Webhooks: measures that became overdue today, and deliveries waiting for their retry.
    counts["webhooks_overdue"] = measures_overdue_emit(today=today)
    counts["webhooks_retried"] = webhooks_retry_due()
    # The backup before the anchor: its own audit entry is then anchored with the rest.
    backup = backup_daily()
    counts["backup_ok"] = -1 if backup is None else int(backup.ok)
    # Last, so the anchor covers what the steps above wrote to the audit trail.
    counts["audit_ok"] = int(audit_anchor_daily().ok)
    return counts


@task()
def daily_jobs(day: str | None = None) -> dict[str, int]:
    """For db_worker; `day` is an ISO date (default: today)."""
    return daily_jobs_run(today=dt.date.fromisoformat(day) if day else None)
