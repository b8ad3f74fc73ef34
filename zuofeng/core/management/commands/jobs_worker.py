"""`jobs_worker`: django-tasks' db_worker, after marking the jobs a dead worker left running.

django-tasks sends no signal when a worker starts (only task_started/task_finished per task), and
an app's own `db_worker` would lose to django_tasks_db's, which comes first in INSTALLED_APPS; so
this command sweeps and then runs db_worker with the same arguments (docs/decisions.md).
"""

import logging

from django.core.management import call_command
from django.core.management.base import BaseCommand

from zuofeng.core.jobs import jobs_sweep
from zuofeng.monitoring.heartbeat import heartbeat_start

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "先把因后台进程中断而停在“生成中”的导出任务标为失败并删除残留文件，再运行 db_worker（参数照传）"

    def add_arguments(self, parser):
        parser.add_argument("worker_args", nargs="*", help="传给 db_worker 的参数，写在 -- 之后")

    def handle(self, *args, worker_args: list[str], **options):
        swept = jobs_sweep(check_local_pids=True)
        log.info("jobs_worker: %s interrupted job(s) marked failed", swept)
        self.stdout.write(f"已将 {swept} 个中断的后台任务标为失败。")
        heartbeat_start()  # /readyz reads it: alive even while no task runs
        call_command("db_worker", *worker_args)
