"""`flush`, which lifts the audit triggers while it empties the database, and is refused in production.

Emptying the whole database is what flush is for (and what Django's test cases with a live
server do after each test); without this the triggers would abort it, as they abort any other
attempt to delete the audit trail. In production (settings.ZUOFENG_PRODUCTION) it would erase the
trail in one command, so it is refused there.
"""

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections

from zuofeng.audit import db_guard


class Command(FlushCommand):
    def handle(self, **options):
        if settings.ZUOFENG_PRODUCTION:
            raise CommandError("生产环境禁止执行 flush：它会清空全部数据，包括审计日志。")
        with db_guard.suspended(connections[options.get("database") or DEFAULT_DB_ALIAS]):
            return super().handle(**options)
