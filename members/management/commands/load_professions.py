from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from members.models import Profession
from members.reference import load_professions


class Command(BaseCommand):
    help = "Charge ou met à jour la liste des professions (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = load_professions(Profession)
        self.stdout.write(self.style.SUCCESS(f"Professions : {count} à jour."))
