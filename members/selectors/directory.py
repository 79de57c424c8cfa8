"""Reads of the members' directory: active members who agreed to be listed, searched by
name, profession and commune, each showing only the contact data they consented to show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from cpts.models import Commune
from members.models import Member, PracticeSite, Profession
from members.models.members import MemberStatus

PAGE_SIZE = 20
_MAX_QUERY = 100


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    profession: str = ""  # Profession.code
    commune: str = ""  # Commune.insee_code

    @classmethod
    def from_query(cls, params: Any) -> DirectoryFilters:
        def text(name: str) -> str:
            return " ".join(str(params.get(name, "") or "").split())[:_MAX_QUERY]

        return cls(q=text("q"), profession=text("profession"), commune=text("commune"))

    @property
    def is_empty(self) -> bool:
        return not (self.q or self.profession or self.commune)


@dataclass(frozen=True)
class DirectorySite:
    commune: str
    structure: str
    address: str  # empty unless the member shows their address


@dataclass(frozen=True)
class DirectoryEntry:
    """What other adherents may see of a member: name, profession, communes and only the
    contact data the member consented to show (empty otherwise)."""

    pk: int
    name: str
    profession: str
    is_organisation: bool
    email: str
    phone: str
    address: str
    sites: list[DirectorySite]


def listed_members() -> QuerySet[Member]:
    return Member.objects.filter(
        status=MemberStatus.ACTIVE, directory_listed=True, anonymised_at__isnull=True
    )


def directory_queryset(filters: DirectoryFilters) -> QuerySet[Member]:
    members = listed_members().select_related("profession", "commune", "college")
    if filters.profession:
        members = members.filter(profession__code=filters.profession)
    if filters.commune:
        members = members.filter(
            Q(commune__insee_code=filters.commune)
            | Exists(
                PracticeSite.objects.filter(
                    member=OuterRef("pk"), commune__insee_code=filters.commune
                )
            )
        )
    for word in filters.q.split():
        members = members.filter(
            Q(last_name__icontains=word)
            | Q(first_name__icontains=word)
            | Q(organisation_name__icontains=word)
        )
    return members.prefetch_related(
        Prefetch("sites", queryset=PracticeSite.objects.select_related("commune"))
    ).order_by("last_name", "first_name", "organisation_name", "pk")


def to_entry(member: Member) -> DirectoryEntry:
    """The directory card of a member, built from the consent flags alone."""
    show_address = member.directory_show_address
    address = ""
    if show_address and member.address:
        town = member.commune.name if member.commune else ""
        address = ", ".join(
            part for part in (member.address, f"{member.postal_code} {town}") if part.strip()
        )
    sites = [
        DirectorySite(
            commune=str(site.commune),
            structure=site.structure_name or site.get_structure_kind_display(),
            address=(
                " ".join(part for part in (site.address, site.postal_code) if part)
                if show_address
                else ""
            ),
        )
        for site in member.sites.all()
    ]
    if not sites and member.commune is not None:
        sites = [DirectorySite(commune=str(member.commune), structure="", address="")]
    return DirectoryEntry(
        pk=member.pk,
        name=member.display_name,
        profession=(
            str(member.profession) if member.profession else member.get_organisation_kind_display()
        ),
        is_organisation=not member.is_person,
        email=member.email if member.directory_show_email else "",
        phone=member.phone if member.directory_show_phone else "",
        address=address,
        sites=sites,
    )


def directory_page(
    filters: DirectoryFilters, page_number: Any
) -> tuple[Page, list[DirectoryEntry]]:
    """One page of the directory in a fixed number of queries (count, rows, sites)."""
    page = Paginator(directory_queryset(filters), PAGE_SIZE).get_page(page_number)
    return page, [to_entry(member) for member in page.object_list]


def directory_professions() -> QuerySet[Profession]:
    """Professions that at least one listed member exercises."""
    return Profession.objects.filter(Exists(listed_members().filter(profession=OuterRef("pk"))))


def directory_communes() -> QuerySet[Commune]:
    """Communes where listed members live or practise."""
    listed = listed_members()
    practised = PracticeSite.objects.filter(member__in=listed).values("commune")
    return Commune.objects.filter(
        Q(pk__in=listed.values("commune")) | Q(pk__in=practised)
    ).order_by("search_name", "insee_code")
