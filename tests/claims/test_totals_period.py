"""Totals of any period (a contract year is not a calendar year): the boundaries are included,
paid and approved-not-paid are told apart, the calendar year, the hours indicator and the
period share one computation, with a constant number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pytest

from claims import rules
from claims.models import ActivityKind, Claim, ClaimNature, ClaimStatus
from claims.selectors import (
    PeriodTotals,
    YearTotals,
    cap_summary,
    members_near_cap,
    period_totals,
    year_totals,
)
from claims.selectors.indicators import hours_declared
from members.models import Member
from missions.models import Mission
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 7, 1)
END = datetime.date(2026, 6, 30)
DAY = datetime.timedelta(days=1)


def _claim(
    member: Member,
    amount: str,
    day: datetime.date,
    status: str = ClaimStatus.APPROVED,
    **extra: Any,
) -> Claim:
    fields: dict[str, Any] = {
        "nature": ClaimNature.INDEMNITY,
        "activity_kind": ActivityKind.GROUP_MEETING,
        "hours": Decimal("2"),
    }
    fields.update(extra)
    return Claim.objects.create(
        member=member, date=day, amount=Decimal(amount), status=status, **fields
    )


def test_a_claim_on_the_first_and_on_the_last_day_counts_the_days_around_do_not() -> None:
    member = MemberFactory.create()
    other = MemberFactory.create()
    _claim(member, "100", START)
    _claim(other, "40", END, ClaimStatus.PAID)
    _claim(member, "1000", START - DAY)
    _claim(member, "2000", END + DAY, ClaimStatus.PAID)
    totals = period_totals(START, END)
    assert (totals.start, totals.end) == (START, END)
    assert totals.total_amount == Decimal("140")
    assert totals.total_hours == Decimal("4")
    assert totals.members_paid == 2
    assert totals.paid_amount == Decimal("40")
    assert totals.approved_unpaid_amount == Decimal("100")
    # One day narrower on each side: only what falls inside is left.
    assert period_totals(START + DAY, END).total_amount == Decimal("40")
    assert period_totals(START, END - DAY).total_amount == Decimal("100")
    assert period_totals(START + DAY, END - DAY).is_empty


def test_only_approved_and_paid_claims_count_and_natures_are_split() -> None:
    member = MemberFactory.create()
    prevention = Mission.objects.get(key="prevention")
    day = datetime.date(2025, 9, 15)
    _claim(member, "120", day, ClaimStatus.PAID, mission=prevention)
    _claim(
        member,
        "25.44",
        day,
        nature=ClaimNature.MILEAGE,
        hours=None,
        km=Decimal("40"),
        mission=prevention,
    )
    _claim(member, "30", day, ClaimStatus.PAID, nature=ClaimNature.EXPENSE, activity_kind="")
    for status in (ClaimStatus.SUBMITTED, ClaimStatus.VALIDATED, ClaimStatus.REFUSED):
        _claim(member, "999", day, status)
    totals = period_totals(START, END)
    assert totals.total_amount == Decimal("175.44")
    assert totals.indemnity_amount == Decimal("120")
    assert totals.expense_amount == Decimal("55.44")
    assert totals.paid_amount == Decimal("150")
    assert totals.approved_unpaid_amount == Decimal("25.44")
    # Hours are the indemnities' (the expense's ``hours`` is not time worked).
    assert totals.total_hours == Decimal("2")
    assert totals.by_mission[0] == (str(prevention.name), Decimal("2"), Decimal("145.44"))
    assert totals.by_mission[1] == ("Sans mission rattachée", Decimal("0"), Decimal("30"))


def test_the_row_without_a_label_comes_last_whatever_its_amount() -> None:
    member = MemberFactory.create(profession=None)
    nurse = MemberFactory.create()
    prevention = Mission.objects.get(key="prevention")
    _claim(member, "900", START)
    _claim(nurse, "10", START, mission=prevention)
    _claim(nurse, "20", START, activity_kind=ActivityKind.TRAINING)
    totals = period_totals(START, END)
    assert [label for label, _h, _a in totals.by_mission] == [
        str(prevention.name),
        "Sans mission rattachée",
    ]
    assert [amount for _l, _h, amount in totals.by_activity_kind] == [
        Decimal("910"),
        Decimal("20"),
    ]
    assert totals.by_profession[-1] == ("Profession non renseignée", Decimal("2"), Decimal("900"))


def test_the_calendar_year_is_the_period_from_january_to_december() -> None:
    member = MemberFactory.create()
    _claim(member, "10", datetime.date(2025, 1, 1))
    _claim(member, "20", datetime.date(2025, 12, 31), ClaimStatus.PAID)
    _claim(member, "40", datetime.date(2024, 12, 31))
    _claim(member, "80", datetime.date(2026, 1, 1))
    year = year_totals(2025)
    assert YearTotals is PeriodTotals
    assert year == period_totals(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert (year.year, year.total_amount, year.paid_amount) == (2025, Decimal("30"), Decimal("20"))


def test_the_hours_indicator_reads_the_period_totals() -> None:
    member = MemberFactory.create()
    prevention = Mission.objects.get(key="prevention")
    _claim(member, "70", START, hours=Decimal("1.5"), mission=prevention)
    _claim(member, "60", END, hours=Decimal("1"))
    _claim(member, "30", END, nature=ClaimNature.EXPENSE, activity_kind="", hours=None)
    _claim(member, "60", END + DAY, hours=Decimal("9"))
    value = hours_declared(START, END)
    assert isinstance(value, Mapping)
    totals = period_totals(START, END)
    assert value[""] == totals.total_hours == Decimal("2.5")
    assert dict(value) == {
        "": Decimal("2.5"),
        str(prevention.name): Decimal("1.5"),
        "Sans mission rattachée": Decimal("1"),
    }


@pytest.mark.parametrize("size", [2, 30])
def test_period_totals_constant_queries(size: int, django_assert_num_queries: Any) -> None:
    missions = list(Mission.objects.all()[:3])
    for index in range(size):
        member = MemberFactory.create()
        _claim(member, "50", START + DAY * index, mission=missions[index % len(missions)])
    with django_assert_num_queries(4):
        totals = period_totals(START, END)
    assert totals.members_paid == size


def test_cap_summary_counts_members_near_and_over_the_pass(django_assert_num_queries: Any) -> None:
    year = 2025
    ceiling = rules.pass_amount(year)
    day = datetime.date(year, 5, 2)
    near, over, low = (MemberFactory.create() for _index in range(3))
    _claim(near, str(ceiling * Decimal("0.85")), day, ClaimStatus.PAID)
    _claim(over, str(ceiling), day, ClaimStatus.PAID)
    _claim(over, "10", day)  # recorded before a lower PASS, say
    _claim(low, str(ceiling / 2), day)
    # Expenses are not indemnities, other years and unapproved claims do not count.
    _claim(low, "4000", day, nature=ClaimNature.EXPENSE, activity_kind="", hours=None)
    _claim(low, str(ceiling), datetime.date(year + 1, 1, 1))
    _claim(low, str(ceiling), day, ClaimStatus.VALIDATED)
    with django_assert_num_queries(2):  # the PASS recorded (none here), the totals
        summary = cap_summary(year)
    assert (summary.year, summary.pass_amount) == (year, ceiling)
    assert (summary.near, summary.over, summary.respected) == (1, 1, False)
    assert summary.near + summary.over == len(members_near_cap(year))
    assert cap_summary(year - 1).respected and cap_summary(year - 1).near == 0
