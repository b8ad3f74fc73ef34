"""The change marker also follows a unit's kind and functions (whether it must file a list): the
home page's 9月15日 counts are cached under it (decisions §50). SQLite keeps an existing trigger's
old column list (CREATE TRIGGER IF NOT EXISTS), so the triggers are dropped and installed again."""

from django.db import migrations


def reinstall(apps, schema_editor):
    from zuofeng.rectification import stamp_triggers

    stamp_triggers.remove(schema_editor.connection)
    stamp_triggers.install(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("rectification", "0010_filing_rollup"),
    ]

    operations = [
        migrations.RunPython(reinstall, reinstall),
    ]
