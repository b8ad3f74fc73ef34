"""Background clustering of a campaign's problems into 系统性问题 (django-tasks, `manage.py db_worker`)."""

from django_tasks import task

from zuofeng.assessment.services.clusters import cluster_run_execute


@task()
def cluster_run_compute(run_id: int) -> int:
    return cluster_run_execute(run_id=run_id)
