"""Reads of the territory: its communes, population and ACI size (taille), computed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from cpts.models import Association, Commune

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


@dataclass(frozen=True)
class TerritorySummary:
    commune_count: int
    population: int
    departements: list[str]

    @property
    def taille(self) -> str | None:
        return taille_for_population(self.population) if self.commune_count else None

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
