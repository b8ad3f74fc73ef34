"""Running the statements that install or remove a module's database triggers, per database.

Trigger bodies differ between PostgreSQL (plpgsql) and SQLite, so each module keeps its statements
by vendor (`{"postgresql": [...], "sqlite": [...]}`); another database gets none.
"""


def statements_run(connection, by_vendor: dict[str, list[str]]) -> None:
    with connection.cursor() as cursor:
        for sql in by_vendor.get(connection.vendor, ()):
            cursor.execute(sql)
