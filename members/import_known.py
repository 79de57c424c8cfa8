"""The members a file may be about, with their practice sites and adhesions, loaded in a few
queries before its rows are read (instead of several queries a row).

Looking a row up here is enough: the rows of one file never touch the same member twice (a
RPPS, SIRET or email repeated inside the file is refused), so what earlier rows of the import
wrote cannot change what a later row finds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import tablib
from django.db.models import QuerySet
from django.db.models.functions import Lower

from members.import_values import compact
from members.models import Member, PracticeSite
from members.selectors.fees import adhesions_with_balance

CHUNK = 500


def _chunks(values: set[str]) -> Iterator[list[str]]:
    ordered = sorted(values)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _column(dataset: tablib.Dataset, name: str) -> list[str]:
    if name not in (dataset.headers or []):
        return []
    return [str(value or "") for value in dataset[name]]


class KnownMembers:
    def __init__(self, dataset: tablib.Dataset) -> None:
        keys = {
            "rpps": {compact(v) for v in _column(dataset, "rpps")} - {""},
            "siret": {compact(v) for v in _column(dataset, "siret")} - {""},
            "email": {v.strip().lower() for v in _column(dataset, "email")} - {""},
        }
        members: dict[int, Member] = {}
        for attribute, values in keys.items():
            for chunk in _chunks(values):
                found: QuerySet[Any] = (
                    Member.objects.annotate(email_key=Lower("email")).filter(email_key__in=chunk)
                    if attribute == "email"
                    else Member.objects.filter(**{f"{attribute}__in": chunk})
                )
                members.update((member.pk, member) for member in found)
        self.by_key: dict[tuple[str, str], Member] = {}
        for member in members.values():
            for attribute in ("rpps", "siret"):
                if value := getattr(member, attribute):
                    self.by_key[(attribute, value)] = member
            if member.email:
                self.by_key[("email", member.email.lower())] = member
        self.sites: dict[int, list[PracticeSite]] = defaultdict(list)
        self.adhesions: dict[tuple[int, int], Any] = {}
        for chunk_ids in _chunks({str(pk) for pk in members}):
            ids = [int(pk) for pk in chunk_ids]
            for site in PracticeSite.objects.filter(member_id__in=ids).order_by("pk"):
                self.sites[site.member_id].append(site)
            for adhesion in adhesions_with_balance().filter(member_id__in=ids):
                self.adhesions[(adhesion.member_id, adhesion.year)] = adhesion

    def holder(self, attribute: str, value: str) -> Member | None:
        """The member whose ``attribute`` (rpps, siret or email) is ``value``."""
        key = value.lower() if attribute == "email" else value
        return self.by_key.get((attribute, key))

    def sites_of(self, member: Member) -> list[PracticeSite]:
        return self.sites.get(member.pk, []) if member.pk else []

    def adhesion(self, member: Member, year: int) -> Any:
        """The member's adhesion of ``year`` annotated with ``paid`` and ``is_settled``."""
        return self.adhesions.get((member.pk, year)) if member.pk else None
