"""Running the statements that install or remove a module's database triggers, per database.

Trigger bodies differ between PostgreSQL (plpgsql) and SQLite, so each module keeps its statements
by vendor (`{"postgresql": [...], "sqlite": [...]}`); another database gets none.
"""


def statements_run(connection, by_vendor: dict[str, list[str]]) -> None:
    with connection.cursor() as cursor:
        for sql in by_vendor.get(connection.vendor, ()):
            cursor.execute(sql)


def pg_statement_triggers(function: str, table: str) -> dict[str, str]:
    """Name → statement of the AFTER INSERT, UPDATE and DELETE statement triggers on `table` that run
    the plpgsql `function`() with the statement's rows as the transition tables new_rows / old_rows."""
    references = {"insert": "NEW TABLE AS new_rows", "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}
    references["delete"] = "OLD TABLE AS old_rows"
    return {
        f"{function}_{event}": f"""CREATE OR REPLACE TRIGGER {function}_{event} AFTER {event.upper()} ON {table}
        REFERENCING {refs} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"""
        for event, refs in references.items()
    }


def pg_stamp_function(name: str, upsert: str, *, inserted: str, deleted: str, updated: str) -> str:
    """A plpgsql trigger function running `upsert` (a statement with one %s) over the keys that the
    statement's kind selects from its transition tables."""
    return f"""
    CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {upsert % inserted};
        ELSIF TG_OP = 'DELETE' THEN
            {upsert % deleted};
        ELSE
            {upsert % updated};
        END IF;
        RETURN NULL;
    END $fn$
    """


class StampTriggers:
    """A change marker's triggers: for each watched table, a plpgsql function run by statement triggers
    on PostgreSQL, row triggers on SQLite. `functions` maps table → (function name, its CREATE statement);
    `sqlite` maps trigger name → its definition after CREATE TRIGGER name."""

    def __init__(self, stamp: str, functions: dict[str, tuple[str, str]], sqlite: dict[str, str]) -> None:
        self.stamp = stamp
        triggers = {t: pg_statement_triggers(name, t) for t, (name, _) in functions.items()}
        self.postgresql_install = [s for t, (_, f) in functions.items() for s in (f, *triggers[t].values())]
        self.postgresql_remove = [
            *(f"DROP TRIGGER IF EXISTS {name} ON {t}" for t in functions for name in triggers[t]),
            *(f"DROP FUNCTION IF EXISTS {name}()" for name, _ in functions.values()),
        ]
        self.sqlite_triggers = sqlite
        self.sqlite_install = [f"CREATE TRIGGER IF NOT EXISTS {name} {body}" for name, body in sqlite.items()]
        self.sqlite_remove = [f"DROP TRIGGER IF EXISTS {name}" for name in sqlite]

    def install(self, connection) -> None:
        statements_run(connection, {"postgresql": self.postgresql_install, "sqlite": self.sqlite_install})

    def remove(self, connection) -> None:
        statements_run(connection, {"postgresql": self.postgresql_remove, "sqlite": self.sqlite_remove})

    def ensure(self, connection) -> None:
        """Put back any trigger a migration dropped (idempotent statements), once the stamp table exists."""
        if self.stamp in connection.introspection.table_names():
            self.install(connection)
