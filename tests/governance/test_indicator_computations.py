"""The governance computed indicators (governance/selectors/indicators.py) against hand-counted
meetings and attendance over the second quarter of 2025 (summer time: Paris is UTC+2, so a
boundary taken in UTC would be two hours off), and their query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cpts.indicator_registry import Value, as_breakdown, registered_indicators
from governance.models import (
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)
from governance.selectors.indicators import (
    attendance_rate,
    meetings_held,
    period_bounds,
    pluripro_meetings_with_minutes,
    professionals_mobilised_meetings,
)
from members.models import Member, Profession
from tests.factories import MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def part(value: Value, key: str = "") -> Decimal:
    """One breakdown of a computation's result (the total by default)."""
    return as_breakdown(value)[key]


D = Decimal
PARIS = ZoneInfo("Europe/Paris")
START = datetime.date(2025, 4, 1)
END = datetime.date(2025, 6, 30)

AG = "Instance : Assemblée générale"
CA = "Instance : Conseil d'administration"
BUREAU = "Instance : Bureau"
GROUPS = "Instance : Groupe de travail / commission"

PRESENT = AttendanceStatus.PRESENT
REPRESENTED = AttendanceStatus.REPRESENTED
EXCUSED = AttendanceStatus.EXCUSED
ABSENT = AttendanceStatus.ABSENT


def body(kind: str) -> Body:
    return Body.objects.get_or_create(kind=kind, defaults={"name": BodyKind(kind).label})[0]


def meeting(
    where: Body,
    *when: int,
    status: str = MeetingStatus.HELD,
) -> Meeting:
    """A meeting of ``where`` starting at ``when`` (year, month, day, hour, minute) Paris time."""
    year, month, day, hour, minute = when
    return Meeting.objects.create(
        body=where,
        title=f"Réunion {where.name}",
        starts_at=datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS),
        status=status,
    )


def attend(at: Meeting, *rows: tuple[Member, str]) -> None:
    for member, status in rows:
        holder = None
        if status == REPRESENTED:
            holder = Attendance.objects.filter(meeting=at, status=PRESENT).first()
            assert holder is not None, "a represented member needs a present holder"
        Attendance.objects.create(
            meeting=at,
            member=member,
            status=status,
            represented_by=holder.member if holder else None,
        )


def approve_minutes(at: Meeting) -> None:
    Minutes.objects.create(
        meeting=at,
        text="Procès-verbal",
        status=MinutesStatus.APPROVED,
        approved_on=datetime.date(2025, 7, 15),
    )


@pytest.fixture
def people(association: Any) -> dict[str, Member]:
    infirmier = Profession.objects.get(code="infirmier")
    medecin = Profession.objects.get(code="medecin_generaliste")
    kine = Profession.objects.get(code="masseur_kinesitherapeute")
    return {
        "inf1": MemberFactory.create(profession=infirmier),
        "inf2": MemberFactory.create(profession=infirmier),
        "inf3": MemberFactory.create(profession=infirmier),
        "med1": MemberFactory.create(profession=medecin),
        "med2": MemberFactory.create(profession=medecin),
        "kine": MemberFactory.create(profession=kine),
        "org": OrganisationFactory.create(),
    }


@pytest.fixture
def meetings(people: dict[str, Member]) -> dict[str, Meeting]:
    """Held in Q2 2025: M1 (AG) M2 (CA) M7 M8 M9 (groups). Pluriprofessional with approved
    minutes: M2 M8. Attendance rows of held meetings: 16, of which 12 present or represented.
    Distinct members present at a held group meeting: inf1 inf2 org med1."""
    p = people
    group1 = Body.objects.create(kind=BodyKind.GROUP, name="Soins non programmés")
    group2 = Body.objects.create(kind=BodyKind.GROUP, name="Parcours insuffisance cardiaque")
    m = {
        # First instant of the first day (22:00 UTC the day before): in.
        "M1": meeting(body(BodyKind.AG), 2025, 4, 1, 0, 0),
        # 23:30 on the last day (21:30 UTC), minutes approved: in.
        "M2": meeting(
            body(BodyKind.CA), 2025, 6, 30, 23, 30, status=MeetingStatus.MINUTES_APPROVED
        ),
        # 23:30 on the day before the first day (21:30 UTC, 31/03): out.
        "M3": meeting(
            body(BodyKind.BUREAU), 2025, 3, 31, 23, 30, status=MeetingStatus.MINUTES_APPROVED
        ),
        # 00:30 on the day after the last day (22:30 UTC on 30/06): out.
        "M4": meeting(group1, 2025, 7, 1, 0, 30),
        "M5": meeting(group2, 2025, 5, 10, 18, 0, status=MeetingStatus.CANCELLED),
        "M6": meeting(body(BodyKind.BUREAU), 2025, 5, 12, 18, 0, status=MeetingStatus.CONVENED),
        # Held, minutes approved (the Minutes row says so, the meeting status not yet).
        "M7": meeting(group1, 2025, 5, 15, 10, 0),
        "M8": meeting(group2, 2025, 6, 2, 14, 0, status=MeetingStatus.MINUTES_APPROVED),
        # Held, minutes still a draft.
        "M9": meeting(group1, 2025, 6, 20, 20, 0),
        "M10": meeting(body(BodyKind.BUREAU), 2025, 4, 20, 18, 0, status=MeetingStatus.PLANNED),
    }
    approve_minutes(m["M7"])
    Minutes.objects.create(meeting=m["M9"], text="Brouillon")
    # AG: 4 rows, 2 attended (present, represented); no minutes: not pluripro.
    attend(m["M1"], (p["inf1"], PRESENT), (p["inf2"], REPRESENTED), (p["med1"], ABSENT))
    attend(m["M1"], (p["org"], EXCUSED))
    # CA: 3 rows, 2 attended; infirmier + médecin present, approved: pluripro.
    attend(m["M2"], (p["inf1"], PRESENT), (p["med2"], PRESENT), (p["inf2"], ABSENT))
    # Out of the period (either side), cancelled: nothing counts.
    attend(m["M3"], (p["inf1"], PRESENT), (p["med1"], PRESENT))
    attend(m["M4"], (p["inf3"], PRESENT), (p["med1"], PRESENT), (p["inf1"], ABSENT))
    attend(m["M5"], (p["med2"], PRESENT), (p["inf1"], PRESENT))
    # M7: 4 rows all attended; one profession present in person (the organisation has none,
    # the kiné is only represented): not pluripro.
    attend(m["M7"], (p["inf1"], PRESENT), (p["inf2"], PRESENT), (p["org"], PRESENT))
    attend(m["M7"], (p["kine"], REPRESENTED))
    # M8: 3 rows, 2 attended; médecin + infirmier present, approved: pluripro.
    attend(m["M8"], (p["med1"], PRESENT), (p["inf2"], PRESENT), (p["inf1"], EXCUSED))
    # M9: 2 rows attended; pluriprofessional but minutes only drafted.
    attend(m["M9"], (p["inf1"], PRESENT), (p["med1"], PRESENT))
    return m


def test_period_bounds_are_paris_midnights() -> None:
    first, after = period_bounds(START, END)
    assert first == datetime.datetime(2025, 3, 31, 22, 0, tzinfo=datetime.UTC)
    assert after == datetime.datetime(2025, 6, 30, 22, 0, tzinfo=datetime.UTC)
    winter_first, winter_after = period_bounds(
        datetime.date(2025, 1, 1), datetime.date(2025, 1, 31)
    )
    assert winter_first == datetime.datetime(2024, 12, 31, 23, 0, tzinfo=datetime.UTC)
    assert winter_after == datetime.datetime(2025, 1, 31, 23, 0, tzinfo=datetime.UTC)


def test_meetings_held_by_body_kind(meetings: dict[str, Meeting]) -> None:
    assert meetings_held(START, END) == {"": 5, AG: 1, CA: 1, BUREAU: 0, GROUPS: 3}


def test_meetings_held_boundaries(meetings: dict[str, Meeting]) -> None:
    # The first day alone: M1 at midnight.
    assert part(meetings_held(START, START)) == 1
    # The last day alone: M2 at 23:30, not M4 (00:30 the next day).
    assert meetings_held(END, END) == {"": 1, AG: 0, CA: 1, BUREAU: 0, GROUPS: 0}
    # The day before: M3 at 23:30; the day after: M4 at 00:30.
    day_before = datetime.date(2025, 3, 31)
    assert meetings_held(day_before, day_before) == {"": 1, AG: 0, CA: 0, BUREAU: 1, GROUPS: 0}
    day_after = datetime.date(2025, 7, 1)
    assert part(meetings_held(day_after, day_after), GROUPS) == 1


def test_meetings_held_when_none(association: Any) -> None:
    assert meetings_held(START, END) == {"": 0, AG: 0, CA: 0, BUREAU: 0, GROUPS: 0}


def test_pluripro_meetings_with_minutes(meetings: dict[str, Meeting]) -> None:
    assert pluripro_meetings_with_minutes(START, END) == 2  # M2 M8
    # Approving M9's minutes makes it count.
    Minutes.objects.filter(meeting=meetings["M9"]).update(
        status=MinutesStatus.APPROVED, approved_on=datetime.date(2025, 7, 1)
    )
    assert pluripro_meetings_with_minutes(START, END) == 3
    # M7 becomes pluriprofessional once the kiné comes in person.
    Attendance.objects.filter(
        meeting=meetings["M7"], member__profession__code="masseur_kinesitherapeute"
    ).update(status=PRESENT, represented_by=None)
    assert pluripro_meetings_with_minutes(START, END) == 4
    # Only the last day: M2 (23:30).
    assert pluripro_meetings_with_minutes(END, END) == 1


def test_attendance_rate(meetings: dict[str, Meeting]) -> None:
    assert attendance_rate(START, END) == {
        "": D("75.00"),  # 12 / 16
        AG: D("50.00"),  # 2 / 4
        CA: D("66.67"),  # 2 / 3
        BUREAU: D("0.00"),  # no attendance recorded
        GROUPS: D("88.89"),  # (4 + 2 + 2) / (4 + 3 + 2)
    }
    # The day after: M4 alone, 2 of 3.
    day_after = datetime.date(2025, 7, 1)
    assert part(attendance_rate(day_after, day_after)) == D("66.67")


def test_attendance_rate_is_zero_without_rows(association: Any) -> None:
    assert part(attendance_rate(START, END)) == D("0.00")


def test_professionals_mobilised_meetings(
    meetings: dict[str, Meeting], people: dict[str, Member]
) -> None:
    # inf1 (M7 M9), inf2 (M7 M8), org (M7), med1 (M8 M9) — not the kiné (represented), inf3
    # (the day after), med2 (a CA and a cancelled group meeting).
    assert professionals_mobilised_meetings(START, END) == 4
    # The last day: nobody (M2 is a CA); the day after: inf3 and med1 at M4.
    assert professionals_mobilised_meetings(END, END) == 0
    day_after = datetime.date(2025, 7, 1)
    assert professionals_mobilised_meetings(day_after, day_after) == 2


def test_registered_with_missions_and_units() -> None:
    registry = registered_indicators()
    assert registry["pluripro_meetings_with_minutes"].mission == "parcours"
    assert registry["meetings_held"].mission == ""
    assert registry["attendance_rate"].unit == "percent"
    assert registry["professionals_mobilised_meetings"].unit == "count"
    assert "Paris" in str(registry["meetings_held"].description)


FUNCTIONS = [
    meetings_held,
    pluripro_meetings_with_minutes,
    attendance_rate,
    professionals_mobilised_meetings,
]


def _grow(people: dict[str, Member], first: int, last: int) -> None:
    """Meetings number ``first`` to ``last - 1`` in the period, over the four body kinds,
    minutes approved, each attended by an infirmier and a médecin (pluriprofessional)."""
    groups = [
        Body.objects.get_or_create(kind=BodyKind.GROUP, name=f"Groupe {n}")[0] for n in range(3)
    ]
    bodies = [body(BodyKind.AG), body(BodyKind.CA), body(BodyKind.BUREAU), *groups]
    for index in range(first, last):
        at = meeting(
            bodies[index % len(bodies)],
            2025,
            4 + index % 3,
            1 + index % 28,
            9,
            0,
            status=MeetingStatus.MINUTES_APPROVED,
        )
        attend(at, (people["inf1"], PRESENT), (people["med1"], PRESENT), (people["org"], ABSENT))


@pytest.mark.parametrize("function", FUNCTIONS)
def test_query_count_does_not_grow_with_meetings(people: dict[str, Member], function: Any) -> None:
    _grow(people, 0, 3)
    with CaptureQueriesContext(connection) as few:
        function(START, END)
    _grow(people, 3, 30)
    with CaptureQueriesContext(connection) as many:
        result = function(START, END)
    assert len(many.captured_queries) == len(few.captured_queries) == 1
    total = part(result)
    expected = {
        meetings_held: 30,
        pluripro_meetings_with_minutes: 30,
        attendance_rate: D("66.67"),
        professionals_mobilised_meetings: 2,
    }
    assert total == expected[function]
