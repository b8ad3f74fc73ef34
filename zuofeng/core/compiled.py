"""A `.values()` query compiled to SQL once per process and database, then run with new parameters.

Why: a page's fixed small queries (the signed-in user with their roles, a list's rows) cost more in
Django's SQL compiler (get_select, quote_name, build_filter: ~30% of a clerk's home page's CPU) than
in the database. The query is written with the ORM as usual, built once with sentinel parameters,
compiled, and the SQL kept; each run swaps the sentinels for the real values and applies the same
converters the ORM would (SQLite's dates, booleans, JSON), so rows come back exactly as `.values()`
returns them.

On PostgreSQL the compiled SQL is also a prepared statement (decisions §55): its text never changes,
so psycopg prepares it on the connection after `prepare_threshold` runs and PostgreSQL stops parsing and
planning it — ~0.4 ms per query of the list page's ~1 ms round trip, more than Django's share.

Only scalar parameters can vary (an id, a text key): a list changes the SQL's shape (`IN (%s, %s)`), so
it is not a parameter here. A parameter that the query does not pass through unchanged (a sentinel
rewritten by a lookup, e.g. `__contains` wrapping it in %…%) is refused when the query is built.
"""

from collections.abc import Callable, Hashable
from itertools import count

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

from zuofeng.core.kept import Kept

# Integers that no real id or count reaches, one per parameter name, so they are recognisable in the
# compiled parameters (an integer survives every integer field's get_prep_value unchanged; a text
# field's, e.g. a session key's, turns it into its decimal string, recognised as well).
_SENTINEL_BASE = 7_290_000_000_000_000_000
_sentinels = count(_SENTINEL_BASE)


class CompiledValues:
    """`build(**params)` returns a `.values()` queryset; `run(**params)` returns its rows as dicts."""

    values_only = True

    def __init__(self, build: Callable[..., QuerySet], *params: str):
        self.build = build
        self.params = params
        self._compiled: dict[str, tuple] = {}  # database alias → (sql, parameter slots, names, compiler)

    def _compile(self, alias: str) -> tuple:
        sentinels = {name: next(_sentinels) for name in self.params}
        queryset = self.build(**sentinels)
        query = queryset.query
        if self.values_only and queryset._fields is None and not query.values_select:
            raise TypeError("CompiledValues needs a .values() queryset")
        compiler = query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        by_value = {form: name for name, value in sentinels.items() for form in (value, str(value))}
        slots = [(by_value[p], None) if isinstance(p, int | str) and p in by_value else (None, p) for p in params]
        missing = set(self.params) - {name for name, _ in slots if name}
        if missing:
            raise ValueError(f"parameters not passed through to the SQL unchanged: {sorted(missing)}")
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        compiled = (sql, slots, names, _Converting(compiler))
        self._compiled[alias] = compiled
        return compiled

    def _statement(self, using: str, params: dict) -> tuple[str, list, "_Converting"]:
        sql, slots, _names, compiler = self._compiled.get(using) or self._compile(using)
        return sql, [params[name] if name else constant for name, constant in slots], compiler

    def rows(self, using: str = "default", **params) -> list[tuple]:
        """The rows as tuples, columns in the order the queryset's `.values()` names them."""
        return _fetch(using, *self._statement(using, params))

    def run(self, using: str = "default", **params) -> list[dict]:
        """The rows as `.values()` returns them."""
        names = (self._compiled.get(using) or self._compile(using))[2]
        return [dict(zip(names, row, strict=True)) for row in self.rows(using, **params)]


def _execute(using: str, sql: str, values: list) -> list[tuple]:
    with _cursor(connections[using]) as cursor:
        cursor.execute(sql, values)
        return cursor.fetchall()


def _cursor(connection):
    """A cursor that binds parameters on the server, so psycopg can prepare the statement: on PostgreSQL
    unless preparing is off (`prepare_threshold` None: PGBOUNCER=1) or queries are being logged (DEBUG,
    assertNumQueries), whose SQL text Django reads back from a client-bound cursor. Elsewhere, and for
    every other query, Django's own cursor, which binds on the client and never prepares."""
    if connection.vendor != "postgresql" or connection.queries_logged:
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        return connection.cursor()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(_server_bound(connection))


def _server_bound(connection):
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID, ServerBindingCursor
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    cursor = ServerBindingCursor(connection.connection)
    # as Django's create_cursor: timestamps read in the connection's time zone
    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    if connection.timezone != loader.timezone:
        register_tzloader(connection.timezone, cursor)
    return cursor


class _Converting:
    """A compiled query's compiler with its converters worked out once: asking every column's field
    for its converters on each run cost ~100 calls for a list with its unit and campaign."""

    def __init__(self, compiler):
        self.compiler = compiler
        self.converters = compiler.get_converters([column for column, _, _ in compiler.select])

    def convert(self, rows: list) -> list[tuple]:
        if not self.converters:
            return rows
        return [tuple(row) for row in self.compiler.apply_converters(rows, self.converters)]


def _fetch(using: str, sql: str, values: list, compiler: _Converting) -> list[tuple]:
    """Run compiled SQL; the rows converted as the ORM converts them."""
    return compiler.convert(_execute(using, sql, values))


class CompiledPerKey:
    """A `.values_list()` query whose SQL and parameters, lists included, follow from a key: compiled
    once per key, database and process (the `keep` most recent kept), then run as compiled. For a query
    shaped by the person (their roles' units as `IN` lists), where CompiledValues' scalar parameters
    do not reach. The caller's key must hold everything `build` reads (the person's id, roles and
    units, a campaign's id): a query is never run with another key's SQL. Rows are read on every run;
    only building and compiling the query is skipped."""

    def __init__(self, build: Callable[..., QuerySet], keep: int = 512):
        self.build = build
        self._compiled = Kept(keep)  # (database, key) → (sql, params, compiler), or () for no rows

    def rows(self, key: Hashable, using: str = "default", **inputs) -> list[tuple]:
        """The rows as tuples; `inputs` go to `build` when this key is not compiled yet."""
        slot = (using, key)
        compiled = self._compiled.get(slot)
        if compiled is None:
            compiler = self.build(**inputs).query.get_compiler(using=using)
            try:
                compiled = (*compiler.as_sql(), _Converting(compiler))
            except EmptyResultSet:  # e.g. `IN ()`: no rows, as the ORM answers without asking
                compiled = ()
            self._compiled.put(slot, compiled)
        if not compiled:
            return []
        sql, params, compiler = compiled
        return _fetch(using, sql, list(params), compiler)


class CompiledModels(CompiledValues):
    """The same for a queryset of model instances (with select_related and annotations):
    `instances(**params)` returns them as iterating the queryset would (Django's ModelIterable)."""

    values_only = False

    def instances(self, using: str = "default", **params) -> list:
        sql, values, converting = self._statement(using, params)
        rows = converting.convert(_execute(using, sql, values))
        compiler = converting.compiler
        select, klass_info, annotations = compiler.select, compiler.klass_info, compiler.annotation_col_map
        model, fields = klass_info["model"], klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        attnames = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, using)
        instances = []
        for row in rows:
            instance = model.from_db(using, attnames, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            for name, position in (annotations or {}).items():
                setattr(instance, name, row[position])
            instances.append(instance)
        return instances
