"""The members' computed indicators (members/selectors/indicators.py) against a hand-counted
member base, period boundaries included, and their query counts (constant whatever the rows)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cpts.indicator_registry import Value, as_breakdown, registered_indicators
from members.models import Adhesion, Member, Payment, Profession
from members.models.adhesions import PaymentKind, PaymentMethod
from members.models.members import MemberStatus
from members.selectors.indicators import (
    members_active,
    members_new,
    members_up_to_date,
    members_up_to_date_share,
)
from tests.factories import CollegeFactory, MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def part(value: Value, key: str = "") -> Decimal:
    """One breakdown of a computation's result (the total by default)."""
    return as_breakdown(value)[key]


D = Decimal
START = datetime.date(2025, 1, 1)
END = datetime.date(2025, 12, 31)

INF = "Profession : Infirmier(ère)"
MED = "Profession : Médecin généraliste"
ORG = "Profession : (structure)"
NO_PROFESSION = "Profession : (non renseignée)"
LIB = "Collège : Libéraux de santé"
STRUCT = "Collège : Structures"
NO_COLLEGE = "Collège : (aucun)"


def adhesion(member: Member, year: int, fee: str, *payments: tuple[str, str, str]) -> None:
    """An adhesion with its payments, each (kind, method, amount)."""
    row = Adhesion.objects.create(
        member=member, year=year, fee_due=D(fee), started_on=datetime.date(year, 1, 1)
    )
    for kind, method, amount in payments:
        Payment.objects.create(
            adhesion=row,
            kind=kind,
            method=method,
            amount=D(amount),
            paid_on=datetime.date(year, 2, 1),
        )


PAID = PaymentKind.PAYMENT
REFUND = PaymentKind.REFUND
CHEQUE = PaymentMethod.CHEQUE
EXONERATION = PaymentMethod.EXONERATION


@pytest.fixture
def base(association: Any) -> dict[str, Member]:
    """Ten members, hand-counted on 31/12/2025 (the end of calendar year 2025):
    active A B E F H J (6); up to date with the 2025 fee A E H (3); joined in 2025 B F (2)."""
    infirmier = Profession.objects.get(code="infirmier")
    medecin = Profession.objects.get(code="medecin_generaliste")
    liberaux = CollegeFactory.create(name="Libéraux de santé")
    structures = CollegeFactory.create(name="Structures")
    day = datetime.date

    def person(profession: Profession | None, college: Any, **fields: Any) -> Member:
        return MemberFactory.create(profession=profession, college=college, **fields)

    members = {
        # Active since 2024, fee paid in full: active, up to date.
        "A": person(infirmier, liberaux, joined_on=day(2024, 3, 1)),
        # Joined on the last day: active and new; half paid: not up to date.
        "B": person(infirmier, liberaux, joined_on=day(2025, 12, 31)),
        # Joined the day after the period: nothing, even exonerated for 2025.
        "C": person(medecin, liberaux, joined_on=day(2026, 1, 1)),
        # Departed the day before the last day: not active on it.
        "D": person(
            medecin,
            liberaux,
            joined_on=day(2020, 1, 1),
            status=MemberStatus.DEPARTED,
            departed_on=day(2025, 12, 30),
        ),
        # Departed on the last day: still active that day; exonerated: up to date.
        "E": person(
            medecin,
            None,
            joined_on=day(2020, 1, 1),
            status=MemberStatus.DEPARTED,
            departed_on=day(2025, 12, 31),
        ),
        # An organisation joined on the first day: active, new; refunded below the fee.
        "F": OrganisationFactory.create(college=structures, joined_on=day(2025, 1, 1)),
        # A candidate (even with a date) never counts.
        "G": person(infirmier, liberaux, joined_on=day(2025, 6, 1), status=MemberStatus.CANDIDATE),
        # Joined the day before the period, profession not filled in: active, not new.
        "H": person(None, liberaux, joined_on=day(2024, 12, 31)),
        # Only the 2024 fee paid: active, not up to date in 2025.
        "J": person(infirmier, liberaux, joined_on=day(2024, 1, 1)),
    }
    # A duplicate merged into A: never counted, though it joined in 2025.
    members["I"] = person(
        medecin,
        liberaux,
        joined_on=day(2025, 5, 1),
        status=MemberStatus.DEPARTED,
        departed_on=day(2026, 2, 1),
        merged_into=members["A"],
    )
    adhesion(members["A"], 2025, "20.00", (PAID, CHEQUE, "20.00"))
    adhesion(members["B"], 2025, "20.00", (PAID, CHEQUE, "10.00"))
    adhesion(members["C"], 2025, "20.00", (PAID, EXONERATION, "0.00"))
    adhesion(members["D"], 2025, "20.00", (PAID, CHEQUE, "20.00"))
    adhesion(members["E"], 2025, "20.00", (PAID, EXONERATION, "0.00"))
    adhesion(members["F"], 2025, "50.00", (PAID, CHEQUE, "60.00"), (REFUND, CHEQUE, "20.00"))
    adhesion(members["H"], 2025, "20.00", (PAID, CHEQUE, "25.00"))
    adhesion(members["I"], 2025, "20.00", (PAID, CHEQUE, "20.00"))
    adhesion(members["J"], 2024, "20.00", (PAID, CHEQUE, "20.00"))
    return members


def test_members_active_with_breakdowns(base: dict[str, Member]) -> None:
    assert members_active(START, END) == {
        "": 6,
        INF: 3,  # A B J
        MED: 1,  # E
        ORG: 1,  # F
        NO_PROFESSION: 1,  # H
        LIB: 4,  # A B H J
        STRUCT: 1,  # F
        NO_COLLEGE: 1,  # E
    }


def test_members_active_boundaries(base: dict[str, Member]) -> None:
    # On 30/12/2025 B has not joined yet, D and E are still there.
    assert part(members_active(START, datetime.date(2025, 12, 30))) == 6 - 1 + 1
    # On 01/01/2026 C has joined, E has left the day before.
    assert part(members_active(START, datetime.date(2026, 1, 1))) == 6 + 1 - 1
    # Only the end of the period matters.
    assert members_active(datetime.date(2025, 12, 31), END) == members_active(START, END)


def test_members_up_to_date_with_breakdowns(base: dict[str, Member]) -> None:
    assert members_up_to_date(START, END) == {
        "": 3,  # A E H
        INF: 1,
        MED: 1,
        ORG: 0,
        NO_PROFESSION: 1,
        LIB: 2,
        STRUCT: 0,
        NO_COLLEGE: 1,
    }


def test_members_up_to_date_uses_the_year_of_the_last_day(base: dict[str, Member]) -> None:
    # On 31/01/2026 nobody holds a settled 2026 adhesion.
    january = members_up_to_date(datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))
    assert part(january) == 0
    # J is up to date on the last day of 2024 (the 2024 fee is paid); A joined in March 2024
    # without a 2024 adhesion, H only on 31/12/2024 with a 2025 one.
    assert part(members_up_to_date(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))) == 1


def test_members_up_to_date_share(base: dict[str, Member]) -> None:
    assert members_up_to_date_share(START, END) == {
        "": D("50.00"),  # 3 / 6
        INF: D("33.33"),  # 1 / 3
        MED: D("100.00"),
        ORG: D("0.00"),
        NO_PROFESSION: D("100.00"),
        LIB: D("50.00"),  # 2 / 4
        STRUCT: D("0.00"),
        NO_COLLEGE: D("100.00"),
    }


def test_share_is_zero_without_members(association: Any) -> None:
    assert members_up_to_date_share(START, END) == {"": D("0.00")}
    assert members_active(START, END) == {"": 0}


def test_members_new(base: dict[str, Member]) -> None:
    # B (last day) and F (first day); not H (day before), C (day after), G (candidate),
    # I (merged duplicate), A D E J (earlier).
    assert members_new(START, END) == {"": 2, INF: 1, ORG: 1, LIB: 1, STRUCT: 1}
    assert members_new(datetime.date(2025, 1, 2), datetime.date(2025, 12, 30)) == {"": 0}
    # 2024: A (March), H (31/12) and J (January).
    assert part(members_new(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))) == 3


def test_long_college_name_fits_the_breakdown_column(association: Any) -> None:
    college = CollegeFactory.create(name="Collège des usagers " + "x" * 100)
    MemberFactory.create(college=college, joined_on=datetime.date(2025, 1, 1))
    keys = [key for key in as_breakdown(members_active(START, END)) if key.startswith("Collège")]
    assert keys == [("Collège : " + college.name)[:120]]
    assert len(keys[0]) == 120


def test_registered_with_french_labels() -> None:
    registry = registered_indicators()
    for code in ("members_active", "members_up_to_date", "members_new"):
        assert registry[code].unit == "count"
        assert registry[code].mission == ""
    share = registry["members_up_to_date_share"]
    assert share.unit == "percent"
    assert "à jour" in str(share.label)


def _queries(function: Any) -> int:
    with CaptureQueriesContext(connection) as context:
        function(START, END)
    return len(context.captured_queries)


def _grow(first: int, last: int) -> None:
    """Members number ``first`` to ``last - 1``: odd ones paid the full fee."""
    professions = list(Profession.objects.order_by("code")[:5])
    colleges = [CollegeFactory.create() for _index in range(3)]
    for index in range(first, last):
        member = MemberFactory.create(
            profession=professions[index % len(professions)],
            college=colleges[index % len(colleges)],
            joined_on=datetime.date(2025, 1 + index % 12, 1),
        )
        adhesion(member, 2025, "20.00", (PAID, CHEQUE, "20.00" if index % 2 else "5.00"))


@pytest.mark.parametrize(
    ("function", "total"),
    [
        (members_active, 30),
        (members_up_to_date, 15),  # every other member paid the full fee
        (members_up_to_date_share, D("50.00")),
        (members_new, 30),
    ],
)
def test_query_count_does_not_grow_with_members(
    association: Any, function: Any, total: Any
) -> None:
    _grow(0, 3)
    few = _queries(function)
    _grow(3, 30)
    assert part(function(START, END)) == total
    assert _queries(function) == few <= 3
