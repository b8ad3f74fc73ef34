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

from zuofeng.core.triggers import StampTriggers, pg_stamp_function

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
    return pg_stamp_function(
        _name(table),
        upsert,
        inserted=f"SELECT DISTINCT {unit} AS u FROM new_rows",
        deleted=f"SELECT DISTINCT {unit} AS u FROM old_rows",
        updated=f"SELECT n.{unit} AS u {changed} UNION SELECT o.{unit} {changed}",
    )


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


TRIGGERS = StampTriggers(STAMP, {t: (_name(t), _pg_function(t)) for t in WATCHED}, _sqlite_triggers())
install, remove, ensure = TRIGGERS.install, TRIGGERS.remove, TRIGGERS.ensure


def bump_all(connection) -> None:
    """One more change for a write no trigger sees (the roll-ups' repair): unit 0 is no unit. Before
    migration 0009 (the roll-ups' own migration recounts) there is no marker to move."""
    if STAMP not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {STAMP} (unit_id, changes) VALUES (0, 1) {_BUMP}")
