"""Entries name their hash scheme: existing ones keep plain SM3 (1), new ones are HMAC-SM3 (2).

SQLite adds the column by rebuilding the table, which drops its triggers; they are put back at
the end (on PostgreSQL the column is added without touching a row, so no trigger fires).
"""

from django.db import migrations, models


def reinstall_guard(apps, schema_editor):
    from zuofeng.audit import db_guard

    db_guard.remove(schema_editor.connection)
    db_guard.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="scheme",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="哈希方案"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="scheme",
            field=models.PositiveSmallIntegerField(default=2, verbose_name="哈希方案"),
        ),
        migrations.RunPython(reinstall_guard, migrations.RunPython.noop),
    ]
