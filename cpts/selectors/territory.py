"""Reads of the territory: its communes, population and ACI size (taille), computed."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from cpts.models import Association, Commune, TerritoryCommune
from cpts.models.territory import normalize_search

# ACI thresholds (DESIGN.md §2): T1 < 40 000 ≤ T2 ≤ 80 000 < T3 ≤ 175 000 < T4.
T2_FROM = 40_000
T2_UP_TO = 80_000
T3_UP_TO = 175_000
TAILLE_LABELS = {
    "T1": _("Taille 1 (moins de 40 000 habitants)"),
    "T2": _("Taille 2 (40 000 à 80 000 habitants)"),
    "T3": _("Taille 3 (80 001 à 175 000 habitants)"),
    "T4": _("Taille 4 (plus de 175 000 habitants)"),
}


def taille_for_population(population: int) -> str:
    if population < T2_FROM:
        return "T1"
    if population <= T2_UP_TO:
        return "T2"
    if population <= T3_UP_TO:
        return "T3"
    return "T4"


DEPARTEMENTS_CSV = Path(__file__).resolve().parent.parent / "data" / "departements.csv"


@dataclass(frozen=True)
class Departement:
    code: str
    name: str


@lru_cache(maxsize=1)
def _departement_names() -> dict[str, str]:
    with DEPARTEMENTS_CSV.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["nom"] for row in csv.DictReader(handle)}


def departements(codes: list[str]) -> list[Departement]:
    """Départements with their names (from the INSEE reference shipped in cpts/data)."""
    names = _departement_names()
    return [Departement(code=code, name=names.get(code, "")) for code in codes]


@dataclass(frozen=True)
class TerritorySummary:
    commune_count: int
    population: int
    departements: list[str]

    @property
    def taille(self) -> str | None:
        return taille_for_population(self.population) if self.commune_count else None

    @property
    def named_departements(self) -> list[Departement]:
        return departements(self.departements)

    @property
    def taille_label(self) -> str:
        return str(TAILLE_LABELS[self.taille]) if self.taille else ""


def territory_communes(association: Association | None = None) -> QuerySet[Commune]:
    association = association or Association.objects.get_solo()
    return Commune.objects.filter(territory_links__association=association).order_by("name")


def territory_summary(association: Association | None = None) -> TerritorySummary:
    """Population, commune count and départements of the territory in two queries."""
    communes = territory_communes(association)
    totals = communes.aggregate(count=Count("pk"), population=Sum("population"))
    departements = sorted(set(communes.values_list("departement", flat=True)))
    return TerritorySummary(
        commune_count=totals["count"] or 0,
        population=totals["population"] or 0,
        departements=departements,
    )


# --- Commune search (the territory page's autocomplete) ---------------------------------

SEARCH_MIN_LENGTH = 2
SEARCH_LIMIT = 15
_CODE_QUERY_RE = re.compile(r"^[0-9][0-9AB]?[0-9]{0,3}$")


@dataclass(frozen=True)
class CommuneSearch:
    """The outcome of an autocomplete query: ``too_short`` when nothing was searched."""

    query: str
    results: list[Any]  # Commune rows annotated with ``in_territory``
    too_short: bool = False
    truncated: bool = False


def search_communes(
    query: str, association: Association | None = None, limit: int = SEARCH_LIMIT
) -> CommuneSearch:
    """Communes matching ``query`` by name (accent- and case-insensitive, prefix matches first),
    by INSEE code or by postal code. Each result carries ``in_territory``; one query."""
    query = " ".join((query or "").split())[:100]
    if len(query) < SEARCH_MIN_LENGTH:
        return CommuneSearch(query=query, results=[], too_short=True)
    association = association or Association.objects.get_solo()
    code = query.replace(" ", "").upper()
    communes = Commune.objects.all()
    if _CODE_QUERY_RE.match(code):
        communes = communes.filter(
            Q(insee_code__startswith=code)
            | Q(postal_codes__startswith=code)
            | Q(postal_codes__contains=f" {code}")
        ).annotate(
            rank=Case(
                When(insee_code=code, then=Value(0)),
                When(insee_code__startswith=code, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
    else:
        name = normalize_search(query)
        if len(name) < SEARCH_MIN_LENGTH:
            return CommuneSearch(query=query, results=[], too_short=True)
        communes = communes.filter(search_name__contains=name).annotate(
            rank=Case(
                When(search_name=name, then=Value(0)),
                When(search_name__startswith=name, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
    communes = communes.annotate(
        in_territory=Exists(
            TerritoryCommune.objects.filter(association=association, commune=OuterRef("pk"))
        )
    ).order_by("rank", "search_name", "insee_code")
    results = list(communes[: limit + 1])
    return CommuneSearch(query=query, results=results[:limit], truncated=len(results) > limit)
