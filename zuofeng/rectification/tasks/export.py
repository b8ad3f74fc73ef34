"""Background export of the 整改台账 (django-tasks, run by `manage.py db_worker`)."""

from django_tasks import task

from zuofeng.rectification.services.export import ledger_export_execute


@task()
def ledger_export_run(job_id: int) -> int:
    return ledger_export_execute(job_id=job_id)
