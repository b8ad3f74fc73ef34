"""Triggers that bump DashboardStamp: the dashboard cache's change marker (views/dashboard.py).

Every write that can change a figure, a line or a name on the dashboard bumps the stamp row of each
unit it touches, inside the writing transaction: measures and problems (the roll-ups' columns),
lists (their state), units (names, tree, active, whether they must file). The marker is the sum of
all stamps: it grows with every such commit and never goes down, and it is read before the board is computed, so a board
cached under a marker is never older than that marker's commits (decisions §44).

Why one row per unit and not one counter: a single row would be locked by every writing transaction
until it commits, queuing all writers behind each other; a unit's stamp is locked only by writers of
that unit, who already lock its UnitRollup row. Why a sum and not max(stamp) over an index: commits
land out of order, so the newest stamp can commit before an older one, which max() would never see.

An UPDATE that changes none of the watched columns (a measure's text, a unit's phone number) bumps
nothing. PostgreSQL: statement triggers with transition tables, one upsert per statement in unit
order; SQLite: row triggers. Installed by migration 0009 and after every migrate (a SQLite table
rebuild drops triggers); unlike the roll-ups they need no recount: a missed bump only makes a
cached board wait for its time limit (DASHBOARD_CACHE_SECONDS).
"""

# ruff: noqa: S608 - every statement here is built from this module's fixed text, never from input

from zuofeng.core.triggers import statements_run

STAMP = "rectification_dashboardstamp"
# table → (the unit a row belongs to, the columns whose change the dashboard shows)
WATCHED = {
    "rectification_measure": (
        "unit_id",
        ("campaign_id", "unit_id", "state", "light", "deadline", "is_ongoing", "closed_on"),
    ),
    "rectification_problem": ("unit_id", ("ledger_id", "unit_id", "category_id", "symptom_id", "source_id")),
    "rectification_ledger": ("unit_id", ("campaign_id", "unit_id", "state")),
    # kind and functions: whether a unit must file a list (Unit.in_scope), which the home page's
    # 9月15日 counts follow (decisions §50); the board itself does not show them
    "organisation_unit": (
        "id",
        ("name", "short_name", "parent_id", "path", "sort_key", "depth", "is_active", "kind", "functions"),
    ),
}
CREATE_TABLE = f"CREATE TABLE {STAMP} (unit_id integer NOT NULL PRIMARY KEY, changes bigint NOT NULL)"
DROP_TABLE = f"DROP TABLE IF EXISTS {STAMP}"
MARKER = f"SELECT coalesce(sum(changes), 0) FROM {STAMP}"
_BUMP = f"ON CONFLICT (unit_id) DO UPDATE SET changes = {STAMP}.changes + 1"


def _name(table: str) -> str:
    return f"rect_stamp_{table.removeprefix('rectification_')}"


# ── PostgreSQL ────────────────────────────────────────────────────────────


def _pg_function(table: str) -> str:
    unit, columns = WATCHED[table]
    new = ", ".join(f"n.{c}" for c in columns)
    old = ", ".join(f"o.{c}" for c in columns)
    changed = f"FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE ({new}) IS DISTINCT FROM ({old})"
    upsert = f"INSERT INTO {STAMP} (unit_id, changes) SELECT u, 1 FROM (%s) k WHERE u IS NOT NULL ORDER BY u {_BUMP}"
    return f"""
    CREATE OR REPLACE FUNCTION {_name(table)}() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {upsert % f"SELECT DISTINCT {unit} AS u FROM new_rows"};
        ELSIF TG_OP = 'DELETE' THEN
            {upsert % f"SELECT DISTINCT {unit} AS u FROM old_rows"};
        ELSE
            {upsert % f"SELECT n.{unit} AS u {changed} UNION SELECT o.{unit} {changed}"};
        END IF;
        RETURN NULL;
    END $fn$
    """


def _pg_triggers(table: str) -> list[str]:
    name = _name(table)
    references = {"insert": "NEW TABLE AS new_rows", "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}
    references["delete"] = "OLD TABLE AS old_rows"
    return [
        f"""CREATE OR REPLACE TRIGGER {name}_{event} AFTER {event.upper()} ON {table}
        REFERENCING {refs} FOR EACH STATEMENT EXECUTE FUNCTION {name}()"""
        for event, refs in references.items()
    ]


POSTGRESQL_TRIGGERS = {f"{_name(t)}_{e}": t for t in WATCHED for e in ("insert", "update", "delete")}
POSTGRESQL_INSTALL = [statement for t in WATCHED for statement in (_pg_function(t), *_pg_triggers(t))]
POSTGRESQL_REMOVE = [
    *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in POSTGRESQL_TRIGGERS.items()),
    *(f"DROP FUNCTION IF EXISTS {_name(t)}()" for t in WATCHED),
]

# ── SQLite: row triggers ──────────────────────────────────────────────────


def _sqlite_bump(unit: str, only: str = "true") -> str:
    return f"INSERT INTO {STAMP} (unit_id, changes) SELECT {unit}, 1 WHERE {unit} IS NOT NULL AND {only} {_BUMP};"


def _sqlite_triggers() -> dict[str, str]:
    triggers = {}
    for table, (unit, columns) in WATCHED.items():
        name = _name(table)
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
        triggers[f"{name}_insert"] = f"AFTER INSERT ON {table} BEGIN {_sqlite_bump(f'NEW.{unit}')} END"
        # the old unit and, when the row moved, the new one
        moved = f"NEW.{unit} IS NOT OLD.{unit}"
        triggers[f"{name}_update"] = (
            f"AFTER UPDATE OF {', '.join(columns)} ON {table} WHEN {changed} BEGIN "
            f"{_sqlite_bump(f'OLD.{unit}')} {_sqlite_bump(f'NEW.{unit}', moved)} END"
        )
        triggers[f"{name}_delete"] = f"AFTER DELETE ON {table} BEGIN {_sqlite_bump(f'OLD.{unit}')} END"
    return triggers


SQLITE_TRIGGERS = _sqlite_triggers()
SQLITE_INSTALL = [f"CREATE TRIGGER IF NOT EXISTS {name} {body}" for name, body in SQLITE_TRIGGERS.items()]
SQLITE_REMOVE = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]


def install(connection) -> None:
    statements_run(connection, {"postgresql": POSTGRESQL_INSTALL, "sqlite": SQLITE_INSTALL})


def remove(connection) -> None:
    statements_run(connection, {"postgresql": POSTGRESQL_REMOVE, "sqlite": SQLITE_REMOVE})


def ensure(connection) -> None:
    """Put back any trigger a migration dropped (idempotent statements), once the table exists."""
    if STAMP in connection.introspection.table_names():
        install(connection)


def bump_all(connection) -> None:
    """One more change for a write no trigger sees (the roll-ups' repair): unit 0 is no unit. Before
    migration 0009 (the roll-ups' own migration recounts) there is no marker to move."""
    if STAMP not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {STAMP} (unit_id, changes) VALUES (0, 1) {_BUMP}")
