"""Pinyin initials of every person's name, for the 责任人 typeahead; existing rows are filled here."""

from django.db import migrations, models

from zuofeng.core.pinyin import name_initials


def fill_initials(apps, schema_editor):
    Person = apps.get_model("organisation", "Person")
    people = list(Person.objects.only("pk", "name"))
    for person in people:
        person.name_initials = name_initials(person.name)
    Person.objects.bulk_update(people, ["name_initials"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="name_initials",
            field=models.CharField(
                blank=True, db_index=True, editable=False, max_length=20, verbose_name="姓名拼音首字母"
            ),
        ),
        migrations.RunPython(fill_initials, migrations.RunPython.noop),
    ]
