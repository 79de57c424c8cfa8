from django.db import migrations


def load(apps, schema_editor):
    from members.reference import load_professions

    load_professions(apps.get_model("members", "Profession"))


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
