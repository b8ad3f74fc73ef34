"""The daily job of every domain in one place, so one timer (or one task) runs them all."""

import datetime as dt

from django_tasks import task

from zuofeng.core import clock


def daily_jobs_run(*, today: dt.date | None = None) -> dict[str, int]:
    from zuofeng.audit.verify import audit_anchor_daily
    from zuofeng.core.jobs import jobs_expire, jobs_sweep
    from zuofeng.nominations.tasks.reminders import nomination_deadline_reminders
    from zuofeng.rectification.tasks.reminders import daily_run

    today = today or clock.today()
    counts = daily_run(today=today)
    counts["nomination_reminders"] = nomination_deadline_reminders(today=today)
    from zuofeng.complaints.tasks.reminders import complaint_daily_reminders

    counts["complaint_reminders"] = complaint_daily_reminders(today=today)
    # Export/ZIP jobs whose worker died, and files past the retention period.
    counts["jobs_failed"] = jobs_sweep()
    counts["files_expired"] = jobs_expire()
    # Last, so the anchor covers what the steps above wrote to the audit trail.
    counts["audit_ok"] = int(audit_anchor_daily().ok)
    return counts


@task()
def daily_jobs(day: str | None = None) -> dict[str, int]:
    """For db_worker; `day` is an ISO date (default: today)."""
    return daily_jobs_run(today=dt.date.fromisoformat(day) if day else None)
