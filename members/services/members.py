"""Writes of the member base: create and edit members with their practice sites, departure
and reactivation (merging: members.services.merging; anonymisation:
members.services.anonymisation).

Every write runs in one transaction; django-auditlog records each change (the acting user
comes from the request). Refusals are ``ValidationError``s in French, keyed by field when
a field is at fault, so forms show them where they belong and nothing is half-written."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cpts.models import Commune, User
from members.models import (
    Member,
    PracticeSite,
)
from members.models.members import MemberStatus
from members.models.reference import MemberKind
from members.selectors.joining import proposed_college

PERSON_FIELDS = ("civility", "last_name", "first_name", "profession", "rpps", "adeli")
ORGANISATION_FIELDS = (
    "organisation_name",
    "organisation_kind",
    "finess",
    "siret",
    "representative",
)
COMMON_FIELDS = (
    "kind",
    "practice_mode",
    "email",
    "phone",
    "address",
    "postal_code",
    "commune",
    "college",
    "joined_on",
    "notes",
    "directory_listed",
    "directory_show_email",
    "directory_show_phone",
    "directory_show_address",
)
MEMBER_FIELDS = (*COMMON_FIELDS, *PERSON_FIELDS, *ORGANISATION_FIELDS)
SITE_FIELDS = (
    "commune",
    "address",
    "postal_code",
    "practice_mode",
    "structure_kind",
    "structure_name",
    "is_primary",
)
NULLABLE_FIELDS = frozenset({"profession", "representative", "commune", "college", "joined_on"})
_RPPS_RE = re.compile(r"^[0-9]{11}$")
_SIRET_RE = re.compile(r"^[0-9]{14}$")


# --- Checks shared with the forms ---------------------------------------------------------


def identifier_conflicts(
    *, email: str = "", rpps: str = "", siret: str = "", exclude_pk: int | None = None
) -> dict[str, str]:
    """French messages, by field, for the email (case-insensitive), RPPS or SIRET already
    held by another member (one query)."""
    wanted = Q()
    if email:
        wanted |= Q(email__iexact=email)
    if rpps:
        wanted |= Q(rpps=rpps)
    if siret:
        wanted |= Q(siret=siret)
    if not wanted:
        return {}
    others = Member.objects.filter(wanted)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    errors: dict[str, str] = {}
    for other in others.only(
        "kind", "last_name", "first_name", "organisation_name", "email", "rpps", "siret"
    ):
        name = other.display_name
        if email and other.email.lower() == email.lower():
            errors["email"] = _(
                "Cette adresse e-mail est déjà utilisée par le membre %(name)s (n° %(pk)s)."
            ) % {"name": name, "pk": other.pk}
        if rpps and other.rpps == rpps:
            errors["rpps"] = _("Ce RPPS est déjà utilisé par le membre %(name)s (n° %(pk)s).") % {
                "name": name,
                "pk": other.pk,
            }
        if siret and other.siret == siret:
            errors["siret"] = _("Ce SIRET est déjà utilisé par le membre %(name)s (n° %(pk)s).") % {
                "name": name,
                "pk": other.pk,
            }
    return errors


def postal_code_error(commune: Commune | None, postal_code: str) -> str | None:
    """A French message when ``postal_code`` is not one of the commune's postal codes."""
    codes = commune.postal_code_list if commune is not None else []
    if not postal_code or not codes or postal_code in codes:
        return None
    return _(
        "Le code postal %(code)s ne correspond pas à la commune %(commune)s "
        "(code postal attendu : %(expected)s)."
    ) % {"code": postal_code, "commune": commune, "expected": ", ".join(codes)}


def _check_member(member: Member) -> None:
    errors: dict[str, str] = {}
    if member.kind == MemberKind.PERSON:
        if not member.last_name.strip():
            errors["last_name"] = _("Indiquez le nom de la personne.")
        if member.profession_id is None:
            errors["profession"] = _("Indiquez la profession de la personne.")
        if member.rpps and not _RPPS_RE.match(member.rpps):
            errors["rpps"] = _("Le RPPS doit comporter exactement 11 chiffres.")
    elif member.kind == MemberKind.ORGANISATION:
        if not member.organisation_name.strip():
            errors["organisation_name"] = _("Indiquez la raison sociale de la structure.")
        if not member.organisation_kind:
            errors["organisation_kind"] = _("Indiquez le type de structure.")
        if member.siret and not _SIRET_RE.match(member.siret):
            errors["siret"] = _("Le SIRET doit comporter exactement 14 chiffres.")
        if member.representative_id is not None and member.representative_id == member.pk:
            errors["representative"] = _("Une structure ne peut pas se représenter elle-même.")
    else:
        errors["kind"] = _("Choisissez « personne » ou « structure ».")
    if member.college is not None and not member.college.admits(member.kind, member.profession):
        errors["college"] = _(
            "Le collège « %(college)s » n'admet pas ce membre (type de membre ou profession)."
        ) % {"college": member.college}
    message = postal_code_error(member.commune, member.postal_code)
    if message:
        errors["postal_code"] = message
    errors = {
        **identifier_conflicts(
            email=member.email, rpps=member.rpps, siret=member.siret, exclude_pk=member.pk
        ),
        **errors,
    }
    if errors:
        raise ValidationError(errors)


def _apply(member: Member, data: Mapping[str, Any]) -> None:
    for name in MEMBER_FIELDS:
        if name in data:
            value = data[name]
            setattr(member, name, "" if value is None and name not in NULLABLE_FIELDS else value)
    member.email = (member.email or "").strip()
    # Keep only what belongs to the member's kind (the database refuses the rest).
    irrelevant = ORGANISATION_FIELDS if member.kind == MemberKind.PERSON else PERSON_FIELDS
    for name in irrelevant:
        setattr(member, name, None if name in NULLABLE_FIELDS else "")


def save_checked_member(member: Member) -> None:
    _check_member(member)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:  # a concurrent write took the identifier in between
        conflicts = identifier_conflicts(
            email=member.email, rpps=member.rpps, siret=member.siret, exclude_pk=member.pk
        )
        raise ValidationError(
            conflicts or _("L'enregistrement a été refusé : les données sont incohérentes.")
        ) from exc


# --- Practice sites -----------------------------------------------------------------------


def _save_sites(member: Member, sites: Iterable[Mapping[str, Any]]) -> None:
    """Make the member's sites exactly ``sites`` (dicts of SITE_FIELDS; an ``id`` updates
    that site, none creates one). One site is primary: the one marked, else the first."""
    wanted = list(sites)
    primaries = [s for s in wanted if s.get("is_primary")]
    if len(primaries) > 1:
        raise ValidationError(_("Un seul lieu d'exercice peut être le lieu principal."))
    existing = {site.pk: site for site in member.sites.select_related("commune")}
    kept_ids = {_site_id(s) for s in wanted} - {None}
    unknown = kept_ids - set(existing)
    if unknown:
        raise ValidationError(_("Un des lieux d'exercice n'appartient pas à ce membre."))
    for site_pk, site in existing.items():
        if site_pk not in kept_ids:
            site.delete()
    primary_index = wanted.index(primaries[0]) if primaries else 0
    rows: list[PracticeSite] = []
    for index, values in enumerate(wanted):
        pk = _site_id(values)
        site = existing[pk] if pk is not None else PracticeSite(member=member)
        for name in SITE_FIELDS:
            if name in values:
                value = values[name]
                setattr(site, name, value if value is not None or name == "commune" else "")
        site.is_primary = index == primary_index
        if site.commune_id is None:
            raise ValidationError(_("Chaque lieu d'exercice doit avoir une commune."))
        message = postal_code_error(site.commune, site.postal_code)
        if message:
            raise ValidationError(
                _("Lieu d'exercice n° %(index)s : %(message)s")
                % {"index": index + 1, "message": message}
            )
        rows.append(site)
    # Save the non-primary sites first so two primaries never coexist.
    for site in sorted(rows, key=lambda s: s.is_primary):
        site.save()


def _site_id(values: Mapping[str, Any]) -> int | None:
    raw = values.get("id")
    if raw is None or raw == "":
        return None
    return int(getattr(raw, "pk", raw))


# --- Create and edit ----------------------------------------------------------------------


@transaction.atomic
def create_member(
    data: Mapping[str, Any],
    sites: Iterable[Mapping[str, Any]] = (),
    by: User | None = None,
) -> Member:
    """Create a member (person or organisation) with its practice sites. When no collège
    is given, the first one admitting the member is proposed."""
    member = Member(status=data.get("status") or MemberStatus.ACTIVE)
    if member.status == MemberStatus.DEPARTED:
        raise ValidationError({"status": _("Un nouveau membre ne peut pas être déjà parti.")})
    _apply(member, data)
    if member.college is None:
        member.college = proposed_college(member.kind, member.profession)
    save_checked_member(member)
    _save_sites(member, sites)
    return member


@transaction.atomic
def update_member(
    member: Member,
    data: Mapping[str, Any],
    sites: Iterable[Mapping[str, Any]] | None = None,
    by: User | None = None,
) -> Member:
    """Update the fields present in ``data``; ``sites`` (when given) replaces the sites."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.anonymised_at is not None:
        raise ValidationError(_("Un membre anonymisé ne peut plus être modifié."))
    _apply(member, data)
    save_checked_member(member)
    if sites is not None:
        _save_sites(member, sites)
    return member


# --- Departure and reactivation -----------------------------------------------------------


@transaction.atomic
def depart_member(member: Member, on: datetime.date, reason: str, by: User | None = None) -> Member:
    """Record the departure (radiation) of a member on ``on`` (today or earlier)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    reason = (reason or "").strip()
    if member.status == MemberStatus.DEPARTED:
        raise ValidationError(
            _("Ce membre est déjà parti depuis le %(date)s.")
            % {"date": member.departed_on.strftime("%d/%m/%Y") if member.departed_on else "?"}
        )
    errors: dict[str, str] = {}
    if on is None:
        errors["departed_on"] = _("Indiquez la date de départ.")
    elif on > timezone.localdate():
        errors["departed_on"] = _("La date de départ ne peut pas être dans le futur.")
    elif member.joined_on and on < member.joined_on:
        errors["departed_on"] = _(
            "La date de départ ne peut pas précéder la date d'adhésion (%(date)s)."
        ) % {"date": member.joined_on.strftime("%d/%m/%Y")}
    if not reason:
        errors["departure_reason"] = _("Indiquez le motif du départ.")
    elif len(reason) > 255:
        errors["departure_reason"] = _("Le motif du départ ne doit pas dépasser 255 caractères.")
    if errors:
        raise ValidationError(errors)
    member.status = MemberStatus.DEPARTED
    member.departed_on = on
    member.departure_reason = reason
    member.save(update_fields=["status", "departed_on", "departure_reason", "updated_at"])
    return member


@transaction.atomic
def reactivate_member(member: Member, by: User | None = None) -> Member:
    """Bring a departed member back (not an anonymised or merged one)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status != MemberStatus.DEPARTED:
        raise ValidationError(_("Seul un membre parti peut être réactivé."))
    if member.anonymised_at is not None:
        raise ValidationError(_("Un membre anonymisé ne peut pas être réactivé."))
    if member.merged_into_id is not None:
        raise ValidationError(
            _("Ce membre a été fusionné avec un autre : il ne peut pas être réactivé.")
        )
    member.status = MemberStatus.ACTIVE
    member.departed_on = None
    member.departure_reason = ""
    member.save(update_fields=["status", "departed_on", "departure_reason", "updated_at"])
    return member


# --- Merge ----------------------------------------------------------------------------------

# Fields of ``keep`` filled from ``remove`` when ``keep`` has none.
