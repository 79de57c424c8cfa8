"""``python manage.py import_members FILE [--dry-run]``: import members from an XLSX or CSV
file shaped like the import template, all or nothing.

Prints one line per error (``ligne N, colonne: raison``) and the summary (``créés: N, mis à
jour: N, inchangés: N, erreurs: N``); exits 1 and writes nothing when any row is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from members.importing import ImportFileError, read_member_file
from members.services.imports import run_import


class Command(BaseCommand):
    help = "Importe des membres depuis un fichier XLSX ou CSV au format du modèle d'import."

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
            dataset = read_member_file(content, path.name)
        except ImportFileError as error:
            raise CommandError(str(error), returncode=1) from error
        report = run_import(dataset, dry_run=options["dry_run"])
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
