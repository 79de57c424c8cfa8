"""The mission catalogue as code: ``ensure_catalogue`` restores it where a test flushed the
table (the data migration loads it in every real database)."""

from __future__ import annotations

from missions.models import Mission

CATALOGUE_KEYS = ("acces_soins", "parcours", "prevention", "crise", "qualite", "accompagnement")


def ensure_catalogue() -> None:
    if Mission.objects.count() == len(CATALOGUE_KEYS):
        return
    from importlib import import_module

    from django.apps import apps

    migration = import_module("missions.migrations.0002_mission_catalogue")
    migration.load_catalogue(apps, None)
