"""``python manage.py export_contract --year N [--output FILE]``: write a year of the current
contract as a contract annex file (docs/contract-annex.md), to stdout by default. Importing the
file back with ``import_contract --replace`` changes nothing, and a new export gives the same
text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from cpts.command_files import write_output
from missions.models import ContractYear
from missions.selectors.annex import current_contract, current_year, export_yaml


def contract_year(number: int) -> ContractYear:
    """Year ``number`` of the current contract, or a CommandError (exit 1)."""
    if current_contract() is None:
        raise CommandError(_("Aucun contrat signé : saisissez d'abord le contrat."), returncode=1)
    found = current_year(number)
    if found is None:
        raise CommandError(
            _("Le contrat en cours n'a pas d'année %(number)s (années 1 à 5).")
            % {"number": number},
            returncode=1,
        )
    return found


class Command(BaseCommand):
    help = "Exporte une année du contrat ACI en cours au format de l'annexe (YAML)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="Année du contrat (1 à 5)")
        parser.add_argument("--output", help="Fichier à écrire (par défaut : la sortie standard)")

    def handle(self, *args: Any, **options: Any) -> None:
        year = contract_year(options["year"])
        text = export_yaml(year)
        if not options["output"]:
            self.stdout.write(text, ending="")
            return
        path = Path(options["output"])
        write_output(path, text.encode("utf-8"))
        self.stderr.write(
            _("Annexe de l'année %(number)s écrite dans %(path)s.")
            % {"number": year.number, "path": path}
        )
