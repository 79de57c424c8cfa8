"""The benchmark's governance data set, grown with the member base.

The demo data (``seed_demo``, run by ``cpts.bench.dataset.seed_scale``) already holds the AG,
CA and Bureau bodies, the CA and Bureau mandates, six working groups and the demo meetings.
On top of it, for the members of the scale (1 000 per scale unit): one working group of
``GROUP_SIZE`` members per ``MEMBERS_PER_GROUP`` active members, and one AG held today with a
``Convocation`` and an ``Attendance`` row per active member (present, represented through a
proxy within the statutes' limit, excused or absent; voting rights on today's date).

The governance pages measured in ``cpts.bench.targets`` take their URL arguments from
``page_kwargs`` and ``ag_kwargs``, which grow this data set first: the pages are measured
after ``seed_scale`` has brought the members to the scale, and growing is idempotent and
cumulative (scale 10 after scale 1 only adds the difference). Bulk inserts, no audit trail:
throw-away measurement data.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from governance.models import (
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    Convocation,
    ConvocationAnswer,
    Mandate,
    MandateRole,
    Meeting,
    MeetingStatus,
    Proxy,
    Statutes,
)
from governance.selectors.voting import voting_members
from members.models import Member
from members.models.members import MemberStatus

BENCH_AG_TITLE = "Assemblée générale de mesure"
BENCH_GROUP_PREFIX = "Groupe de mesure n°"
MEMBERS_PER_GROUP = 500
GROUP_SIZE = 25
BATCH = 1000

_ANSWERS = {
    AttendanceStatus.PRESENT: ConvocationAnswer.PRESENT,
    AttendanceStatus.REPRESENTED: ConvocationAnswer.PROXY,
    AttendanceStatus.EXCUSED: ConvocationAnswer.ABSENT,
    AttendanceStatus.ABSENT: ConvocationAnswer.PENDING,
}


@dataclass(frozen=True)
class GovernanceCounts:
    groups: int
    group_mandates: int
    convocations: int
    attendances: int
    proxies: int


def _ag_body() -> Body:
    return Body.objects.get_or_create(
        kind=BodyKind.AG, defaults={"name": str(BodyKind.AG.label), "position": 0}
    )[0]


def bench_ag() -> Meeting:
    """The AG held today that the attendance page shows (created once)."""
    today = timezone.localdate()
    starts_at = timezone.make_aware(datetime.datetime.combine(today, datetime.time(18, 0)))
    meeting = Meeting.objects.filter(body__kind=BodyKind.AG, title=BENCH_AG_TITLE).first()
    if meeting is None:
        meeting = Meeting.objects.create(
            body=_ag_body(),
            title=BENCH_AG_TITLE,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=3),
            place="Salle des fêtes, Clermont-l'Hérault",
            status=MeetingStatus.CONVENED,
            ag_kind="ordinary",
            convened_at=starts_at - datetime.timedelta(days=21),
        )
    return meeting


def _grow_groups(active: list[int], rng: random.Random) -> None:
    """One measurement working group of ``GROUP_SIZE`` members (and a référent) per
    ``MEMBERS_PER_GROUP`` active members."""
    wanted = len(active) // MEMBERS_PER_GROUP
    existing = Body.objects.filter(kind=BodyKind.GROUP, name__startswith=BENCH_GROUP_PREFIX)
    count = existing.count()
    if count >= wanted or len(active) < GROUP_SIZE:
        return
    groups = Body.objects.bulk_create(
        [
            Body(
                kind=BodyKind.GROUP,
                name=f"{BENCH_GROUP_PREFIX} {number:04d}",
                theme="Mesure",
                description="Groupe de travail créé pour les mesures de performance.",
                open_to_join=number % 2 == 0,
                position=100 + number,
            )
            for number in range(count + 1, wanted + 1)
        ]
    )
    start = timezone.localdate() - datetime.timedelta(days=180)
    mandates = []
    for group in groups:
        for position, member_id in enumerate(rng.sample(active, GROUP_SIZE)):
            role = MandateRole.REFERENT if position == 0 else MandateRole.MEMBRE
            mandates.append(Mandate(member_id=member_id, body=group, role=role, start_date=start))
    Mandate.objects.bulk_create(mandates, batch_size=BATCH)


def _grow_attendance(meeting: Meeting, active: list[int], rng: random.Random) -> None:
    """A convocation and an attendance row for each active member without one."""
    done = set(Attendance.objects.filter(meeting=meeting).values_list("member_id", flat=True))
    missing = [pk for pk in active if pk not in done]
    if not missing:
        return
    today = timezone.localdate(meeting.starts_at)
    voting = set(voting_members(today).values_list("pk", flat=True))
    limit = Statutes.objects.get_solo().max_proxies_per_holder
    present_voting = set(
        Attendance.objects.filter(
            meeting=meeting, status=AttendanceStatus.PRESENT, member_id__in=voting
        ).values_list("member_id", flat=True)
    )
    held = Counter(Proxy.objects.filter(meeting=meeting).values_list("holder_id", flat=True))
    status: dict[int, str] = {}
    for pk in missing:
        draw = rng.random()
        if pk not in voting:
            status[pk] = AttendanceStatus.PRESENT if draw < 0.05 else AttendanceStatus.ABSENT
        elif draw < 0.4:
            status[pk] = AttendanceStatus.PRESENT
            present_voting.add(pk)
        elif draw < 0.5:
            status[pk] = AttendanceStatus.REPRESENTED
        elif draw < 0.6:
            status[pk] = AttendanceStatus.EXCUSED
        else:
            status[pk] = AttendanceStatus.ABSENT
    holders = [pk for pk in sorted(present_voting) if held[pk] < limit]
    holder_of: dict[int, int] = {}
    for pk in missing:
        if status[pk] != AttendanceStatus.REPRESENTED:
            continue
        while holders and held[holders[-1]] >= limit:
            holders.pop()
        if not holders:
            status[pk] = AttendanceStatus.EXCUSED
            continue
        holder = holders[-1]
        held[holder] += 1
        holder_of[pk] = holder
    sent = meeting.convened_at
    Convocation.objects.bulk_create(
        [
            Convocation(
                meeting=meeting,
                member_id=pk,
                can_vote=pk in voting,
                sent_at=sent,
                answer=_ANSWERS[AttendanceStatus(status[pk])],
            )
            for pk in missing
        ],
        batch_size=BATCH,
    )
    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meeting,
                member_id=pk,
                status=status[pk],
                represented_by_id=holder_of.get(pk),
            )
            for pk in missing
        ],
        batch_size=BATCH,
    )
    Proxy.objects.bulk_create(
        [Proxy(meeting=meeting, giver_id=giver, holder_id=h) for giver, h in holder_of.items()],
        batch_size=BATCH,
    )


@transaction.atomic
def seed_governance() -> GovernanceCounts:
    """Bring the governance data set up to the current member base (idempotent)."""
    active = list(
        Member.objects.filter(status=MemberStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rng = random.Random(len(active))
    _grow_groups(active, rng)
    meeting = bench_ag()
    _grow_attendance(meeting, active, rng)
    groups = Body.objects.filter(kind=BodyKind.GROUP)
    return GovernanceCounts(
        groups=groups.count(),
        group_mandates=Mandate.objects.filter(body__in=groups).count(),
        convocations=Convocation.objects.filter(meeting=meeting).count(),
        attendances=Attendance.objects.filter(meeting=meeting).count(),
        proxies=Proxy.objects.filter(meeting=meeting).count(),
    )


def page_kwargs() -> dict[str, Any]:
    """URL arguments of a governance page without any: none, once the data set is grown."""
    seed_governance()
    return {}


def ag_kwargs() -> dict[str, Any]:
    """URL arguments of the AG pages (meeting page, attendance page): the measured AG, once
    the data set is grown."""
    seed_governance()
    return {"pk": bench_ag().pk}
