"""Triggers that bump LedgerStamp: the list page's cache marker (selectors/ledger_cache.py).

The cached part of a unit's list page shows the list, its problems with their benchmarks, its
measures and its history, and names kept elsewhere: units (the list's own, with its ancestors, and
the responsible units), people (responsible persons, the history's actors through their accounts),
the campaign's categories, symptoms, sources, benchmarks and key areas (the campaign's title is in the
heading, drawn per request). Every write to
one of them bumps a LedgerStamp row inside the writing transaction:

- a write to a list, its problems, their benchmark marks, its measures or its events bumps the row
  of that list (both lists when a row moves), whatever column changed: all of them are shown or
  decide what is shown, and a write that changes nothing shown is rare;
- a change to a shown name (units, people, accounts, the campaign's vocabularies) bumps row 0,
  which every list's key also reads. Renames are rare, so the one row they all lock is no queue. A
  new unit, person or account bumps nothing: no list shows it until a list's own row refers to it,
  and that write bumps the list (a deletion bumps row 0: SET_NULL would bump the lists anyway).

Why rows per list and not DashboardStamp's rows per unit: the dashboard ignores a measure's text,
people and history on purpose (a text edit must not recompute the city's board), and a list's key
should move only with its own list. Rows are never deleted (an old key must not come back).
PostgreSQL: statement triggers with transition tables; SQLite: row triggers. Installed by migration
0012 and after every migrate (a SQLite table rebuild drops triggers).
"""

# ruff: noqa: S608 - every statement here is built from this module's fixed text, never from input

from zuofeng.core.triggers import StampTriggers, pg_stamp_function

STAMP = "rectification_ledgerstamp"
NAMES = 0  # the row that every list's key reads besides its own: shown names kept outside the list
_PROBLEM_LEDGER = "(SELECT p.ledger_id FROM rectification_problem p WHERE p.id = {r}.problem_id)"
# table → (the list a row belongs to, over a row called {r}; the watched columns, None for any)
WATCHED = {
    "rectification_ledger": ("{r}.id", None),
    "rectification_problem": ("{r}.ledger_id", None),
    "rectification_problem_benchmarks": (_PROBLEM_LEDGER, None),
    "rectification_measure": (_PROBLEM_LEDGER, None),
    "rectification_ledgerevent": ("{r}.ledger_id", None),
    "organisation_unit": (str(NAMES), ("name", "short_name", "parent_id", "path")),
    "organisation_person": (str(NAMES), ("name",)),
    "accounts_user": (str(NAMES), ("username", "first_name", "last_name", "person_id")),
    "campaigns_obstructioncategory": (str(NAMES), ("name",)),
    "campaigns_symptom": (str(NAMES), ("name",)),
    "campaigns_problemsource": (str(NAMES), ("name",)),
    "campaigns_benchmark": (str(NAMES), ("name", "order")),
    "campaigns_keyarea": (str(NAMES), ("name",)),
}
_BUMP = f"ON CONFLICT (ledger_id) DO UPDATE SET changes = {STAMP}.changes + 1"


def _name(table: str) -> str:
    return f"ledger_stamp_{table.split('_', 1)[1]}"


# ── PostgreSQL ────────────────────────────────────────────────────────────


def _pg_function(table: str) -> str:
    key, columns = WATCHED[table]
    new, old = key.format(r="n"), key.format(r="o")
    if columns is None:  # any change: the row's list before and after
        changed = f"SELECT {new} AS k FROM new_rows n UNION SELECT {old} FROM old_rows o"
    else:  # a name: row 0 when a watched column changed
        pairs = " OR ".join(f'n."{c}" IS DISTINCT FROM o."{c}"' for c in columns)
        changed = f"SELECT {new} AS k FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {pairs}"
    upsert = f"INSERT INTO {STAMP} (ledger_id, changes) SELECT DISTINCT k, 1 FROM (%s) x"
    upsert += f" WHERE k IS NOT NULL ORDER BY k {_BUMP}"
    return pg_stamp_function(
        _name(table),
        upsert,
        inserted=f"SELECT {new} AS k FROM new_rows n" if columns is None else "SELECT NULL::integer AS k WHERE false",
        deleted=f"SELECT {old} AS k FROM old_rows o",
        updated=changed,
    )


# ── SQLite: row triggers ──────────────────────────────────────────────────


def _sqlite_bump(key: str, only: str = "true") -> str:
    return f"INSERT INTO {STAMP} (ledger_id, changes) SELECT {key}, 1 WHERE {key} IS NOT NULL AND {only} {_BUMP};"


def _sqlite_triggers() -> dict[str, str]:
    triggers = {}
    for table, (key, columns) in WATCHED.items():
        name = _name(table)
        new, old = key.format(r="NEW"), key.format(r="OLD")
        if columns is None:  # the list before and, when the row moved, the one after
            triggers[f"{name}_insert"] = f"AFTER INSERT ON {table} BEGIN {_sqlite_bump(new)} END"
            update = f"AFTER UPDATE ON {table} BEGIN {_sqlite_bump(old)} {_sqlite_bump(new, f'{new} IS NOT {old}')} END"
        else:
            changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in columns)
            quoted = ", ".join(f'"{c}"' for c in columns)  # "order" is a keyword
            update = f"AFTER UPDATE OF {quoted} ON {table} WHEN {changed} BEGIN {_sqlite_bump(new)} END"
        triggers[f"{name}_update"] = update
        triggers[f"{name}_delete"] = f"AFTER DELETE ON {table} BEGIN {_sqlite_bump(old)} END"
    return triggers


TRIGGERS = StampTriggers(STAMP, {t: (_name(t), _pg_function(t)) for t in WATCHED}, _sqlite_triggers())
install, remove, ensure = TRIGGERS.install, TRIGGERS.remove, TRIGGERS.ensure
