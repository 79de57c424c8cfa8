"""``python manage.py import_indicator_values FILE [--dry-run]``: import indicator values
(CPAM, ARS figures) from an XLSX or CSV file with the columns indicateur, période, valeur
(ventilation and commentaire optional), all or nothing.

Prints one line per error (``ligne N, colonne: raison``) and the summary (``nouvelles: N,
modifiées: N, inchangées: N, erreurs: N``); exits 1 and writes nothing when any row is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from indicators.importing import read_indicator_file
from indicators.services.imports import run_import
from members.importing import ImportFileError


class Command(BaseCommand):
    help = "Importe des valeurs d'indicateurs (chiffres CPAM, ARS) depuis un fichier XLSX ou CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Fichier .xlsx ou .csv")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Vérifie le fichier et affiche ce qui serait fait, sans rien enregistrer.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Impossible de lire %(path)s : %(error)s")
                % {"path": path, "error": error.strerror or error},
                returncode=1,
            ) from error
        try:
            table = read_indicator_file(content, path.name)
        except ImportFileError as error:
            raise CommandError(str(error), returncode=1) from error
        report = run_import(table, dry_run=options["dry_run"], source_name=path.name)
        for row_error in report.errors:
            self.stdout.write(str(row_error))
        self.stdout.write(report.summary)
        if report.has_errors:
            raise CommandError(
                _("Import refusé : corrigez les lignes en erreur, rien n'a été enregistré."),
                returncode=1,
            )
        if options["dry_run"]:
            self.stdout.write(_("Vérification seule : rien n'a été enregistré."))
