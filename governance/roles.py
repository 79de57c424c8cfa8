"""Roles from mandates: the permission registry's role provider for governance.

A mandate grants its role from its start date through its end date inclusive, so a
treasurer whose mandate ends on the 30th loses ``finance.approve`` on the 31st."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from cpts.roles import Role
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
