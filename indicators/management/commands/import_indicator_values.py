"""``python manage.py import_indicator_values FILE [--dry-run]``: import indicator values
(CPAM, ARS figures) from an XLSX or CSV file with the columns indicateur, période, valeur
(ventilation and commentaire optional), all or nothing.

Prints one line per error (``ligne N, colonne: raison``) and the summary (``nouvelles: N,
modifiées: N, inchangées: N, erreurs: N``); exits 1 and writes nothing when any row is wrong."""

from __future__ import annotations

from cpts.importing import FileImportCommand
from indicators.importing import read_indicator_file
from indicators.services.imports import ImportReport, run_import


class Command(FileImportCommand):
    help = "Importe des valeurs d'indicateurs (chiffres CPAM, ARS) depuis un fichier XLSX ou CSV."

    def run_import(self, content: bytes, filename: str, *, dry_run: bool) -> ImportReport:
        table = read_indicator_file(content, filename)
        return run_import(table, dry_run=dry_run, source_name=filename)
