"""Builders shared by the registries' tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from cpts.models import Association, Commune
from members.models import Member, PracticeSite
from registries.models import GpRequest, Origin, ProfessionalProfile, RequestStatus
from tests.factories import MemberFactory


def communes(association: Association) -> tuple[Commune, Commune]:
    first, second = association.communes.order_by("insee_code")[:2]
    return first, second


def doctor(
    commune: Commune | None = None,
    *,
    capacity: int = 0,
    since: date | None = None,
    site: Commune | None = None,
    **fields: Any,
) -> Member:
    member = MemberFactory.create(commune=commune, **fields)
    if capacity:
        ProfessionalProfile.objects.create(
            member=member,
            accepts_new_patients=True,
            new_patients_capacity=capacity,
            capacity_since=since or date(2025, 1, 1),
        )
    if site is not None:
        PracticeSite.objects.create(member=member, commune=site, is_primary=True)
    return member


_counter = iter(range(1, 1_000_000))


def gp_request(
    commune: Commune,
    received_on: date,
    *,
    status: str = RequestStatus.WAITING,
    closed_on: date | None = None,
    by: Member | None = None,
    origin: str = Origin.CPAM,
    **criteria: bool,
) -> GpRequest:
    """A request in any state, written directly (the rules are tested through the service)."""
    closed = status in (RequestStatus.ACCEPTED, RequestStatus.NO_SOLUTION)
    return GpRequest.objects.create(
        reference=f"MT-T-{next(_counter):05d}",
        commune=commune,
        origin=origin,
        received_on=received_on,
        status=status,
        proposed_to=by,
        proposed_on=received_on if by else None,
        doctor=by if status == RequestStatus.ACCEPTED else None,
        closed_on=closed_on if closed else None,
        waiting_days=(closed_on - received_on).days if closed and closed_on else None,
        **criteria,
    )
