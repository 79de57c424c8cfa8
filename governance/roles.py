"""Roles from mandates: the permission registry's role provider for governance.

A mandate grants its role from its start date through its end date inclusive, so a
treasurer whose mandate ends on the 30th loses ``finance.approve`` on the 31st."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from typing import Any

from django.db.models import Q
from django.utils import timezone

from cpts.roles import Role
from cpts.selectors.accounts import RoleGrant
from governance.models import BodyKind, Mandate, MandateRole

# (body kind, mandate role) -> registry role; pairs not listed grant nothing beyond adherent.
MANDATE_ROLES: dict[tuple[str, str], Role] = {
    (BodyKind.BUREAU, MandateRole.PRESIDENT): Role.PRESIDENT,
    (BodyKind.BUREAU, MandateRole.TRESORIER): Role.TRESORIER,
    (BodyKind.BUREAU, MandateRole.SECRETAIRE): Role.SECRETAIRE,
    (BodyKind.BUREAU, MandateRole.VICE_PRESIDENT): Role.MEMBRE_BUREAU,
    (BodyKind.BUREAU, MandateRole.MEMBRE): Role.MEMBRE_BUREAU,
    (BodyKind.CA, MandateRole.PRESIDENT): Role.PRESIDENT,
    (BodyKind.CA, MandateRole.TRESORIER): Role.TRESORIER,
    (BodyKind.CA, MandateRole.SECRETAIRE): Role.SECRETAIRE,
    (BodyKind.CA, MandateRole.VICE_PRESIDENT): Role.ADMINISTRATEUR,
    (BodyKind.CA, MandateRole.ADMINISTRATEUR): Role.ADMINISTRATEUR,
    (BodyKind.CA, MandateRole.MEMBRE): Role.ADMINISTRATEUR,
    (BodyKind.GROUP, MandateRole.REFERENT): Role.REFERENT,
}


def role_for(body_kind: str, mandate_role: str) -> Role | None:
    return MANDATE_ROLES.get((body_kind, mandate_role))


def mandate_roles(user: Any, on: datetime.date | None = None) -> Iterable[Role]:
    """The registry roles ``user`` holds through the mandates of their member record."""
    day = on or timezone.localdate()
    pairs = (
        Mandate.objects.active_on(day)
        .filter(member__user=user, member__status="active")
        .values_list("body__kind", "role")
        .distinct()
    )
    roles = {role_for(kind, role) for kind, role in pairs}
    roles.discard(None)
    return roles  # type: ignore[return-value]


def role_holder_names(role: Role, on: datetime.date | None = None) -> list[str]:
    """The names (as they sign: "Jeanne Roux") of the active members whose running mandates
    grant ``role``, longest-serving first: the permission registry's role-holder provider."""
    pairs = [pair for pair, granted in MANDATE_ROLES.items() if granted == role]
    if not pairs:
        return []
    match = Q()
    for kind, mandate_role in pairs:
        match |= Q(body__kind=kind, role=mandate_role)
    mandates = (
        Mandate.objects.active_on(on or timezone.localdate())
        .filter(match, member__status="active")
        .select_related("member")
        .order_by("start_date", "pk")
    )
    names: list[str] = []
    for mandate in mandates:
        member = mandate.member
        if member.is_person:
            name = " ".join(part for part in (member.first_name, member.last_name) if part)
        else:
            name = member.display_name
        if name and name not in names:
            names.append(name)
    return names


def mandate_grants(user_ids: Collection[int], day: datetime.date) -> dict[int, list[RoleGrant]]:
    """The running mandates of the accounts ``user_ids`` and the role each grants, in one
    query: the users pages' role-grant provider."""
    mandates = (
        Mandate.objects.active_on(day)
        .filter(member__user__in=user_ids)
        .select_related("body", "member")
        .order_by("body__position", "body__name", "start_date", "pk")
    )
    grants: dict[int, list[RoleGrant]] = {}
    for mandate in mandates:
        user_id = mandate.member.user_id
        if user_id is None:  # filtered out by the query; keeps the mapping's keys ints
            continue
        active = mandate.member.status == "active"
        role = role_for(mandate.body.kind, mandate.role) if active else None
        grants.setdefault(user_id, []).append(
            RoleGrant(
                role=role,
                body=mandate.body.name,
                function=mandate.get_role_display(),
                start_date=mandate.start_date,
                end_date=mandate.end_date,
            )
        )
    return grants
