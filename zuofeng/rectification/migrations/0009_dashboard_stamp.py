"""The dashboard cache's change marker: DashboardStamp's table (unmanaged) and its triggers."""

from django.db import migrations, models


def install(apps, schema_editor):
    from zuofeng.rectification import stamp_triggers

    stamp_triggers.install(schema_editor.connection)


def remove(apps, schema_editor):
    from zuofeng.rectification import stamp_triggers

    stamp_triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('organisation', '0002_person_name_initials'),
        ('rectification', '0008_measure_open_due_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='DashboardStamp',
            fields=[
                ('unit_id', models.IntegerField(primary_key=True, serialize=False)),
                ('changes', models.BigIntegerField()),
            ],
            options={
                'db_table': 'rectification_dashboardstamp',
                'managed': False,
            },
        ),
        migrations.RunSQL(
            "CREATE TABLE rectification_dashboardstamp (unit_id integer NOT NULL PRIMARY KEY, changes bigint NOT NULL)",
            "DROP TABLE IF EXISTS rectification_dashboardstamp",
        ),
        migrations.RunPython(install, remove),
    ]
