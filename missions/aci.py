"""National amounts of the ACI CPTS (DESIGN.md §2): the yearly fonctionnement by taille and the
yearly ceilings, all missions included. Pure: no database access."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Protocol

FONCTIONNEMENT_BY_TAILLE: dict[str, Decimal] = {
    "T1": Decimal("50000"),
    "T2": Decimal("60000"),
    "T3": Decimal("75000"),
    "T4": Decimal("90000"),
}

# Yearly ceilings of the ACI 2019 (fonctionnement + every mission's fixed and variable parts).
CEILINGS_ACI_2019: dict[str, Decimal] = {
    "T1": Decimal("220000"),
    "T2": Decimal("287000"),
    "T3": Decimal("370000"),
    "T4": Decimal("450000"),
}
# Avenant 2 (20/12/2021) raised the ceiling of the largest CPTS up to 580 k€.
AVENANT_2_SIGNED_ON = date(2021, 12, 20)
CEILINGS_AVENANT_2: dict[str, Decimal] = {**CEILINGS_ACI_2019, "T4": Decimal("580000")}


class _Contract(Protocol):
    taille: str


class _Year(Protocol):
    start: date
    fonctionnement: Decimal | None

    @property
    def contract(self) -> _Contract: ...


def default_fonctionnement(taille: str) -> Decimal:
    return FONCTIONNEMENT_BY_TAILLE[taille]


def fonctionnement_for(year: _Year) -> Decimal:
    """The year's own amount when it was overridden (avenant 2's one-off increase…), else
    the amount of the contract's taille."""
    if year.fonctionnement is not None:
        return year.fonctionnement
    return default_fonctionnement(year.contract.taille)


def ceiling_for(taille: str, year_start: date) -> Decimal:
    """The yearly ceiling of a taille for a contract year starting on ``year_start`` (the
    avenant 2 ceilings for years starting from its signature)."""
    table = CEILINGS_AVENANT_2 if year_start >= AVENANT_2_SIGNED_ON else CEILINGS_ACI_2019
    return table[taille]
