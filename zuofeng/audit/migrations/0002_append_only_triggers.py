from django.db import migrations


def install(apps, schema_editor):
    from zuofeng.audit import db_guard

    db_guard.install(schema_editor.connection)


def remove(apps, schema_editor):
    from zuofeng.audit import db_guard

    db_guard.remove(schema_editor.connection)


def create_head(apps, schema_editor):
    # Present from the start, so the first writers lock an existing row instead of racing to create it.
    apps.get_model("audit", "AuditHead").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(install, remove),
    ]
