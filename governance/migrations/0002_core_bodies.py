"""Every association has one AG, one CA and one Bureau: create them."""

from django.db import migrations

CORE_BODIES = [
    ("ag", "Assemblée générale", 0),
    ("ca", "Conseil d'administration", 1),
    ("bureau", "Bureau", 2),
]


def create_core_bodies(apps, schema_editor):  # type: ignore[no-untyped-def]
    Body = apps.get_model("governance", "Body")
    for kind, name, position in CORE_BODIES:
        if not Body.objects.filter(kind=kind).exists():
            Body.objects.create(kind=kind, name=name, position=position)


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(create_core_bodies, migrations.RunPython.noop)]
