"""The list page cache's change marker: LedgerStamp's table (unmanaged) and its triggers."""

from django.db import migrations, models


def install(apps, schema_editor):
    from zuofeng.rectification import ledger_stamp_triggers

    ledger_stamp_triggers.install(schema_editor.connection)


def remove(apps, schema_editor):
    from zuofeng.rectification import ledger_stamp_triggers

    ledger_stamp_triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_separation_of_duties_password_history_token_expiry"),
        ("campaigns", "0003_rule_basis"),
        ("organisation", "0002_person_name_initials"),
        ("rectification", "0011_stamp_unit_scope"),
    ]

    operations = [
        migrations.CreateModel(
            name="LedgerStamp",
            fields=[
                ("ledger_id", models.IntegerField(primary_key=True, serialize=False)),
                ("changes", models.BigIntegerField()),
            ],
            options={
                "db_table": "rectification_ledgerstamp",
                "managed": False,
            },
        ),
        migrations.RunSQL(
            "CREATE TABLE rectification_ledgerstamp (ledger_id integer NOT NULL PRIMARY KEY, changes bigint NOT NULL)",
            "DROP TABLE IF EXISTS rectification_ledgerstamp",
        ),
        migrations.RunPython(install, remove),
    ]
