from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cpts.services.territory import COMMUNES_CSV, load_communes


class Command(BaseCommand):
    help = "Charge ou met à jour le référentiel des communes (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=COMMUNES_CSV, help="Fichier CSV")

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_communes(options["file"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Communes : {result.created} ajoutée(s), {result.updated} mise(s) à jour."
            )
        )
