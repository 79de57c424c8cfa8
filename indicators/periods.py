"""The periods a measurement is taken over: a contract year, a calendar year, a quarter or a
month, and how people write them in a file or a form ("2025", "T1 2025", "03/2025",
"mars 2025", "A2" or "Année 2" for the second contract year)."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from missions.models import Contract, ContractYear


class PeriodKind(models.TextChoices):
    CONTRACT_YEAR = "contract_year", gettext_lazy("Année de contrat")
    YEAR = "year", gettext_lazy("Année civile")
    QUARTER = "quarter", gettext_lazy("Trimestre")
    MONTH = "month", gettext_lazy("Mois")


MONTHS = (
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
)


class PeriodError(ValueError):
    """A period that cannot be read, or lies outside the contract (French message)."""


@dataclass(frozen=True)
class Period:
    kind: str
    key: str  # "2025", "2025-T1", "2025-03", "A2"
    start: date
    end: date  # included
    contract_year_id: int | None = None

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.CONTRACT_YEAR:
            return _("Année de contrat %(number)s (du %(start)s au %(end)s)") % {
                "number": self.key.removeprefix("A"),
                "start": date_format(self.start, "SHORT_DATE_FORMAT"),
                "end": date_format(self.end, "SHORT_DATE_FORMAT"),
            }
        if self.kind == PeriodKind.QUARTER:
            return _("T%(quarter)s %(year)s") % {
                "quarter": self.key[-1],
                "year": self.start.year,
            }
        if self.kind == PeriodKind.MONTH:
            return date_format(self.start, "F Y")
        return _("Année %(year)s") % {"year": self.start.year}


def calendar_year(year: int) -> Period:
    return Period(PeriodKind.YEAR, str(year), date(year, 1, 1), date(year, 12, 31))


def quarter(year: int, number: int) -> Period:
    first_month = 3 * (number - 1) + 1
    last_month = first_month + 2
    last_day = calendar.monthrange(year, last_month)[1]
    return Period(
        PeriodKind.QUARTER,
        f"{year}-T{number}",
        date(year, first_month, 1),
        date(year, last_month, last_day),
    )


def month(year: int, number: int) -> Period:
    last_day = calendar.monthrange(year, number)[1]
    return Period(
        PeriodKind.MONTH,
        f"{year}-{number:02d}",
        date(year, number, 1),
        date(year, number, last_day),
    )


def contract_year_period(year: ContractYear) -> Period:
    return Period(
        PeriodKind.CONTRACT_YEAR,
        f"A{year.number}",
        year.start,
        year.end,
        contract_year_id=year.pk,
    )


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(?:(\d{4})[\s\-/]*t([1-4])|t([1-4])[\s\-/]*(\d{4}))$")
_MONTH_NUMBER = re.compile(r"^(?:(\d{4})-(\d{1,2})|(\d{1,2})[/\-](\d{4}))$")
_MONTH_NAME = re.compile(r"^([a-z]+)\s+(\d{4})$")
_CONTRACT_YEAR = re.compile(r"^(?:a|an|annee)(?:\s*de\s*contrat)?\s*(\d{1,2})$")


def parse_period(text: str, contract: Contract | None) -> Period:
    """Read a period as people write it; a contract year needs ``contract`` (its years must be
    loaded). Raises PeriodError with a French message."""
    plain = _plain(text)
    if not plain:
        raise PeriodError(_("La période est vide."))
    if match := _YEAR.match(plain):
        period = calendar_year(int(match[1]))
    elif match := _QUARTER.match(plain):
        year, number = (match[1], match[2]) if match[1] else (match[4], match[3])
        period = quarter(int(year), int(number))
    elif match := _MONTH_NUMBER.match(plain):
        year, number = (match[1], match[2]) if match[1] else (match[4], match[3])
        if not 1 <= int(number) <= 12:
            raise PeriodError(_("« %(text)s » : le mois doit être entre 1 et 12.") % {"text": text})
        period = month(int(year), int(number))
    elif (match := _MONTH_NAME.match(plain)) and match[1] in MONTHS:
        period = month(int(match[2]), MONTHS.index(match[1]) + 1)
    elif match := _CONTRACT_YEAR.match(plain):
        if contract is None:
            raise PeriodError(
                _("« %(text)s » : aucun contrat ACI n'est enregistré.") % {"text": text}
            )
        number = int(match[1])
        for year in contract.years.all():
            if year.number == number:
                return contract_year_period(year)
        raise PeriodError(
            _("« %(text)s » : le contrat n'a pas d'année %(number)s.")
            % {"text": text, "number": number}
        )
    else:
        raise PeriodError(
            _(
                "« %(text)s » n'est pas une période reconnue (exemples : 2025, T1 2025, "
                "03/2025, mars 2025, A2 pour la deuxième année du contrat)."
            )
            % {"text": text}
        )
    if not 2000 <= period.start.year <= 2100:
        raise PeriodError(_("« %(text)s » : année invalide.") % {"text": text})
    return period


def outside_contract(period: Period, contract: Contract | None) -> bool:
    """Whether the period does not overlap the contract's five years (its years loaded)."""
    if contract is None:
        return False
    years = list(contract.years.all())
    if not years:
        return False
    first = min(year.start for year in years)
    last = max(year.end for year in years)
    return period.end < first or period.start > last
