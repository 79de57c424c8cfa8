from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from cpts.bench.report import as_json, parse_scales, report_lines
from cpts.bench.runner import run_bench


class Command(BaseCommand):
    help = (
        "Mesure le temps, les requêtes SQL et la mémoire des pages et des tâches, à plusieurs "
        "échelles de données, sur une base de données jetable (votre base n'est jamais lue ni "
        "modifiée). Affiche des chiffres, ne vérifie aucun seuil."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--runs", type=int, default=7, help="Passages mesurés (après 1 d'essai)"
        )
        parser.add_argument("--scales", default="1,10", help="Échelles, par exemple 1,10")
        parser.add_argument("--json", type=Path, help="Écrit aussi les résultats dans ce fichier")
        parser.add_argument(
            "--only",
            default="",
            help="Ne mesure que les pages et tâches dont le nom contient l'un de ces mots "
            "(séparés par des virgules), par exemple crisis,alert",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        runs: int = options["runs"]
        if runs < 1:
            raise CommandError(_("--runs attend un entier supérieur ou égal à 1."))
        try:
            scales = parse_scales(options["scales"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        only = tuple(part.strip() for part in options["only"].split(",") if part.strip())
        results = run_bench(scales, runs, log=self.stdout.write, only=only)
        for line in report_lines(results, scales, runs):
            self.stdout.write(line)
        if options["json"]:
            path: Path = options["json"]
            path.write_text(
                json.dumps(as_json(results, scales, runs), ensure_ascii=False, indent=2) + "\n",
                encoding="utf-8",
            )
            self.stdout.write(_("Résultats écrits dans %(path)s.") % {"path": path})
