"""`flush`, which lifts the audit triggers while it empties the database.

Emptying the whole database is what flush is for (and what Django's test cases with a live
server do after each test); without this the triggers would abort it, as they abort any other
attempt to delete the audit trail.
"""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections

from zuofeng.audit import db_guard


class Command(FlushCommand):
    def handle(self, **options):
        with db_guard.suspended(connections[options.get("database") or DEFAULT_DB_ALIAS]):
            return super().handle(**options)
