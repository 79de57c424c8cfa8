"""Writes of the territory: the commune reference table and the communes of the CPTS."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cpts.models import Association, Commune, TerritoryCommune
from cpts.models.territory import normalize_search

COMMUNES_CSV = Path(__file__).resolve().parent.parent / "data" / "communes.csv"
_FIELDS = [
    "name",
    "search_name",
    "kind",
    "departement",
    "region",
    "epci_siren",
    "population",
    "postal_codes",
]


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int


def _read_communes(path: Path) -> Iterator[Commune]:
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield Commune(
                insee_code=row["code_insee"],
                name=row["nom"],
                search_name=normalize_search(row["nom"]),
                kind=row["type"],
                departement=row["departement"],
                region=row["region"],
                epci_siren=row["epci_siren"],
                population=int(row["population"] or 0),
                postal_codes=" ".join(row["codes_postaux"].replace(";", " ").split()),
            )


@transaction.atomic
def load_communes(path: Path = COMMUNES_CSV, batch_size: int = 2000) -> LoadResult:
    """Insert or update every commune of the CSV (idempotent upsert on the INSEE code)."""
    existing = set(Commune.objects.values_list("insee_code", flat=True))
    communes = list(_read_communes(path))
    Commune.objects.bulk_create(
        communes,
        batch_size=batch_size,
        update_conflicts=True,
        unique_fields=["insee_code"],
        update_fields=_FIELDS,
    )
    created = sum(1 for c in communes if c.insee_code not in existing)
    return LoadResult(created=created, updated=len(communes) - created)


@transaction.atomic
def add_communes(association: Association, insee_codes: Iterable[str]) -> list[Commune]:
    """Add communes to the territory by INSEE code; all or nothing, with a French error
    naming the unknown codes."""
    codes = [code.strip().upper() for code in insee_codes if code.strip()]
    found = {c.insee_code: c for c in Commune.objects.filter(insee_code__in=codes)}
    unknown = list(dict.fromkeys(code for code in codes if code not in found))
    if unknown:
        raise ValidationError(
            _("Code(s) INSEE inconnu(s) : %(codes)s.") % {"codes": ", ".join(unknown)},
            code="unknown_commune",
        )
    already = set(
        TerritoryCommune.objects.filter(
            association=association, commune__insee_code__in=codes
        ).values_list("commune__insee_code", flat=True)
    )
    added = [found[code] for code in dict.fromkeys(codes) if code not in already]
    for commune in added:
        # One save per link (not bulk_create) so the audit trail records each addition.
        TerritoryCommune.objects.create(association=association, commune=commune)
    return added


@transaction.atomic
def remove_commune(association: Association, insee_code: str) -> Commune:
    """Remove one commune. The last commune cannot be removed: a CPTS always has a territory
    once it has been set, and its taille depends on it."""
    link = (
        TerritoryCommune.objects.select_related("commune")
        .filter(association=association, commune__insee_code=insee_code)
        .first()
    )
    if link is None:
        raise ValidationError(
            _("La commune %(code)s ne fait pas partie du territoire.") % {"code": insee_code},
            code="not_in_territory",
        )
    if TerritoryCommune.objects.filter(association=association).count() == 1:
        raise ValidationError(
            _(
                "Impossible de retirer %(name)s : c'est la dernière commune du territoire. "
                "Ajoutez d'abord une autre commune."
            )
            % {"name": link.commune.name},
            code="territory_emptied",
        )
    link.delete()
    return link.commune
