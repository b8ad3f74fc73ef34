"""A submitted nomination's Word and PDF forms, rendered once and kept (django-tasks, run by `db_worker`)."""

from django_tasks import task

from zuofeng.nominations.services.renderings import nomination_renderings_refresh


@task()
def nomination_render_run(nomination_id: int) -> int:
    return nomination_renderings_refresh(nomination_id=nomination_id)
