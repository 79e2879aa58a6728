from django.db import migrations

from producers.geography import load_geography

GROUPS = ("admin", "officer", "viewer")


def forwards(apps, schema_editor):
    load_geography(apps.get_model("producers", "Province"), apps.get_model("producers", "District"),
                   apps.get_model("producers", "Subdistrict"))
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("producers", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
