"""The benchmark's data set of the claims, grown with the member base.

On top of the portal data set (``cpts.bench.portal``): ``CLAIMS_PER_MEMBER`` indemnity claims
per active member over the last year, in every state (a fifth each: submitted, validated,
approved, paid in batches of ``BATCH_SIZE``, refused with a reason), so the approval queue
holds a fifth of them with its yearly totals and cap flags computed over the rest; and, for
the demo adherent, ``ATTENDED`` past working-group meetings attended (what the portal card
offers to declare) besides their own claims. Idempotent and cumulative; bulk inserts, no
audit trail: throw-away measurement data.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from claims.models import ActivityKind, Claim, ClaimNature, ClaimStatus, PaymentBatch, Tariff
from cpts.bench.portal import PORTAL_USER, seed_portal
from governance.models import Attendance, AttendanceStatus, Body, BodyKind, Meeting, MeetingStatus
from members.models import Member
from members.models.members import MemberStatus

BENCH_JUSTIFICATION = "Temps de mesure"
BENCH_BATCH_PREFIX = "Lot de mesure n°"
BENCH_ATTENDED_PREFIX = "Réunion passée de mesure n°"
CLAIMS_PER_MEMBER = 3
ATTENDED = 8
BATCH_SIZE = 500
RATE = Decimal("60.00")
INSERT_BATCH = 2000
_STATES = (
    ClaimStatus.SUBMITTED,
    ClaimStatus.VALIDATED,
    ClaimStatus.APPROVED,
    ClaimStatus.PAID,
    ClaimStatus.REFUSED,
)
_KINDS = (ActivityKind.GROUP_MEETING, ActivityKind.MISSION_ACTION, ActivityKind.BOARD_MEETING)


def _ensure_tariffs() -> None:
    start = datetime.date(timezone.localdate().year - 2, 1, 1)
    for kind in ActivityKind:
        Tariff.objects.get_or_create(
            activity_kind=kind,
            valid_from=start,
            profession=None,
            defaults={"basis": "hourly", "amount": RATE},
        )


def _grow_claims(active: list[int]) -> None:
    existing = Claim.objects.filter(justification=BENCH_JUSTIFICATION).count()
    target = len(active) * CLAIMS_PER_MEMBER
    if existing >= target:
        return
    today = timezone.localdate()
    now = timezone.now()
    rows = []
    for index in range(existing, target):
        member_id = active[index % len(active)]
        status = _STATES[index % len(_STATES)]
        hours = Decimal(1 + index % 4)
        rows.append(
            Claim(
                member_id=member_id,
                nature=ClaimNature.INDEMNITY,
                activity_kind=_KINDS[index % len(_KINDS)],
                date=today - datetime.timedelta(days=1 + (index * 7) % 360),
                hours=hours,
                unit_rate=RATE,
                amount=hours * RATE,
                justification=BENCH_JUSTIFICATION,
                status=status,
                validated_at=now if status != ClaimStatus.SUBMITTED else None,
                approved_at=now if status in (ClaimStatus.APPROVED, ClaimStatus.PAID) else None,
                refused_at=now if status == ClaimStatus.REFUSED else None,
                refusal_reason="Activité hors mission." if status == ClaimStatus.REFUSED else "",
            )
        )
    Claim.objects.bulk_create(rows, batch_size=INSERT_BATCH)
    _batch_paid()


def _batch_paid() -> None:
    loose = list(
        Claim.objects.filter(
            justification=BENCH_JUSTIFICATION, status=ClaimStatus.PAID, batch__isnull=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    number = PaymentBatch.objects.filter(label__startswith=BENCH_BATCH_PREFIX).count()
    for start in range(0, len(loose), BATCH_SIZE):
        number += 1
        batch = PaymentBatch.objects.create(
            paid_on=timezone.localdate(), label=f"{BENCH_BATCH_PREFIX}{number}"
        )
        Claim.objects.filter(pk__in=loose[start : start + BATCH_SIZE]).update(batch=batch)


def _grow_attended(member: Member) -> None:
    """Past working-group meetings the demo adherent attended (the card's "Déclarer")."""
    if Meeting.objects.filter(title__startswith=BENCH_ATTENDED_PREFIX).exists():
        return
    group = Body.objects.filter(kind=BodyKind.GROUP).order_by("pk").first()
    if group is None:
        return
    now = timezone.now()
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                body=group,
                title=f"{BENCH_ATTENDED_PREFIX}{index + 1}",
                starts_at=now - datetime.timedelta(days=5 * (index + 1)),
                ends_at=now - datetime.timedelta(days=5 * (index + 1), hours=-2),
                status=MeetingStatus.HELD,
                held_at=now - datetime.timedelta(days=5 * (index + 1)),
            )
            for index in range(ATTENDED)
        ]
    )
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, member=member, status=AttendanceStatus.PRESENT)
            for meeting in meetings
        ]
    )


@transaction.atomic
def seed_claims() -> None:
    """Bring the claims data set up to the current member base (idempotent)."""
    seed_portal()
    _ensure_tariffs()
    active = list(
        Member.objects.filter(status=MemberStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    member = Member.objects.filter(user__email=PORTAL_USER).first()
    if member is not None:
        _grow_attended(member)
        # The demo adherent first: their portal card lists their latest claims.
        active = [member.pk, *(pk for pk in active if pk != member.pk)]
    if active:
        _grow_claims(active)


def claims_kwargs() -> dict[str, Any]:
    """URL arguments of a claims page: none, once the data set is grown."""
    seed_claims()
    return {}
