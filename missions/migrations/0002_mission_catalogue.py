"""The ACI mission catalogue (ACI CPTS 2019, avenant 2 of 20/12/2021; DESIGN.md §2)."""

from django.db import migrations

CATALOGUE = [
    # key, name, kind, start (months after signature), fully deployed (months)
    (
        "acces_soins",
        "Accès aux soins (médecin traitant, soins non programmés, SAS)",
        "socle",
        6,
        18,
    ),
    ("parcours", "Parcours pluriprofessionnels", "socle", 12, 24),
    ("prevention", "Prévention", "socle", 12, 24),
    ("crise", "Réponse aux crises sanitaires graves", "socle", 6, 18),
    ("qualite", "Qualité et pertinence des soins", "optionnelle", None, None),
    ("accompagnement", "Accompagnement des professionnels de santé", "optionnelle", None, None),
]


def load_catalogue(apps, schema_editor):  # type: ignore[no-untyped-def]
    Mission = apps.get_model("missions", "Mission")
    for position, (key, name, kind, start, deployed) in enumerate(CATALOGUE):
        Mission.objects.update_or_create(
            key=key,
            defaults={
                "name": name,
                "kind": kind,
                "start_months": start,
                "deployed_months": deployed,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("missions", "0001_initial")]

    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
