"""Fixtures of the claims tests: the bureau's tariffs, a member with an account who attended
a group meeting, the référent of that group, the coordination and the trésorerie."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from claims.models import ActivityKind, MileageRate, RateBasis, Tariff
from cpts.models import User
from cpts.permissions import forget_roles
from governance.models import (
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    Mandate,
    MandateRole,
    Meeting,
    MeetingStatus,
)
from members.models import Member
from tests.factories import MemberFactory, UserFactory

TARIFFS_FROM = datetime.date(2024, 1, 1)


@dataclass
class World:
    member: Member
    user: User
    group: Body
    meeting: Meeting
    referent: User
    coordinator: User
    tresorier: User
    tresorier_member: Member


def set_tariffs() -> None:
    for kind, basis, amount in (
        (ActivityKind.GROUP_MEETING, RateBasis.HOURLY, "60"),
        (ActivityKind.BOARD_MEETING, RateBasis.FLAT, "50"),
        (ActivityKind.REFERENT, RateBasis.HOURLY, "80"),
        (ActivityKind.MISSION_ACTION, RateBasis.HOURLY, "70"),
        (ActivityKind.ON_CALL, RateBasis.HOURLY, "90"),
        (ActivityKind.TRAINING, RateBasis.HOURLY, "40"),
    ):
        Tariff.objects.create(
            activity_kind=kind, basis=basis, amount=Decimal(amount), valid_from=TARIFFS_FROM
        )
    MileageRate.objects.create(per_km=Decimal("0.636"), valid_from=TARIFFS_FROM)


def member_with_account(**kwargs: Any) -> tuple[Member, User]:
    user = UserFactory.create()
    member = MemberFactory.create(user=user, email=user.email, **kwargs)
    return member, user


def held_meeting(body: Body, *, days_ago: int = 3, hours: int = 2, title: str = "") -> Meeting:
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - datetime.timedelta(
        days=days_ago
    )
    return Meeting.objects.create(
        body=body,
        title=title or f"Réunion {body.name}",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=hours),
        status=MeetingStatus.HELD,
    )


def attend(meeting: Meeting, member: Member, status: str = AttendanceStatus.PRESENT) -> None:
    Attendance.objects.create(meeting=meeting, member=member, status=status)


@pytest.fixture
def world(association: Any, coordinator: User, tresorier: User) -> World:
    set_tariffs()
    member, user = member_with_account(first_name="Claire", last_name="Bernard")
    group = Body.objects.create(kind=BodyKind.GROUP, name="Parcours diabète")
    referent_member, referent = member_with_account(first_name="Paul", last_name="Referent")
    Mandate.objects.create(
        member=referent_member,
        body=group,
        role=MandateRole.REFERENT,
        start_date=datetime.date(2020, 1, 1),
    )
    forget_roles(referent)
    meeting = held_meeting(group)
    attend(meeting, member)
    return World(
        member=member,
        user=user,
        group=group,
        meeting=meeting,
        referent=referent,
        coordinator=coordinator,
        tresorier=tresorier,
        tresorier_member=Member.objects.get(user=tresorier),
    )
