"""``python manage.py import_members FILE [--dry-run]``: import members from an XLSX or CSV
file shaped like the import template, all or nothing.

Prints one line per error (``ligne N, colonne: raison``) and the summary (``créés: N, mis à
jour: N, inchangés: N, erreurs: N``); exits 1 and writes nothing when any row is wrong."""

from __future__ import annotations

from cpts.importing import FileImportCommand
from members.importing import read_member_file
from members.services.imports import ImportReport, run_import


class Command(FileImportCommand):
    help = "Importe des membres depuis un fichier XLSX ou CSV au format du modèle d'import."

    def run_import(self, content: bytes, filename: str, *, dry_run: bool) -> ImportReport:
        return run_import(read_member_file(content, filename), dry_run=dry_run)
