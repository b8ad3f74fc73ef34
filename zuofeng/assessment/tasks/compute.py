"""Background computation of a year-end score snapshot (django-tasks, run by `manage.py db_worker`)."""

from django_tasks import task

from zuofeng.assessment.services.scores import run_execute


@task()
def assessment_run_compute(run_id: int) -> int:
    return run_execute(run_id=run_id)
