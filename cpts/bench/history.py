"""The benchmark's five years of history, grown with the scale, for the indicators.

For each scale unit (``MEMBERS_PER_UNIT`` active members, taken in primary-key order) and each
of the ``YEARS`` years before today: ``CA_MEETINGS`` CA and ``BUREAU_MEETINGS`` Bureau meetings
attended by the bodies' mandate holders, ``AG_MEETINGS`` AG with an attendance row for
``AG_SHARE`` of the unit's members who had joined by then (present, represented through a
proxy within the statutes' limit, excused or absent), ``ACTIONS`` actions of the demo contract
and ``EVENTS`` events with participants counted by profession and, for public events, by age
band, and professionals mobilised; each member of the unit holds an adhesion for every past
year since joining, settled for most. Each measurement working group of
``cpts.bench.governance`` holds ``GROUP_MEETINGS`` meetings a year attended by its members.
Every meeting has its minutes, approved for two in three. The members' ``joined_on`` dates are
spread over the five years by ``cpts.bench.dataset``.

Growing is idempotent and cumulative: scale 10 after scale 1 only adds units 2 to 10 and the
new groups' meetings. Bulk inserts, no audit trail, seeded randomness: throw-away measurement
data.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from cpts.bench import governance
from cpts.bench.dataset import MEMBERS_PER_SCALE
from cpts.bench.missions import bench_scale
from governance.models import (
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    Mandate,
    Meeting,
    MeetingStatus,
    Minutes,
    Proxy,
    Statutes,
)
from governance.models.decisions import MinutesStatus
from members.models import Adhesion, Member, Payment, Profession
from members.models.adhesions import PaymentMethod
from members.models.members import MemberStatus
from members.models.reference import MemberKind
from missions.demo import demo_contract
from missions.models import (
    Action,
    ActionStatus,
    AgeBand,
    Event,
    EventKind,
    Mission,
    ParticipantCount,
)

HISTORY_PREFIX = "Historique de mesure"
YEARS = 5
MEMBERS_PER_UNIT = MEMBERS_PER_SCALE
CA_MEETINGS = 4  # per year and scale unit
BUREAU_MEETINGS = 6
AG_MEETINGS = 1
AG_SHARE = 0.85  # of the unit's members who had joined: the others have no attendance row
GROUP_MEETINGS = 6  # per measurement working group and year
ACTIONS = 8  # per year and scale unit
EVENTS = 40
BATCH = 1000
PUBLIC_KINDS = (EventKind.WORKSHOP, EventKind.STAND, EventKind.CAMPAIGN)
KINDS = tuple(EventKind)
BANDS = tuple(AgeBand)


@dataclass(frozen=True)
class HistoryCounts:
    units: int
    meetings: int
    attendances: int
    proxies: int
    minutes_approved: int
    actions: int
    events: int
    participant_counts: int
    adhesions: int


@dataclass(frozen=True)
class _Member:
    pk: int
    joined_on: datetime.date | None
    person: bool


class _Rows:
    """The meetings a growth step has still to insert, each with the members invited to it;
    ``is_ag`` holds the positions of the AG meetings in that list."""

    def __init__(self) -> None:
        self.meetings: list[tuple[Meeting, list[int]]] = []
        self.is_ag: set[int] = set()


def year_windows(today: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The ``YEARS`` consecutive 365-day windows ending yesterday, oldest first."""
    first = today - datetime.timedelta(days=365 * YEARS)
    return [
        (first + datetime.timedelta(days=365 * y), first + datetime.timedelta(days=365 * y + 364))
        for y in range(YEARS)
    ]


def _spread(start: datetime.date, count: int, index: int, rng: random.Random) -> datetime.date:
    """The ``index``-th of ``count`` dates spread over the 365 days from ``start``."""
    day = int((index + 0.5) * 365 / count) + rng.randint(-5, 5)
    return start + datetime.timedelta(days=min(max(day, 0), 364))


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


def _meeting(body: Body, title: str, day: datetime.date, hour: int = 18) -> Meeting:
    starts_at = _at(day, hour)
    return Meeting(
        body=body,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        place="Maison de santé de Clermont-l'Hérault",
        status=MeetingStatus.HELD,
        ag_kind="ordinary" if body.kind == BodyKind.AG else "",
        convened_at=starts_at - datetime.timedelta(days=15),
        held_at=starts_at + datetime.timedelta(hours=2),
    )


def _holders(kind: str) -> list[int]:
    return sorted(set(Mandate.objects.filter(body__kind=kind).values_list("member_id", flat=True)))


def _single_body(kind: BodyKind) -> Body:
    return Body.objects.get_or_create(kind=kind, defaults={"name": str(kind.label)})[0]


def _insert_meetings(rows: _Rows, rng: random.Random, today: datetime.date) -> None:
    """The meetings, their attendance (with proxies at the AG) and their minutes, approved
    a month later for two meetings in three."""
    approved_on: dict[int, datetime.date] = {}
    for position, (meeting, _invited) in enumerate(rows.meetings):
        day = timezone.localdate(meeting.starts_at) + datetime.timedelta(days=30)
        if position % 3 != 0 and day < today:
            approved_on[position] = day
            meeting.status = MeetingStatus.MINUTES_APPROVED
    Meeting.objects.bulk_create([m for m, _invited in rows.meetings], batch_size=BATCH)
    limit = Statutes.objects.get_solo().max_proxies_per_holder
    attendances: list[Attendance] = []
    proxies: list[Proxy] = []
    minutes: list[Minutes] = []
    for position, (meeting, invited) in enumerate(rows.meetings):
        if position in rows.is_ag:
            attendances_, proxies_ = _ag_attendance(meeting, invited, limit, rng)
            attendances += attendances_
            proxies += proxies_
        else:
            for pk in invited:
                draw = rng.random()
                status = (
                    AttendanceStatus.PRESENT
                    if draw < 0.65
                    else AttendanceStatus.EXCUSED
                    if draw < 0.85
                    else AttendanceStatus.ABSENT
                )
                attendances.append(Attendance(meeting=meeting, member_id=pk, status=status))
        minutes.append(
            Minutes(
                meeting=meeting,
                text=f"Procès-verbal de la réunion « {meeting.title} ».",
                status=MinutesStatus.APPROVED if position in approved_on else MinutesStatus.DRAFT,
                approved_on=approved_on.get(position),
                secretary_name="Secrétaire de séance",
                chair_name="Président·e de séance",
            )
        )
    Attendance.objects.bulk_create(attendances, batch_size=BATCH)
    Proxy.objects.bulk_create(proxies, batch_size=BATCH)
    Minutes.objects.bulk_create(minutes, batch_size=BATCH)


def _ag_attendance(
    meeting: Meeting, invited: list[int], limit: int, rng: random.Random
) -> tuple[list[Attendance], list[Proxy]]:
    status: dict[int, str] = {}
    for pk in invited:
        draw = rng.random()
        if draw < 0.45:
            status[pk] = AttendanceStatus.PRESENT
        elif draw < 0.55:
            status[pk] = AttendanceStatus.REPRESENTED
        elif draw < 0.7:
            status[pk] = AttendanceStatus.EXCUSED
        else:
            status[pk] = AttendanceStatus.ABSENT
    holders = [pk for pk in invited if status[pk] == AttendanceStatus.PRESENT]
    held: Counter[int] = Counter()
    holder_of: dict[int, int] = {}
    for pk in invited:
        if status[pk] != AttendanceStatus.REPRESENTED:
            continue
        while holders and held[holders[-1]] >= limit:
            holders.pop()
        if not holders:
            status[pk] = AttendanceStatus.EXCUSED
            continue
        held[holders[-1]] += 1
        holder_of[pk] = holders[-1]
    attendances = [
        Attendance(
            meeting=meeting, member_id=pk, status=status[pk], represented_by_id=holder_of.get(pk)
        )
        for pk in invited
    ]
    proxies = [Proxy(meeting=meeting, giver_id=g, holder_id=h) for g, h in holder_of.items()]
    return attendances, proxies


def _unit_title(unit: int) -> str:
    return f"{HISTORY_PREFIX} — unité {unit + 1:03d} —"


def _grow_unit(unit: int, members: list[_Member], rng: random.Random) -> None:
    """A scale unit's meetings of the AG, CA and Bureau, actions, events and adhesions."""
    today = timezone.localdate()
    prefix = _unit_title(unit)
    bodies = {kind: _single_body(kind) for kind in (BodyKind.AG, BodyKind.CA, BodyKind.BUREAU)}
    holders = {BodyKind.CA: _holders(BodyKind.CA), BodyKind.BUREAU: _holders(BodyKind.BUREAU)}
    rows = _Rows()
    for year, (start, _end) in enumerate(year_windows(today), start=1):
        for kind, count in (
            (BodyKind.AG, AG_MEETINGS),
            (BodyKind.CA, CA_MEETINGS),
            (BodyKind.BUREAU, BUREAU_MEETINGS),
        ):
            for index in range(count):
                day = _spread(start, count, index, rng)
                title = f"{prefix} {kind.label} année {year} n°{index + 1}"
                meeting = _meeting(bodies[kind], title, day)
                if kind == BodyKind.AG:
                    rows.is_ag.add(len(rows.meetings))
                    invited = [
                        m.pk
                        for m in members
                        if m.joined_on and m.joined_on <= day and rng.random() < AG_SHARE
                    ]
                else:
                    invited = holders[kind]
                rows.meetings.append((meeting, invited))
    _insert_meetings(rows, rng, today)
    _grow_actions(prefix, members, rng, today)
    _grow_adhesions(members, rng, today)


def _grow_actions(
    prefix: str, members: list[_Member], rng: random.Random, today: datetime.date
) -> None:
    contract = demo_contract()
    missions = (
        list(contract.missions.values_list("mission_id", flat=True))
        if contract
        else list(Mission.objects.values_list("pk", flat=True))
    )
    groups = list(
        Body.objects.filter(name__startswith=governance.BENCH_GROUP_PREFIX).values_list(
            "pk", flat=True
        )
    )
    professions = list(Profession.objects.values_list("pk", flat=True))
    persons = [m for m in members if m.person and m.joined_on]
    actions: list[Action] = []
    events: list[Event] = []
    for year, (start, _end) in enumerate(year_windows(today), start=1):
        first = len(actions)
        for index in range(ACTIONS):
            begins = _spread(start, ACTIONS * 2, index, rng)
            ends = begins + datetime.timedelta(days=300)
            actions.append(
                Action(
                    contract=contract,
                    title=f"{prefix} action année {year} n°{index + 1}",
                    description="Action créée pour les mesures de performance.",
                    working_group_id=groups[index % len(groups)] if groups else None,
                    start=begins,
                    planned_end=ends,
                    status=ActionStatus.DONE if ends < today else ActionStatus.IN_PROGRESS,
                )
            )
        for index in range(EVENTS):
            kind = KINDS[index % len(KINDS)]
            events.append(
                Event(
                    action=actions[first + index % ACTIONS],
                    kind=kind,
                    title=f"{prefix} {kind.label} année {year} n°{index + 1}",
                    date=_spread(start, EVENTS, index, rng),
                    place="Salle polyvalente",
                    hours=Decimal(rng.choice(("1.50", "2.00", "3.00"))),
                )
            )
    Action.objects.bulk_create(actions, batch_size=BATCH)
    if missions:
        Action.missions.through.objects.bulk_create(
            [
                Action.missions.through(action_id=action.pk, mission_id=missions[i % len(missions)])
                for i, action in enumerate(actions)
            ],
            batch_size=BATCH,
        )
    Event.objects.bulk_create(events, batch_size=BATCH)
    counts: list[ParticipantCount] = []
    mobilised = []
    for event in events:
        for profession in rng.sample(professions, min(len(professions), rng.randint(2, 4))):
            counts.append(
                ParticipantCount(event=event, profession_id=profession, count=rng.randint(1, 12))
            )
        if event.kind in PUBLIC_KINDS:
            for band in rng.sample(BANDS, 3):
                counts.append(
                    ParticipantCount(event=event, age_band=band, count=rng.randint(2, 30))
                )
        pool = [m.pk for m in persons if m.joined_on and m.joined_on <= event.date]
        for pk in rng.sample(pool, min(len(pool), rng.randint(2, 4))):
            mobilised.append(Event.professionals.through(event_id=event.pk, member_id=pk))
    ParticipantCount.objects.bulk_create(counts, batch_size=BATCH)
    Event.professionals.through.objects.bulk_create(mobilised, batch_size=BATCH)


def _grow_adhesions(members: list[_Member], rng: random.Random, today: datetime.date) -> None:
    """An adhesion for each past calendar year of the history since the member joined, paid
    (or exonerated) for nine in ten, when the member has none for that year."""
    years = range(today.year - YEARS, today.year)
    have = set(
        Adhesion.objects.filter(member_id__in=[m.pk for m in members], year__in=years)
        .order_by()
        .values_list("member_id", "year")
    )
    adhesions = [
        Adhesion(
            member_id=m.pk,
            year=year,
            fee_due=Decimal("20.00" if m.person else "50.00"),
            started_on=max(m.joined_on, datetime.date(year, 1, 1)),
        )
        for m in members
        if m.joined_on
        for year in years
        if m.joined_on.year <= year and (m.pk, year) not in have
    ]
    Adhesion.objects.bulk_create(adhesions, batch_size=BATCH)
    payments = []
    for adhesion in adhesions:
        draw = rng.random()
        if draw < 0.9:
            exonerated = draw < 0.05
            payments.append(
                Payment(
                    adhesion=adhesion,
                    amount=Decimal("0.00") if exonerated else adhesion.fee_due,
                    method=PaymentMethod.EXONERATION if exonerated else PaymentMethod.VIREMENT,
                    paid_on=adhesion.started_on + datetime.timedelta(days=rng.randint(0, 60)),
                )
            )
    Payment.objects.bulk_create(payments, batch_size=BATCH)


def _grow_group_meetings(rng: random.Random) -> None:
    """``GROUP_MEETINGS`` meetings a year for each measurement group without history yet."""
    today = timezone.localdate()
    groups = Body.objects.filter(
        kind=BodyKind.GROUP, name__startswith=governance.BENCH_GROUP_PREFIX
    ).order_by("pk")
    done = set(
        Meeting.objects.filter(body__in=groups, title__startswith=HISTORY_PREFIX)
        .order_by()
        .values_list("body_id", flat=True)
    )
    members: dict[int, list[int]] = {}
    for body_id, member_id in (
        Mandate.objects.filter(body__in=groups).order_by("pk").values_list("body_id", "member_id")
    ):
        members.setdefault(body_id, []).append(member_id)
    rows = _Rows()
    for group in groups:
        if group.pk in done:
            continue
        for year, (start, _end) in enumerate(year_windows(today), start=1):
            for index in range(GROUP_MEETINGS):
                day = _spread(start, GROUP_MEETINGS, index, rng)
                title = f"{HISTORY_PREFIX} — {group.name} — année {year} n°{index + 1}"
                rows.meetings.append((_meeting(group, title, day, 13), members.get(group.pk, [])))
    _insert_meetings(rows, rng, today)


def _active_members() -> list[_Member]:
    return [
        _Member(pk, joined_on, kind == MemberKind.PERSON)
        for pk, joined_on, kind in Member.objects.filter(status=MemberStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", "joined_on", "kind")
    ]


def _grown_units() -> set[int]:
    titles = Meeting.objects.filter(
        title__startswith=f"{HISTORY_PREFIX} — unité ", body__kind=BodyKind.AG
    ).values_list("title", flat=True)
    return {int(title.split("unité ")[1][:3]) - 1 for title in titles}


@transaction.atomic
def grow_history(scale: int | None = None) -> HistoryCounts:
    """Bring the history up to ``scale`` units (by default the scale ``seed_scale`` reached),
    after the governance data set (its measurement groups); idempotent."""
    scale = bench_scale() if scale is None else scale
    governance.seed_governance()
    members = _active_members()
    grown = _grown_units()
    for unit in range(scale):
        if unit not in grown:
            chunk = members[unit * MEMBERS_PER_UNIT : (unit + 1) * MEMBERS_PER_UNIT]
            _grow_unit(unit, chunk, random.Random(unit))
    _grow_group_meetings(random.Random(len(members)))
    return history_counts()


def history_counts() -> HistoryCounts:
    meetings = Meeting.objects.filter(title__startswith=HISTORY_PREFIX)
    events = Event.objects.filter(title__startswith=HISTORY_PREFIX)
    years = range(timezone.localdate().year - YEARS, timezone.localdate().year)
    return HistoryCounts(
        units=len(_grown_units()),
        meetings=meetings.count(),
        attendances=Attendance.objects.filter(meeting__in=meetings).count(),
        proxies=Proxy.objects.filter(meeting__in=meetings).count(),
        minutes_approved=Minutes.objects.filter(
            status=MinutesStatus.APPROVED, meeting__in=meetings
        ).count(),
        actions=Action.objects.filter(title__startswith=HISTORY_PREFIX).count(),
        events=events.count(),
        participant_counts=ParticipantCount.objects.filter(event__in=events).count(),
        adhesions=Adhesion.objects.filter(year__in=years).count(),
    )


def grown_kwargs() -> dict[str, Any]:
    """URL arguments of a page without any (the dashboard): none, once the history is grown."""
    grow_history()
    return {}
