"""Membership statistics (members/selectors/statistics.py) against hand-counted fixtures,
period boundaries included, and their constant number of queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cpts.models import Association
from members.models import Adhesion, Member, MembershipRequest, Profession
from members.models.joining import RequestStatus
from members.models.members import MemberStatus
from members.selectors.statistics import (
    fee_summary,
    member_counts,
    members_by_profession,
    members_over_time,
    month_ends,
    pending_requests,
    year_ends,
)
from members.services.adhesions import record_payment, record_refund
from tests.factories import MemberFactory, OrganisationFactory

D = Decimal
pytestmark = pytest.mark.django_db


def _adhesion(member: Member, year: int, fee: str, paid: str = "0") -> Adhesion:
    adhesion = Adhesion.objects.create(
        member=member, year=year, fee_due=D(fee), started_on=date(year, 1, 15)
    )
    if D(paid):
        record_payment(adhesion, amount=D(paid), method="virement", paid_on=date(year, 2, 1))
    return adhesion


@pytest.fixture
def members(association: Association) -> dict[str, Member]:
    """A: joined 10/01/2025, fee 2026 paid in full. B: joined 01/06/2025, fee 2026 half paid.
    C: joined 01/03/2026, exonerated in 2026. D: joined 2024, departed 15/02/2026.
    E: a candidate. F: joined 02/03/2026, no adhesion. G: an MSP joined 2024, fee 2026 of
    15 € paid 25 € then refunded 5 €; its 2025 adhesion (10 €, paid) belongs to 2025."""
    nurse = Profession.objects.get(code="infirmier")
    rows = {
        "A": MemberFactory.create(joined_on=date(2025, 1, 10)),
        "B": MemberFactory.create(joined_on=date(2025, 6, 1), profession=nurse),
        "C": MemberFactory.create(joined_on=date(2026, 3, 1), profession=nurse),
        "D": MemberFactory.create(
            joined_on=date(2024, 1, 1),
            status=MemberStatus.DEPARTED,
            departed_on=date(2026, 2, 15),
        ),
        "E": MemberFactory.create(joined_on=date(2025, 1, 1), status=MemberStatus.CANDIDATE),
        "F": MemberFactory.create(joined_on=date(2026, 3, 2), profession=None),
        "G": OrganisationFactory.create(joined_on=date(2024, 5, 1)),
    }
    _adhesion(rows["A"], 2026, "20", "20")
    _adhesion(rows["B"], 2026, "20", "10")
    exonerated = _adhesion(rows["C"], 2026, "20")
    record_payment(exonerated, amount=D("0"), method="exoneration", paid_on=date(2026, 3, 1))
    msp = _adhesion(rows["G"], 2026, "15", "25")
    record_refund(msp, amount=D("5"), method="virement", paid_on=date(2026, 3, 5))
    _adhesion(rows["G"], 2025, "10", "10")
    return rows


def test_member_counts(members: dict[str, Member]) -> None:
    # 01/03/2026: A, B, C, G belong (D left on 15/02, E is a candidate, F joins the next
    # day); A, C (exonerated) and G (paid 20 of 15) are up to date.
    counts = member_counts(date(2026, 3, 1))
    assert (counts.active, counts.up_to_date) == (4, 3)
    assert counts.up_to_date_percent == D("75.0")
    # 02/03/2026: F joins, without an adhesion.
    counts = member_counts(date(2026, 3, 2))
    assert (counts.active, counts.up_to_date) == (5, 3)
    assert counts.up_to_date_percent == D("60.0")
    # 15/02/2026: D still belongs on the day it left, and is not up to date.
    assert member_counts(date(2026, 2, 15)).active == 4  # A, B, D, G


def test_member_counts_without_members(association: Association) -> None:
    counts = member_counts(date(2026, 3, 1))
    assert (counts.active, counts.up_to_date, counts.up_to_date_percent) == (0, 0, None)


def test_members_over_time_boundaries(members: dict[str, Member]) -> None:
    days = [
        date(2024, 12, 31),  # D (joined 2024), G
        date(2025, 1, 10),  # A joins that day
        date(2026, 2, 15),  # D's last day
        date(2026, 2, 16),
        date(2026, 2, 28),
        date(2026, 3, 1),  # C joins
        date(2026, 3, 2),  # F joins
    ]
    assert members_over_time(days) == [
        (date(2024, 12, 31), 2),
        (date(2025, 1, 10), 3),
        (date(2026, 2, 15), 4),
        (date(2026, 2, 16), 3),
        (date(2026, 2, 28), 3),
        (date(2026, 3, 1), 4),
        (date(2026, 3, 2), 5),
    ]
    assert members_over_time([]) == []


def test_members_over_time_is_one_query(members: dict[str, Member]) -> None:
    with CaptureQueriesContext(connection) as queries:
        members_over_time(month_ends(date(2026, 3, 15), 24))
    assert len(queries) == 1


def test_month_and_year_ends() -> None:
    assert month_ends(date(2026, 3, 15), 3) == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 15),
    ]
    assert month_ends(date(2026, 1, 31), 2) == [date(2025, 12, 31), date(2026, 1, 31)]
    assert month_ends(date(2024, 3, 1), 2) == [date(2024, 2, 29), date(2024, 3, 1)]
    ends = month_ends(date(2026, 3, 15))
    assert len(ends) == 24 and ends[0] == date(2024, 4, 30)
    assert year_ends(date(2026, 3, 15), 3) == [
        date(2024, 12, 31),
        date(2025, 12, 31),
        date(2026, 3, 15),
    ]


def test_members_by_profession(members: dict[str, Member]) -> None:
    # 02/03/2026: A (GP), B and C (nurses), F (no profession), G (an MSP).
    rows = members_by_profession(date(2026, 3, 2))
    assert rows == [
        ("Infirmier(ère)", 2),
        ("Médecin généraliste", 1),
        ("Profession non renseignée", 1),
        ("Structures", 1),
    ]
    assert members_by_profession(date(2026, 3, 2), keep=1) == [
        ("Infirmier(ère)", 2),
        ("Autres professions", 3),
    ]
    # keep=3 leaves four rows: grouping a single row under "Autres" would hide its name.
    assert len(members_by_profession(date(2026, 3, 2), keep=3)) == 4


def test_fee_summary(members: dict[str, Member]) -> None:
    # Expected: A 20 + B 20 + G 15 (C exonerated) = 55. Collected: 20 + 10 + 0 + (25 - 5) = 50.
    fees = fee_summary(2026)
    assert (fees.adhesions, fees.settled) == (4, 3)
    assert (fees.expected, fees.collected) == (D("55.00"), D("50.00"))
    assert fees.outstanding == D("5.00")
    assert fees.collected_percent == D("90.9")
    previous = fee_summary(2025)
    assert (previous.expected, previous.collected, previous.adhesions) == (D("10"), D("10"), 1)
    empty = fee_summary(2027)
    assert (empty.expected, empty.collected, empty.collected_percent) == (D("0"), D("0"), None)


def test_pending_requests(association: Association) -> None:
    for index, status in enumerate(
        [RequestStatus.PENDING, RequestStatus.PENDING, RequestStatus.DECLINED]
    ):
        MembershipRequest.objects.create(
            last_name=f"Nom {index}",
            email=f"demande{index}@exemple.fr",
            status=status,
            decline_reason="Hors territoire" if status == RequestStatus.DECLINED else "",
        )
    assert pending_requests() == 2
