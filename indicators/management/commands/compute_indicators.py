"""``python manage.py compute_indicators --period 2025`` (a calendar year; also "T1 2025",
"03/2025", "mars 2025", "A2") or ``--contract-year N`` (year N of the current contract):
recompute every computed indicator for the period and record the values that changed, all or
nothing.

Prints the summary line (``indicateurs calculés : N, valeurs modifiées : N, inchangées : N
(X,XX s)``); exits 1 with a French message and records nothing when the period is wrong, there
is no contract, or a computation fails."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from indicators.periods import PeriodError
from indicators.services.recompute import (
    RecomputeError,
    contract_year_number_period,
    recompute,
    resolve_period,
)


class Command(BaseCommand):
    help = "Recalcule les indicateurs calculés par Maillage pour une période."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument(
            "--period",
            help="Période : 2025 (année civile), T1 2025, 03/2025, mars 2025 ou A2.",
        )
        group.add_argument(
            "--contract-year",
            type=int,
            help="Numéro de l'année du contrat en cours (1 à 5).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["contract_year"] is not None:
                period = contract_year_number_period(options["contract_year"])
            else:
                period = resolve_period(period=options["period"] or "")
        except PeriodError as error:
            raise CommandError(str(error), returncode=1) from error
        try:
            result = recompute(period)
        except RecomputeError as error:
            raise CommandError(
                _("Recalcul refusé, rien n'a été enregistré : %(error)s") % {"error": error},
                returncode=1,
            ) from error
        self.stdout.write(period.label)
        self.stdout.write(result.summary)
