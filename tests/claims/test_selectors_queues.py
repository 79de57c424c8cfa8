"""Reads: the queues (scope, cap status, constant queries), claimable activities, totals."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from claims.models import ActivityKind, Claim, ClaimNature, ClaimStatus, PaymentBatch
from claims.selectors import (
    approval_queue,
    can_approve,
    can_validate,
    claimable_activities,
    member_claims,
    members_near_cap,
    payable_claims,
    pending_counts,
    validation_queue,
    year_totals,
)
from claims.services import declare_time, validate_claim
from governance.models import AttendanceStatus, Body, BodyKind
from members.models import Profession
from missions.models import Action, Event, EventKind, Mission
from tests.claims.conftest import World, attend, held_meeting, member_with_account
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def _claim(member: Any, amount: str, status: str, day: datetime.date, **extra: Any) -> Claim:
    defaults: dict[str, Any] = {
        "nature": ClaimNature.INDEMNITY,
        "activity_kind": ActivityKind.GROUP_MEETING,
        "hours": Decimal("2"),
    }
    defaults.update(extra)
    return Claim.objects.create(
        member=member, date=day, amount=Decimal(amount), status=status, **defaults
    )


def _validated(count: int, day: datetime.date) -> None:
    for _index in range(count):
        member = MemberFactory.create()
        _claim(member, "100", ClaimStatus.APPROVED, day)
        _claim(member, "60", ClaimStatus.VALIDATED, day)


def test_approval_queue_cap_status(world: World) -> None:
    year = timezone.localdate().year
    day = datetime.date(year, 3, 2)
    _claim(world.member, "37000", ClaimStatus.PAID, day)
    near = _claim(world.member, "500", ClaimStatus.VALIDATED, day)
    other = MemberFactory.create()
    _claim(other, "47900", ClaimStatus.APPROVED, day)
    over = _claim(other, "200", ClaimStatus.VALIDATED, day)
    expense = _claim(other, "50", ClaimStatus.VALIDATED, day, nature=ClaimNature.EXPENSE)
    last_year = _claim(other, "200", ClaimStatus.VALIDATED, datetime.date(year - 1, 5, 1))
    rows: dict[int, Any] = {claim.pk: claim for claim in approval_queue()}
    assert rows[near.pk].year_total == Decimal("37000")
    assert (rows[near.pk].near_cap, rows[near.pk].over_cap) == (False, False)
    assert (rows[over.pk].near_cap, rows[over.pk].over_cap) == (True, True)
    assert (rows[expense.pk].near_cap, rows[expense.pk].over_cap) == (True, False)
    assert rows[last_year.pk].year_total == Decimal("0")
    assert not rows[last_year.pk].over_cap
    assert {c.pk for c in approval_queue(near_cap_only=True)} == {over.pk, expense.pk}
    assert {c.pk for c in approval_queue(year=year - 1)} == {last_year.pk}
    assert members_near_cap(year) == [(other, Decimal("47900.00"), Decimal("48060.00"))]


def test_approval_queue_filters(world: World) -> None:
    day = timezone.localdate()
    prevention = Mission.objects.get(key="prevention")
    nurse = Profession.objects.get(code="infirmier")
    a = _claim(MemberFactory.create(profession=nurse), "10", ClaimStatus.VALIDATED, day)
    b = _claim(world.member, "10", ClaimStatus.VALIDATED, day, mission=prevention)
    c = _claim(world.member, "10", ClaimStatus.VALIDATED, day, activity_kind=ActivityKind.TRAINING)
    assert [x.pk for x in approval_queue(profession_id=nurse.pk)] == [a.pk]
    assert [x.pk for x in approval_queue(mission_id=prevention.pk)] == [b.pk]
    assert [x.pk for x in approval_queue(activity_kind=ActivityKind.TRAINING)] == [c.pk]


@pytest.mark.parametrize("size", [3, 30])
def test_approval_queue_constant_queries(
    world: World, size: int, django_assert_max_num_queries: Any
) -> None:
    _validated(size, timezone.localdate())
    with django_assert_max_num_queries(1):
        queue: list[Any] = list(approval_queue())
        rows = [
            (c.member.display_name, c.member.profession, c.mission, c.year_total, c.near_cap)
            for c in queue
        ]
    assert len(rows) == size


@pytest.mark.parametrize("size", [3, 30])
def test_validation_queue_constant_queries(
    world: World, size: int, django_assert_max_num_queries: Any
) -> None:
    for _index in range(size):
        _claim(MemberFactory.create(), "60", ClaimStatus.SUBMITTED, timezone.localdate())
    with django_assert_max_num_queries(4):
        rows = [
            (c.member.display_name, c.meeting, c.mission)
            for c in validation_queue(world.coordinator)
        ]
    assert len(rows) == size


def test_validation_queue_scope(world: World) -> None:
    (mine,) = declare_time(world.member, by=world.user, meeting=world.meeting)
    by_hand = _claim(world.member, "10", ClaimStatus.SUBMITTED, timezone.localdate())
    assert {c.pk for c in validation_queue(world.coordinator)} == {mine.pk, by_hand.pk}
    assert [c.pk for c in validation_queue(world.referent)] == [mine.pk]
    assert list(validation_queue(world.user)) == []
    assert list(validation_queue(UserFactory.create())) == []
    assert can_validate(world.referent, mine) and not can_validate(world.referent, by_hand)
    assert not can_validate(world.user, mine)
    validate_claim(mine, by=world.coordinator)
    mine.refresh_from_db()
    assert not can_approve(world.coordinator, mine)
    assert can_approve(world.tresorier, mine)
    assert not can_approve(world.referent, mine)


def test_claimable_activities(world: World) -> None:
    ag = Body.objects.get_or_create(kind=BodyKind.AG, defaults={"name": "AG"})[0]
    ag_meeting = held_meeting(ag, days_ago=2)
    attend(ag_meeting, world.member)
    excused = held_meeting(world.group, days_ago=10)
    attend(excused, world.member, AttendanceStatus.EXCUSED)
    old = held_meeting(world.group, days_ago=120)
    attend(old, world.member)
    future = held_meeting(world.group, days_ago=-3)
    attend(future, world.member)
    action = Action.objects.create(title="Ateliers")
    event = Event.objects.create(
        action=action,
        kind=EventKind.WORKSHOP,
        title="Atelier mémoire",
        date=timezone.localdate() - datetime.timedelta(days=1),
        hours=Decimal("2.5"),
    )
    event.professionals.add(world.member)
    declare_time(world.member, by=world.user, meeting=world.meeting)
    items = claimable_activities(world.member)
    assert [(i.source_kind, i.source_id) for i in items] == [
        ("event", event.pk),
        ("meeting", world.meeting.pk),
    ]
    assert items[0].hours == Decimal("2.5") and not items[0].already_claimed
    assert items[1].already_claimed and items[1].hours == Decimal("2.00")
    assert items[1].activity_kind == ActivityKind.GROUP_MEETING


@pytest.mark.parametrize("size", [2, 20])
def test_claimable_activities_constant_queries(
    world: World, size: int, django_assert_max_num_queries: Any
) -> None:
    for index in range(size):
        attend(held_meeting(world.group, days_ago=4 + index), world.member)
    with django_assert_max_num_queries(4):
        items = claimable_activities(world.member)
    assert len(items) == size + 1


def test_year_totals_against_a_hand_count(world: World) -> None:
    year = 2025
    prevention = Mission.objects.get(key="prevention")
    nurse = Profession.objects.get(code="infirmier")
    nurse_member = MemberFactory.create(profession=nurse)
    _claim(world.member, "120", ClaimStatus.PAID, datetime.date(year, 2, 1), mission=prevention)
    _claim(nurse_member, "60", ClaimStatus.APPROVED, datetime.date(year, 3, 1), hours=Decimal("1"))
    _claim(
        nurse_member,
        "25.44",
        ClaimStatus.APPROVED,
        datetime.date(year, 3, 1),
        nature=ClaimNature.MILEAGE,
        hours=None,
        km=Decimal("40"),
    )
    _claim(
        world.member,
        "30",
        ClaimStatus.PAID,
        datetime.date(year, 4, 1),
        nature=ClaimNature.EXPENSE,
        activity_kind="",
        hours=None,
    )
    # Not counted: submitted, validated, refused, another year.
    _claim(world.member, "999", ClaimStatus.SUBMITTED, datetime.date(year, 5, 1))
    _claim(world.member, "999", ClaimStatus.VALIDATED, datetime.date(year, 5, 1))
    _claim(world.member, "999", ClaimStatus.REFUSED, datetime.date(year, 5, 1))
    _claim(world.member, "999", ClaimStatus.PAID, datetime.date(year + 1, 1, 1))
    totals = year_totals(year)
    assert totals.total_amount == Decimal("235.44")
    assert totals.indemnity_amount == Decimal("180")
    assert totals.expense_amount == Decimal("55.44")
    assert totals.total_hours == Decimal("3")
    assert totals.members_paid == 2
    assert {label: amount for label, _h, amount in totals.by_mission} == {
        str(prevention.name): Decimal("120"),
        "Sans mission rattachée": Decimal("115.44"),
    }
    kinds = {label: (hours, amount) for label, hours, amount in totals.by_activity_kind}
    assert kinds["Réunion de groupe de travail"] == (Decimal("3"), Decimal("205.44"))
    assert kinds["Frais sur justificatif"] == (Decimal("0"), Decimal("30"))
    professions = {label: amount for label, _h, amount in totals.by_profession}
    assert professions[str(nurse.label)] == Decimal("85.44")


def test_pending_counts_payable_and_member_claims(world: World) -> None:
    day = timezone.localdate()
    _claim(world.member, "10", ClaimStatus.SUBMITTED, day)
    _claim(world.member, "20", ClaimStatus.VALIDATED, day)
    payable = _claim(world.member, "30", ClaimStatus.APPROVED, day)
    batch = PaymentBatch.objects.create(paid_on=day, label="Lot")
    _claim(world.member, "40", ClaimStatus.PAID, day, batch=batch)
    counts = pending_counts()
    assert (counts["submitted"], counts["submitted_amount"]) == (1, Decimal("10"))
    assert (counts["validated"], counts["validated_amount"]) == (1, Decimal("20"))
    assert (counts["approved"], counts["approved_amount"]) == (1, Decimal("30"))
    assert [c.pk for c in payable_claims()] == [payable.pk]
    assert member_claims(world.member).count() == 4
    assert member_claims(member_with_account()[0]).count() == 0
