"""Triggers that keep the dashboard roll-ups (MeasureRollup, ClosureRollup, ProblemRollup) exact.

Measures and problems change through many paths: transitions, edits, imports, the daily bulk light
refresh with update(), bulk_create in demo and bench loaders, cascading deletes, raw SQL. Triggers
see every one of them, inside the writing transaction, so the roll-ups cannot miss a path.

PostgreSQL: one statement-level trigger per event, with transition tables, so a bulk statement adds
its rows as one grouped upsert; the upsert goes in key order, so two transactions moving measures
between the same keys lock the rows in the same order and never deadlock. Rows left at zero are
deleted by the transaction that made them zero (it still holds their lock).
SQLite: row triggers (one writer at a time, so no ordering question).

A migration that rebuilds rectification_measure or rectification_problem on SQLite (most AlterField
operations) drops these triggers; `ensure` runs after every migrate and reinstalls them, recounting
the roll-ups if any was missing. Keep the statements stable: an existing database has them.
"""

from django.db import transaction

MEASURE_TABLE = "rectification_measure"
PROBLEM_TABLE = "rectification_problem"

# ── PostgreSQL ────────────────────────────────────────────────────────────

_PG_ROWS = """
    rows text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT m.*, 1 AS sign FROM new_rows m'
        WHEN 'DELETE' THEN 'SELECT m.*, -1 AS sign FROM old_rows m'
        ELSE 'SELECT m.*, 1 AS sign FROM new_rows m UNION ALL SELECT m.*, -1 FROM old_rows m' END;
"""

POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION rect_measure_rollup() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE
        {_PG_ROWS}
        before date := (SELECT overdue_before FROM rectification_rollupday WHERE id = 1);
    BEGIN
        EXECUTE format($q$
            INSERT INTO rectification_measurerollup AS r (campaign_id, unit_id, state, light, overdue, n)
            SELECT campaign_id, unit_id, state, light,
                   coalesce(state <> 'closed' AND NOT is_ongoing AND deadline < $1, false), sum(sign)
            FROM (%s) m GROUP BY 1, 2, 3, 4, 5 HAVING sum(sign) <> 0 ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (campaign_id, unit_id, state, light, overdue) DO UPDATE SET n = r.n + EXCLUDED.n
        $q$, rows) USING before;
        EXECUTE format($q$
            INSERT INTO rectification_closurerollup AS r (campaign_id, unit_id, week, n)
            SELECT campaign_id, unit_id, date_trunc('week', closed_on)::date, sum(sign)
            FROM (%s) m WHERE closed_on IS NOT NULL
            GROUP BY 1, 2, 3 HAVING sum(sign) <> 0 ORDER BY 1, 2, 3
            ON CONFLICT (campaign_id, unit_id, week) DO UPDATE SET n = r.n + EXCLUDED.n
        $q$, rows);
        IF TG_OP <> 'INSERT' THEN
            EXECUTE format($q$
                DELETE FROM rectification_measurerollup r USING (SELECT DISTINCT campaign_id, unit_id FROM (%s) m) k
                WHERE r.n = 0 AND r.campaign_id = k.campaign_id AND r.unit_id = k.unit_id
            $q$, rows);
            EXECUTE format($q$
                DELETE FROM rectification_closurerollup r USING (SELECT DISTINCT campaign_id, unit_id FROM (%s) m) k
                WHERE r.n = 0 AND r.campaign_id = k.campaign_id AND r.unit_id = k.unit_id
            $q$, rows);
        END IF;
        RETURN NULL;
    END $fn$
    """,  # noqa: S608 - fixed text, no input
    f"""
    CREATE OR REPLACE FUNCTION rect_problem_rollup() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE
        {_PG_ROWS}
    BEGIN
        EXECUTE format($q$
            INSERT INTO rectification_problemrollup AS r (campaign_id, unit_id, category_id, symptom_id, source_id, n)
            SELECT l.campaign_id, m.unit_id, m.category_id, coalesce(m.symptom_id, 0), m.source_id, sum(m.sign)
            FROM (%s) m JOIN rectification_ledger l ON l.id = m.ledger_id
            GROUP BY 1, 2, 3, 4, 5 HAVING sum(m.sign) <> 0 ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (campaign_id, unit_id, category_id, symptom_id, source_id) DO UPDATE SET n = r.n + EXCLUDED.n
        $q$, rows);
        IF TG_OP <> 'INSERT' THEN
            EXECUTE format($q$
                DELETE FROM rectification_problemrollup r USING (SELECT DISTINCT unit_id FROM (%s) m) k
                WHERE r.n = 0 AND r.unit_id = k.unit_id
            $q$, rows);
        END IF;
        RETURN NULL;
    END $fn$
    """,  # noqa: S608 - fixed text, no input
]
for _table, _function in ((MEASURE_TABLE, "rect_measure_rollup"), (PROBLEM_TABLE, "rect_problem_rollup")):
    POSTGRESQL_INSTALL += [
        f"""CREATE OR REPLACE TRIGGER {_function}_insert AFTER INSERT ON {_table}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {_function}()""",
        f"""CREATE OR REPLACE TRIGGER {_function}_update AFTER UPDATE ON {_table}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {_function}()""",
        f"""CREATE OR REPLACE TRIGGER {_function}_delete AFTER DELETE ON {_table}
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {_function}()""",
    ]
POSTGRESQL_TRIGGERS = [
    f"{function}_{event}"
    for function in ("rect_measure_rollup", "rect_problem_rollup")
    for event in ("insert", "update", "delete")
]
POSTGRESQL_REMOVE = [
    *(
        f"DROP TRIGGER IF EXISTS {name} ON {MEASURE_TABLE if 'measure' in name else PROBLEM_TABLE}"
        for name in POSTGRESQL_TRIGGERS
    ),
    "DROP FUNCTION IF EXISTS rect_measure_rollup()",
    "DROP FUNCTION IF EXISTS rect_problem_rollup()",
]

# ── SQLite ────────────────────────────────────────────────────────────────

_SQLITE_OVERDUE = """coalesce({r}.state <> 'closed' AND NOT {r}.is_ongoing
    AND {r}.deadline < (SELECT overdue_before FROM rectification_rollupday WHERE id = 1), 0)"""
_SQLITE_WEEK = "date({r}.closed_on, 'weekday 0', '-6 days')"  # the Monday of its week, as TruncWeek
_SQLITE_CAMPAIGN = "(SELECT campaign_id FROM rectification_ledger WHERE id = {r}.ledger_id)"
_SQLITE_KEYS = {
    "measurerollup": (
        ("campaign_id", "{r}.campaign_id"),
        ("unit_id", "{r}.unit_id"),
        ("state", "{r}.state"),
        ("light", "{r}.light"),
        ("overdue", _SQLITE_OVERDUE),
    ),
    "closurerollup": (("campaign_id", "{r}.campaign_id"), ("unit_id", "{r}.unit_id"), ("week", _SQLITE_WEEK)),
    "problemrollup": (
        ("campaign_id", _SQLITE_CAMPAIGN),
        ("unit_id", "{r}.unit_id"),
        ("category_id", "{r}.category_id"),
        ("symptom_id", "coalesce({r}.symptom_id, 0)"),
        ("source_id", "{r}.source_id"),
    ),
}
# the columns each roll-up depends on: an UPDATE that changes none of them leaves it alone
_SQLITE_WATCHED = {
    "measurerollup": ("campaign_id", "unit_id", "state", "light", "deadline", "is_ongoing"),
    "closurerollup": ("campaign_id", "unit_id", "closed_on"),
    "problemrollup": ("ledger_id", "unit_id", "category_id", "symptom_id", "source_id"),
}
_SQLITE_WHEN = {"measurerollup": "", "closurerollup": "WHERE NEW.closed_on IS NOT NULL", "problemrollup": ""}


def _sqlite_add(rollup: str) -> str:
    keys = _SQLITE_KEYS[rollup]
    columns = ", ".join(name for name, _ in keys)
    values = ", ".join(expr.format(r="NEW") for _, expr in keys)
    where = _SQLITE_WHEN[rollup] or "WHERE true"  # a WHERE keeps `SELECT … ON CONFLICT` unambiguous
    return (
        f"INSERT INTO rectification_{rollup} ({columns}, n) SELECT {values}, 1 {where} "
        f"ON CONFLICT ({columns}) DO UPDATE SET n = n + 1;"
    )


def _sqlite_remove(rollup: str) -> str:
    match = " AND ".join(f"{name} IS {expr.format(r='OLD')}" for name, expr in _SQLITE_KEYS[rollup])
    # decrement only: a row already gone (e.g. the roll-up table flushed first) stays gone
    update = f"UPDATE rectification_{rollup} SET n = n - 1 WHERE {match};"  # noqa: S608 - fixed text, no input
    delete = f"DELETE FROM rectification_{rollup} WHERE {match} AND n <= 0;"  # noqa: S608 - fixed text, no input
    return f"{update} {delete}"


def _sqlite_triggers() -> dict[str, str]:
    triggers = {}
    for rollup, watched in _SQLITE_WATCHED.items():
        table = PROBLEM_TABLE if rollup == "problemrollup" else MEASURE_TABLE
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in watched)
        add, remove = _sqlite_add(rollup), _sqlite_remove(rollup)
        triggers[f"rect_{rollup}_insert"] = f"AFTER INSERT ON {table} BEGIN {add} END"
        triggers[f"rect_{rollup}_update"] = (
            f"AFTER UPDATE OF {', '.join(watched)} ON {table} WHEN {changed} BEGIN {remove} {add} END"
        )
        triggers[f"rect_{rollup}_delete"] = f"AFTER DELETE ON {table} BEGIN {remove} END"
    return triggers


SQLITE_TRIGGERS = _sqlite_triggers()
SQLITE_INSTALL = [f"CREATE TRIGGER IF NOT EXISTS {name} {body}" for name, body in SQLITE_TRIGGERS.items()]
SQLITE_REMOVE = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]

_STATEMENTS = {
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_REMOVE, POSTGRESQL_TRIGGERS),
    "sqlite": (SQLITE_INSTALL, SQLITE_REMOVE, list(SQLITE_TRIGGERS)),
}


def _run(connection, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install(connection) -> None:
    if connection.vendor in _STATEMENTS:
        _run(connection, _STATEMENTS[connection.vendor][0])


def remove(connection) -> None:
    if connection.vendor in _STATEMENTS:
        _run(connection, _STATEMENTS[connection.vendor][1])


def installed(connection) -> set[str]:
    """The names of the roll-up triggers present in the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE %s", ["rect_%"])
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", ["rect_%"])
        return {name for (name,) in cursor.fetchall()}


def ensure(connection) -> bool:
    """Reinstall missing triggers and recount the roll-ups they missed; True when something was missing."""
    if connection.vendor not in _STATEMENTS or MEASURE_TABLE not in connection.introspection.table_names():
        return False
    if "rectification_rollupday" not in connection.introspection.table_names():
        return False  # before the roll-ups migration
    if set(_STATEMENTS[connection.vendor][2]) <= installed(connection):
        return False
    from zuofeng.rectification.services.rollups import rollups_rebuild

    with transaction.atomic(using=connection.alias):
        install(connection)
        rollups_rebuild(using=connection.alias)
    return True
