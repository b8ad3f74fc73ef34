"""Background ZIP of nomination forms (django-tasks, run by `manage.py db_worker`)."""

from django_tasks import task

from zuofeng.nominations.services.exports import nominations_zip_execute


@task()
def nominations_zip_run(job_id: int) -> int:
    return nominations_zip_execute(job_id=job_id)
