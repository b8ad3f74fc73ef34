"""GIN indexes for Chinese search on PostgreSQL (selectors/ledger.py: ledger_search).

search_bigrams holds space-separated character bigrams, so to_tsvector('simple', …) makes each
bigram one lexeme and a two-character term such as 推诿 is one index probe. The expression
must match the query's exactly for the planner to use it. SQLite has no such index and
searches with a contains filter instead.
"""

from django.db import migrations

TABLES = {"rect_problem_bigrams_gin": "rectification_problem", "rect_measure_bigrams_gin": "rectification_measure"}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in TABLES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (to_tsvector('simple'::regconfig, search_bigrams))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("rectification", "0002_export_job")]
    operations = [migrations.RunPython(create, drop)]
