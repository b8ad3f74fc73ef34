"""Triggers that keep the dashboard roll-ups (UnitRollup, ClosureRollup, ProblemRollup) and the
9月15日 filing counts (FilingRollup) exact.

Measures and problems change through many paths: transitions, edits, imports, the daily bulk light
refresh with update(), bulk_create in demo and bench loaders, cascading deletes, raw SQL. Triggers
see every one of them, inside the writing transaction, so the roll-ups cannot miss a path.

PostgreSQL: one statement-level trigger per event, with transition tables, so a bulk statement adds
its rows as one grouped upsert; the upsert goes in key order, so two transactions that touch the
same units lock their rows in the same order. Rows left at zero are deleted by the transaction that
made them zero (it still holds their lock). SQLite: row triggers (one writer at a time).

FilingRollup counts lists by (campaign, filing status, day first submitted). A list's status depends
on its unit's problem count (a draft without problems is 未开始), so besides the list's own triggers
one on rectification_unitrollup moves a draft between 未开始 and 起草中 when that count leaves or
reaches zero. Its keys are few and shared by many lists, so the triggers append signed rows rather
than update a shared one (which would make every two transactions that file lists wait for each
other, and could deadlock an import against a clerk's first problem); readers sum the rows, and the
daily job folds them back to one row per key (services/rollups.filing_compact).

The same column definitions (MEASURE_COUNTS) write the triggers and the recount of
services/rollups.py. A migration that rebuilds rectification_measure or rectification_problem on
SQLite (most AlterField operations) drops the triggers; `ensure` runs after every migrate and
reinstalls them, recounting the roll-ups if any was missing. An existing database has them: change
the statements only with a migration that reinstalls them.
"""

# ruff: noqa: S608 - every statement here is built from this module's fixed text, never from input

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from zuofeng.core.triggers import statements_run

MEASURE_TABLE = "rectification_measure"
PROBLEM_TABLE = "rectification_problem"
UNIT_ROLLUP = "rectification_unitrollup"
CLOSURE_ROLLUP = "rectification_closurerollup"
PROBLEM_ROLLUP = "rectification_problemrollup"
DAY = "(SELECT overdue_before FROM rectification_rollupday WHERE id = 1)"

# UnitRollup's measure columns: the condition a measure row ({m} is its alias) is counted under
MEASURE_COUNTS = {
    "measures": "true",
    **{f"state_{s}": f"{{m}}state = '{s}'" for s in ("planned", "in_progress", "close_requested", "closed")},
    **{f"light_{li}": f"{{m}}light = '{li}'" for li in ("green", "yellow", "red", "closed", "none")},
    **{f"open_{li}": f"{{m}}light = '{li}' AND {{m}}state <> 'closed'" for li in ("red", "yellow", "green", "none")},
    "overdue": f"{{m}}state <> 'closed' AND NOT {{m}}is_ongoing AND {{m}}deadline < {DAY}",
}
UNIT_COLUMNS = ["problems", *MEASURE_COUNTS]
# the Monday of the week of closed_on, as Django's TruncWeek
WEEK = {
    "postgresql": "date_trunc('week', {m}closed_on)::date",
    "sqlite": "date({m}closed_on, 'weekday 0', '-6 days')",
}
PROBLEM_KEY = "{m}unit_id, {m}category_id, coalesce({m}symptom_id, 0), {m}source_id"
LEDGER_CAMPAIGN = "(SELECT campaign_id FROM rectification_ledger WHERE id = {m}ledger_id)"


def _when(condition: str, m: str, then: str = "1") -> str:
    return f"CASE WHEN {condition.format(m=m)} THEN {then} ELSE 0 END"


def unit_rollup_select(m: str = "m.", sign: str = "1") -> str:
    """`campaign_id, unit_id, 0, <MEASURE_COUNTS>` of measure rows aliased `m`, to group by unit."""
    counts = ", ".join(f"sum({_when(cond, m, sign)})" for cond in MEASURE_COUNTS.values())
    return f"{m}campaign_id, {m}unit_id, 0, {counts}"


def closure_rollup_select(vendor: str, m: str = "m.", sign: str = "1") -> str:
    return f"{m}campaign_id, {m}unit_id, {WEEK[vendor].format(m=m)}, sum({sign})"


# problem rows aliased `m`, joined to their list `l` (the campaign is the list's)
PROBLEM_FROM = "JOIN rectification_ledger l ON l.id = m.ledger_id"


def problem_rollup_select(sign: str = "1") -> str:
    return f"l.campaign_id, {PROBLEM_KEY.format(m='m.')}, sum({sign})"


# ── the filing counts (FilingRollup) ─────────────────────────────────────
LEDGER_TABLE = "rectification_ledger"
FILING_ROLLUP = "rectification_filingrollup"
NEVER = "9999-12-31"  # FilingRollup.NEVER: the day of a list never submitted
# Beijing time has no daylight saving, so SQLite's fixed offset is the zone's
_ZONE = settings.TIME_ZONE
_OFFSET_HOURS = int(ZoneInfo(_ZONE).utcoffset(dt.datetime(2018, 1, 1)).total_seconds() // 3600)
FILED_ON = {
    "postgresql": f"coalesce(({{m}}first_submitted_at AT TIME ZONE '{_ZONE}')::date, DATE '{NEVER}')",
    "sqlite": f"coalesce(date({{m}}first_submitted_at, '{_OFFSET_HOURS:+d} hours'), '{NEVER}')",
}
# milestone.FilingStatus of a list row: a draft whose unit has no problem is 未开始; the other ledger
# states are the statuses of the same name
FILING_STATUS = (
    "CASE WHEN {m}state <> 'draft' THEN {m}state "
    f"WHEN coalesce((SELECT r.problems FROM {UNIT_ROLLUP} r WHERE r.campaign_id = {{m}}campaign_id "
    "AND r.unit_id = {m}unit_id), 0) > 0 THEN 'drafting' ELSE 'not_started' END"
)


def filing_select(vendor: str, m: str = "m.") -> str:
    """`campaign_id, status, submitted_on` of list rows aliased `m`."""
    return f"{m}campaign_id, {FILING_STATUS.format(m=m)}, {FILED_ON[vendor].format(m=m)}"


_ADD_UNIT = ", ".join(f"{c} = r.{c} + EXCLUDED.{c}" for c in UNIT_COLUMNS)
_UNIT_EMPTY = "r.measures = 0 AND r.problems = 0"

# ── PostgreSQL ────────────────────────────────────────────────────────────

_PG_ROWS = """
    rows text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT m.*, 1 AS sign FROM new_rows m'
        WHEN 'DELETE' THEN 'SELECT m.*, -1 AS sign FROM old_rows m'
        ELSE 'SELECT m.*, 1 AS sign FROM new_rows m UNION ALL SELECT m.*, -1 FROM old_rows m' END;
"""
_PG_CHANGED = " OR ".join(f"sum({_when(cond, 'm.', 'm.sign')}) <> 0" for cond in MEASURE_COUNTS.values())
_PG_UNITS = "(SELECT DISTINCT campaign_id, unit_id FROM (%s) m) k"

POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION rect_measure_rollup() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE
        {_PG_ROWS}
    BEGIN
        EXECUTE format($q$
            INSERT INTO {UNIT_ROLLUP} AS r (campaign_id, unit_id, {", ".join(UNIT_COLUMNS)})
            SELECT {unit_rollup_select(sign="m.sign")}
            FROM (%s) m GROUP BY 1, 2 HAVING {_PG_CHANGED} ORDER BY 1, 2
            ON CONFLICT (campaign_id, unit_id) DO UPDATE SET {_ADD_UNIT}
        $q$, rows);
        EXECUTE format($q$
            INSERT INTO {CLOSURE_ROLLUP} AS r (campaign_id, unit_id, week, n)
            SELECT {closure_rollup_select("postgresql", sign="m.sign")}
            FROM (%s) m WHERE m.closed_on IS NOT NULL
            GROUP BY 1, 2, 3 HAVING sum(m.sign) <> 0 ORDER BY 1, 2, 3
            ON CONFLICT (campaign_id, unit_id, week) DO UPDATE SET n = r.n + EXCLUDED.n
        $q$, rows);
        IF TG_OP <> 'INSERT' THEN
            EXECUTE format($q$
                DELETE FROM {UNIT_ROLLUP} r USING {_PG_UNITS}
                WHERE {_UNIT_EMPTY} AND r.campaign_id = k.campaign_id AND r.unit_id = k.unit_id
            $q$, rows);
            EXECUTE format($q$
                DELETE FROM {CLOSURE_ROLLUP} r USING {_PG_UNITS}
                WHERE r.n = 0 AND r.campaign_id = k.campaign_id AND r.unit_id = k.unit_id
            $q$, rows);
        END IF;
        RETURN NULL;
    END $fn$
    """,
    f"""
    CREATE OR REPLACE FUNCTION rect_problem_rollup() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE
        {_PG_ROWS}
    BEGIN
        EXECUTE format($q$
            INSERT INTO {UNIT_ROLLUP} AS r (campaign_id, unit_id, problems)
            SELECT l.campaign_id, m.unit_id, sum(m.sign)
            FROM (%s) m {PROBLEM_FROM} GROUP BY 1, 2 HAVING sum(m.sign) <> 0 ORDER BY 1, 2
            ON CONFLICT (campaign_id, unit_id) DO UPDATE SET problems = r.problems + EXCLUDED.problems
        $q$, rows);
        EXECUTE format($q$
            INSERT INTO {PROBLEM_ROLLUP} AS r (campaign_id, unit_id, category_id, symptom_id, source_id, n)
            SELECT {problem_rollup_select(sign="m.sign")}
            FROM (%s) m {PROBLEM_FROM} GROUP BY 1, 2, 3, 4, 5 HAVING sum(m.sign) <> 0 ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (campaign_id, unit_id, category_id, symptom_id, source_id) DO UPDATE SET n = r.n + EXCLUDED.n
        $q$, rows);
        IF TG_OP <> 'INSERT' THEN
            EXECUTE format($q$
                DELETE FROM {UNIT_ROLLUP} r USING (SELECT DISTINCT unit_id FROM (%s) m) k
                WHERE {_UNIT_EMPTY} AND r.unit_id = k.unit_id
            $q$, rows);
            EXECUTE format($q$
                DELETE FROM {PROBLEM_ROLLUP} r USING (SELECT DISTINCT unit_id FROM (%s) m) k
                WHERE r.n = 0 AND r.unit_id = k.unit_id
            $q$, rows);
        END IF;
        RETURN NULL;
    END $fn$
    """,
]
# Filing counts are appended as signed rows (never updated in place): a list's move touches no row
# another transaction holds, so writers never wait for or deadlock on each other's counts.
# Only for a campaign that exists: while a campaign (or, in tests, every table) is being deleted, a
# list deleted after it appends nothing, and rows appended before go with it (rect_campaign_filing).
CAMPAIGN_TABLE = "campaigns_campaign"
_PG_FILING_APPEND = (
    f"INSERT INTO {FILING_ROLLUP} (campaign_id, status, submitted_on, n) "
    f"SELECT * FROM (%s) d WHERE EXISTS (SELECT 1 FROM {CAMPAIGN_TABLE} c WHERE c.id = d.campaign_id)"
)
# a unit whose problem count left zero (+1) or reached it (-1), with its draft list: moves that list
_PG_DRAFT_MOVES = f"""
    SELECT l.campaign_id, s.status, {FILED_ON["postgresql"].format(m="l.")}, sum(c.d * s.sign)
    FROM (SELECT m.campaign_id, m.unit_id, sum(CASE WHEN m.problems > 0 THEN m.sign ELSE 0 END) AS d
          FROM (%s) m GROUP BY 1, 2) c
    JOIN {LEDGER_TABLE} l ON l.campaign_id = c.campaign_id AND l.unit_id = c.unit_id AND l.state = 'draft'
    CROSS JOIN (VALUES ('drafting', 1), ('not_started', -1)) s (status, sign)
    WHERE c.d <> 0 GROUP BY 1, 2, 3 HAVING sum(c.d * s.sign) <> 0"""
_PG_LEDGER_MOVES = (
    f"SELECT {filing_select('postgresql')}, sum(m.sign) FROM (%s) m GROUP BY 1, 2, 3 HAVING sum(m.sign) <> 0"
)
# the filing counts' statements apart: installed only once their table exists (after 0010)
FILING_POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE
        {_PG_ROWS}
    BEGIN
        EXECUTE format($q${_PG_FILING_APPEND % moves}$q$, rows);
        RETURN NULL;
    END $fn$
    """
    for function, moves in (("rect_ledger_filing", _PG_LEDGER_MOVES), ("rect_unitrollup_filing", _PG_DRAFT_MOVES))
] + [
    f"""
    CREATE OR REPLACE FUNCTION rect_campaign_filing() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        DELETE FROM {FILING_ROLLUP} r USING old_rows o WHERE r.campaign_id = o.id;
        RETURN NULL;
    END $fn$
    """,
    f"""CREATE OR REPLACE TRIGGER rect_campaign_filing_delete AFTER DELETE ON {CAMPAIGN_TABLE}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rect_campaign_filing()""",
]
_PG_TABLES = {
    "rect_measure_rollup": MEASURE_TABLE,
    "rect_problem_rollup": PROBLEM_TABLE,
    "rect_ledger_filing": LEDGER_TABLE,
    "rect_unitrollup_filing": UNIT_ROLLUP,
}
_FILING_FUNCTIONS = ("rect_ledger_filing", "rect_unitrollup_filing")
for _function, _table in _PG_TABLES.items():
    (FILING_POSTGRESQL_INSTALL if _function in _FILING_FUNCTIONS else POSTGRESQL_INSTALL).extend(
        [
            f"""CREATE OR REPLACE TRIGGER {_function}_insert AFTER INSERT ON {_table}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {_function}()""",
            f"""CREATE OR REPLACE TRIGGER {_function}_update AFTER UPDATE ON {_table}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {_function}()""",
            f"""CREATE OR REPLACE TRIGGER {_function}_delete AFTER DELETE ON {_table}
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {_function}()""",
        ]
    )
POSTGRESQL_TRIGGERS = {
    **{f"{fn}_{event}": table for fn, table in _PG_TABLES.items() for event in ("insert", "update", "delete")},
    "rect_campaign_filing_delete": CAMPAIGN_TABLE,
}
POSTGRESQL_REMOVE = [
    *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in POSTGRESQL_TRIGGERS.items()),
    *(f"DROP FUNCTION IF EXISTS {function}()" for function in [*_PG_TABLES, "rect_campaign_filing"]),
]

# ── SQLite: row triggers, NEW./OLD. for the row ──────────────────────────


def _sqlite_unit(row: str, columns: dict[str, str], add: bool, campaign: str) -> str:
    """Add a row's counts to its unit (upsert), or take them away (update, then delete an empty row)."""
    values = {c: _when(cond, f"{row}.") for c, cond in columns.items()}
    if add:
        names = ", ".join(columns)
        added = ", ".join(f"{c} = {c} + excluded.{c}" for c in columns)
        return (
            f"INSERT INTO {UNIT_ROLLUP} (campaign_id, unit_id, {names}) "
            f"VALUES ({campaign}, {row}.unit_id, {', '.join(values.values())}) "
            f"ON CONFLICT (campaign_id, unit_id) DO UPDATE SET {added};"
        )
    match = f"campaign_id = {campaign} AND unit_id = {row}.unit_id"
    taken = ", ".join(f"{c} = {c} - {v}" for c, v in values.items())
    return (
        f"UPDATE {UNIT_ROLLUP} SET {taken} WHERE {match}; "
        f"DELETE FROM {UNIT_ROLLUP} WHERE {match} AND measures <= 0 AND problems <= 0;"
    )


def _sqlite_keyed(table: str, keys: dict[str, str], row: str, add: bool, only: str = "") -> str:
    """Count a row under its key in a keyed roll-up (closures, problems); decrement only, never below."""
    values = {name: expr.format(m=f"{row}.") for name, expr in keys.items()}
    if add:
        where = f"WHERE {only.format(m=f'{row}.')}" if only else "WHERE true"  # keeps SELECT … ON CONFLICT clear
        return (
            f"INSERT INTO {table} ({', '.join(values)}, n) SELECT {', '.join(values.values())}, 1 {where} "
            f"ON CONFLICT ({', '.join(values)}) DO UPDATE SET n = n + 1;"
        )
    match = " AND ".join(f"{name} IS {expr}" for name, expr in values.items())
    return f"UPDATE {table} SET n = n - 1 WHERE {match}; DELETE FROM {table} WHERE {match} AND n <= 0;"


_SQLITE_CLOSURE = {"campaign_id": "{m}campaign_id", "unit_id": "{m}unit_id", "week": WEEK["sqlite"]}
_SQLITE_PROBLEM = {
    "campaign_id": LEDGER_CAMPAIGN,
    "unit_id": "{m}unit_id",
    "category_id": "{m}category_id",
    "symptom_id": "coalesce({m}symptom_id, 0)",
    "source_id": "{m}source_id",
}


def _sqlite_steps(kind: str, row: str, add: bool) -> str:
    if kind == "measure":
        unit = _sqlite_unit(row, MEASURE_COUNTS, add, campaign=f"{row}.campaign_id")
        closure = _sqlite_keyed(CLOSURE_ROLLUP, _SQLITE_CLOSURE, row, add, only="{m}closed_on IS NOT NULL")
        return f"{unit} {closure}"
    unit = _sqlite_unit(row, {"problems": "true"}, add, campaign=LEDGER_CAMPAIGN.format(m=f"{row}."))
    return f"{unit} {_sqlite_keyed(PROBLEM_ROLLUP, _SQLITE_PROBLEM, row, add)}"


# an UPDATE that changes none of these columns leaves the roll-ups alone
_SQLITE_WATCHED = {
    "measure": ("campaign_id", "unit_id", "state", "light", "deadline", "is_ongoing", "closed_on"),
    "problem": ("ledger_id", "unit_id", "category_id", "symptom_id", "source_id"),
}


def _sqlite_triggers() -> dict[str, str]:
    triggers = {}
    for kind, watched in _SQLITE_WATCHED.items():
        table = MEASURE_TABLE if kind == "measure" else PROBLEM_TABLE
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in watched)
        add, remove = _sqlite_steps(kind, "NEW", True), _sqlite_steps(kind, "OLD", False)
        triggers[f"rect_{kind}_rollup_insert"] = f"AFTER INSERT ON {table} BEGIN {add} END"
        triggers[f"rect_{kind}_rollup_update"] = (
            f"AFTER UPDATE OF {', '.join(watched)} ON {table} WHEN {changed} BEGIN {remove} {add} END"
        )
        triggers[f"rect_{kind}_rollup_delete"] = f"AFTER DELETE ON {table} BEGIN {remove} END"
    return triggers


def _sqlite_filing(row: str, add: bool) -> str:
    """Append a list row's count (+1) or its removal (-1) under its key in FilingRollup."""
    status, day = FILING_STATUS.format(m=f"{row}."), FILED_ON["sqlite"].format(m=f"{row}.")
    return (
        f"INSERT INTO {FILING_ROLLUP} (campaign_id, status, submitted_on, n) "
        f"SELECT {row}.campaign_id, {status}, {day}, {1 if add else -1} "
        f"WHERE EXISTS (SELECT 1 FROM {CAMPAIGN_TABLE} c WHERE c.id = {row}.campaign_id);"
    )


def _sqlite_draft_move(row: str, source: str, target: str) -> str:
    """Move the draft list of a roll-up row's unit from one status to the other (none: nothing)."""
    draft = (
        f"l.campaign_id = {row}.campaign_id AND l.unit_id = {row}.unit_id AND l.state = 'draft' "
        f"AND EXISTS (SELECT 1 FROM {CAMPAIGN_TABLE} c WHERE c.id = l.campaign_id)"
    )
    day = FILED_ON["sqlite"].format(m="l.")
    return (
        f"INSERT INTO {FILING_ROLLUP} (campaign_id, status, submitted_on, n) "
        f"SELECT l.campaign_id, s.status, {day}, s.n FROM {LEDGER_TABLE} l, "
        f"(SELECT {source} AS status, -1 AS n UNION ALL SELECT {target}, 1) s WHERE {draft};"
    )


def _sqlite_filing_triggers() -> dict[str, str]:
    watched = ("campaign_id", "unit_id", "state", "first_submitted_at")
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in watched)
    added, removed = _sqlite_filing("NEW", True), _sqlite_filing("OLD", False)
    # which way a draft moves when its unit's problem count leaves or reaches zero
    start = "CASE WHEN NEW.problems > 0 THEN 'not_started' ELSE 'drafting' END"
    end = "CASE WHEN NEW.problems > 0 THEN 'drafting' ELSE 'not_started' END"
    begun, unbegun = (
        _sqlite_draft_move("NEW", "'not_started'", "'drafting'"),
        _sqlite_draft_move("OLD", "'drafting'", "'not_started'"),
    )
    return {
        "rect_ledger_filing_insert": f"AFTER INSERT ON {LEDGER_TABLE} BEGIN {added} END",
        "rect_ledger_filing_update": (
            f"AFTER UPDATE OF {', '.join(watched)} ON {LEDGER_TABLE} WHEN {changed} BEGIN {removed} {added} END"
        ),
        "rect_ledger_filing_delete": f"AFTER DELETE ON {LEDGER_TABLE} BEGIN {removed} END",
        "rect_campaign_filing_delete": (
            f"AFTER DELETE ON {CAMPAIGN_TABLE} BEGIN DELETE FROM {FILING_ROLLUP} WHERE campaign_id = OLD.id; END"
        ),
        "rect_unitrollup_filing_insert": (f"AFTER INSERT ON {UNIT_ROLLUP} WHEN NEW.problems > 0 BEGIN {begun} END"),
        "rect_unitrollup_filing_update": (
            f"AFTER UPDATE OF problems ON {UNIT_ROLLUP} WHEN (OLD.problems > 0) <> (NEW.problems > 0) "
            f"BEGIN {_sqlite_draft_move('NEW', start, end)} END"
        ),
        "rect_unitrollup_filing_delete": (f"AFTER DELETE ON {UNIT_ROLLUP} WHEN OLD.problems > 0 BEGIN {unbegun} END"),
    }


SQLITE_TRIGGERS = {**_sqlite_triggers(), **_sqlite_filing_triggers()}
_SQLITE_CREATE = {name: f"CREATE TRIGGER IF NOT EXISTS {name} {body}" for name, body in SQLITE_TRIGGERS.items()}
SQLITE_INSTALL = [create for name, create in _SQLITE_CREATE.items() if "_filing_" not in name]
FILING_SQLITE_INSTALL = [create for name, create in _SQLITE_CREATE.items() if "_filing_" in name]
SQLITE_REMOVE = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]

_TRIGGERS = {"postgresql": set(POSTGRESQL_TRIGGERS), "sqlite": set(SQLITE_TRIGGERS)}
_FILING_TRIGGERS = {name for name in {*POSTGRESQL_TRIGGERS, *SQLITE_TRIGGERS} if "_filing_" in name}


def has_filing(connection) -> bool:
    """Whether FilingRollup's table exists (migration 0010 on): before it, its triggers wait."""
    return FILING_ROLLUP in connection.introspection.table_names()


def install(connection) -> None:
    statements_run(connection, {"postgresql": POSTGRESQL_INSTALL, "sqlite": SQLITE_INSTALL})
    if has_filing(connection):
        statements_run(connection, {"postgresql": FILING_POSTGRESQL_INSTALL, "sqlite": FILING_SQLITE_INSTALL})


def remove(connection) -> None:
    statements_run(connection, {"postgresql": POSTGRESQL_REMOVE, "sqlite": SQLITE_REMOVE})


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
    if connection.vendor not in _TRIGGERS:
        return False
    if "rectification_rollupday" not in connection.introspection.table_names():
        return False  # before the roll-ups migration
    expected = _TRIGGERS[connection.vendor] - (set() if has_filing(connection) else _FILING_TRIGGERS)
    if expected <= installed(connection):
        return False
    from zuofeng.rectification.services.rollups import rollups_rebuild

    with transaction.atomic(using=connection.alias):
        install(connection)
        rollups_rebuild(using=connection.alias)
    return True
