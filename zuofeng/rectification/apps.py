from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _search_index(sender, using="default", **kwargs):
    from django.db import connections

    from zuofeng.rectification.services.search import sqlite_search_index_ensure

    sqlite_search_index_ensure(connections[using])


def _rollup_triggers_ensure(sender, using, **kwargs) -> None:
    """A later migration that rebuilds the measure or problem table on SQLite drops the roll-up
    triggers: put them back (and recount) after every migrate."""
    from django.db import connections

    from zuofeng.rectification import rollup_triggers

    rollup_triggers.ensure(connections[using])


def _stamp_triggers_ensure(sender, using, **kwargs) -> None:
    """The same for the dashboard's and the list page's cache markers (no recount: they only have to keep
    counting)."""
    from django.db import connections

    from zuofeng.rectification import ledger_stamp_triggers, stamp_triggers

    stamp_triggers.ensure(connections[using])
    ledger_stamp_triggers.ensure(connections[using])


class RectificationConfig(AppConfig):
    name = "zuofeng.rectification"
    verbose_name = "找差整改"

    def ready(self):
        post_migrate.connect(_search_index, sender=self, dispatch_uid="rectification_search_index")
        post_migrate.connect(_rollup_triggers_ensure, sender=self, dispatch_uid="rectification_rollup_triggers")
        post_migrate.connect(_stamp_triggers_ensure, sender=self, dispatch_uid="rectification_stamp_triggers")
