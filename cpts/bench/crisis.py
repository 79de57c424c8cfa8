"""The benchmark's data set of the crisis mission, grown with the member base.

One open crisis (``BENCH_CRISIS``) with one site per ``MEMBERS_PER_SITE`` active members and
one shift per ``MEMBERS_PER_SHIFT`` active members over the coming weeks, each needing two
nurses, one GP and one reception; active members fill about two places in three of the shifts
added at each growth (one shift each), the demo adherent holds ``ADHERENT_SHIFTS`` of them. One
alert to every active member with a delivery row each, a third of them read. Idempotent; bulk
inserts, no audit trail: throw-away measurement data.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from crisis.models import (
    Activation,
    Alert,
    AlertDelivery,
    DeliveryStatus,
    Segment,
    Shift,
    ShiftNeed,
    SignUp,
    Site,
    SiteKind,
    Situation,
)
from members.models import Member, Profession
from members.models.members import MemberStatus

BENCH_CRISIS = "Crise de mesure"
PORTAL_USER = "adherent@cpts-demo.fr"
MEMBERS_PER_SITE = 500
MEMBERS_PER_SHIFT = 10
ADHERENT_SHIFTS = 3
SHIFT_HOURS = 4
BATCH = 1000
# Per shift: (profession code or None for reception, places).
NEEDS: tuple[tuple[str | None, int], ...] = (
    ("infirmier", 2),
    ("medecin_generaliste", 1),
    (None, 1),
)


def _shift_start(index: int, first: datetime.datetime) -> datetime.datetime:
    """Two shifts a day (9 h and 14 h) on each site, then the next day."""
    day, half = divmod(index, 2)
    return first + datetime.timedelta(days=day, hours=5 * half)


def _grow_shifts(crisis: Activation, active: list[int]) -> None:
    target_sites = max(1, len(active) // MEMBERS_PER_SITE)
    sites = list(Site.objects.filter(activation=crisis).order_by("pk"))
    if len(sites) < target_sites:
        Site.objects.bulk_create(
            [
                Site(
                    activation=crisis,
                    name=f"Centre de mesure n°{index + 1}",
                    kind=SiteKind.VACCINATION,
                )
                for index in range(len(sites), target_sites)
            ]
        )
        sites = list(Site.objects.filter(activation=crisis).order_by("pk"))
    target = max(1, len(active) // MEMBERS_PER_SHIFT)
    existing = Shift.objects.filter(site__activation=crisis).count()
    if existing >= target:
        return
    today = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    first = today + datetime.timedelta(days=2)
    shifts = []
    for index in range(existing, target):
        starts = _shift_start(index // len(sites), first)
        shifts.append(
            Shift(
                site=sites[index % len(sites)],
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=SHIFT_HOURS),
                duration_minutes=SHIFT_HOURS * 60,
                changes_until=starts - datetime.timedelta(hours=12),
            )
        )
    created = Shift.objects.bulk_create(shifts, batch_size=BATCH)
    codes = {code for code, _count in NEEDS if code}
    profession = dict(Profession.objects.filter(code__in=codes).values_list("code", "pk"))
    ShiftNeed.objects.bulk_create(
        [
            ShiftNeed(shift=shift, profession_id=profession.get(code) if code else None, count=n)
            for shift in created
            for code, n in NEEDS
            if code is None or code in profession
        ],
        batch_size=BATCH,
    )


def _grow_signups(crisis: Activation, active: list[int]) -> None:
    signups = SignUp.objects.filter(shift__site__activation=crisis)
    taken_by = set(signups.values_list("member_id", flat=True))
    by_profession: dict[int | None, list[int]] = {}
    for pk, profession_id in Member.objects.filter(pk__in=active).values_list(
        "pk", "profession_id"
    ):
        by_profession.setdefault(profession_id, []).append(pk)
    adherent = Member.objects.filter(user__email=PORTAL_USER).values_list("pk", flat=True).first()
    # Everyone may take a reception place: the members whose profession no shift needs.
    needed = set(
        ShiftNeed.objects.filter(shift__site__activation=crisis).values_list(
            "profession_id", flat=True
        )
    )
    reception = [pk for prof, pks in by_profession.items() if prof not in needed for pk in pks]
    pools = {prof: list(pks) for prof, pks in by_profession.items()}
    pools[None] = reception
    rows = []
    adherent_shifts = signups.filter(member_id=adherent).count() if adherent else 0
    # Only the shifts added since the last growth: the earlier ones keep their sign-ups.
    needs = (
        ShiftNeed.objects.filter(shift__site__activation=crisis)
        .exclude(shift__signups__isnull=False)
        .order_by("shift_id", "pk")
    )
    for index, (need_pk, shift_pk, profession_id, count) in enumerate(
        needs.values_list("pk", "shift_id", "profession_id", "count").iterator()
    ):
        places = count if index % 3 else max(0, count - 1)  # about two places in three
        pool = pools.get(profession_id, [])
        for _place in range(places):
            if (
                profession_id is None
                and adherent is not None
                and adherent_shifts < ADHERENT_SHIFTS
                and shift_pk % 2 == 0
            ):
                rows.append(SignUp(shift_id=shift_pk, need_id=need_pk, member_id=adherent))
                taken_by.add(adherent)
                adherent_shifts += 1
                continue
            while pool and (pool[-1] in taken_by or pool[-1] == adherent):
                pool.pop()
            if not pool:
                break
            member = pool.pop()
            taken_by.add(member)
            rows.append(SignUp(shift_id=shift_pk, need_id=need_pk, member_id=member))
    SignUp.objects.bulk_create(rows, batch_size=BATCH)


def _grow_alert(crisis: Activation, active: list[int]) -> Alert:
    alert = Alert.objects.filter(activation=crisis).first()
    if alert is None:
        alert = Alert.objects.create(
            activation=crisis,
            subject="Alerte de mesure",
            body="Message de mesure.",
            segment=Segment.EVERYONE,
        )
    have = set(AlertDelivery.objects.filter(alert=alert).values_list("member_id", flat=True))
    now = timezone.now()
    AlertDelivery.objects.bulk_create(
        [
            AlertDelivery(
                alert=alert,
                member_id=pk,
                email=f"membre{pk}@mesure.invalid",
                status=DeliveryStatus.SENT,
                sent_at=now,
                read_at=now if pk % 3 == 0 else None,
            )
            for pk in active
            if pk not in have
        ],
        batch_size=BATCH,
    )
    return alert


@transaction.atomic
def seed_crisis() -> tuple[Activation, Alert]:
    """Bring the crisis data set up to the current member base (idempotent)."""
    crisis = Activation.objects.filter(title=BENCH_CRISIS).first()
    if crisis is None:
        crisis = Activation.objects.create(
            title=BENCH_CRISIS,
            situation=Situation.SEASONAL,
            started_on=timezone.localdate() - datetime.timedelta(days=5),
        )
    active = list(
        Member.objects.filter(status=MemberStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    _grow_shifts(crisis, active)
    _grow_signups(crisis, active)
    alert = _grow_alert(crisis, active)
    return crisis, alert


def roster_kwargs() -> dict[str, Any]:
    crisis, _alert = seed_crisis()
    return {"pk": crisis.pk}


def alert_kwargs() -> dict[str, Any]:
    _crisis, alert = seed_crisis()
    return {"pk": alert.pk}


def need_kwargs() -> dict[str, Any]:
    """A nurses' need of the bench crisis: the coordination's list of the members who fit it
    grows with the member base."""
    crisis, _alert = seed_crisis()
    need = (
        ShiftNeed.objects.filter(shift__site__activation=crisis, profession__code="infirmier")
        .annotate(taken=Count("signups"))
        .filter(taken__lt=F("count"))
        .order_by("shift__starts_at", "pk")
        .first()
    )
    assert need is not None
    return {"pk": need.pk}


def portal_kwargs() -> dict[str, Any]:
    seed_crisis()
    return {}
