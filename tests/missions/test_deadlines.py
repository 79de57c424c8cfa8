"""Pure date rules of the contract: years, deadlines, mission states and alerts, at their
exact boundaries; the national amounts by taille."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest

from missions.aci import ceiling_for, default_fonctionnement, fonctionnement_for
from missions.deadlines import (
    DEPLOYED,
    LATE,
    NOT_STARTED,
    OVERDUE,
    SOON,
    STARTED,
    add_months,
    alert_level,
    all_year_dates,
    deployment_deadline,
    mission_schedule,
    mission_state,
    start_deadline,
    year_dates,
)


@dataclass(frozen=True)
class CatalogueMission:
    start_months: int | None
    deployed_months: int | None


ACCES = CatalogueMission(6, 18)
OPTIONAL = CatalogueMission(None, None)
SIGNED = date(2024, 1, 15)  # start deadline 15/07/2024, deployment deadline 15/07/2025


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 15), 6, date(2024, 7, 15)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # leap February
        (date(2022, 8, 31), 6, date(2023, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 10, 31), 18, date(2026, 4, 30)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
    ],
)
def test_add_months_is_end_of_month_safe(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_five_years_from_anniversary_to_the_day_before_the_next() -> None:
    years = all_year_dates(date(2023, 3, 15))
    assert years == [
        (date(2023, 3, 15), date(2024, 3, 14)),
        (date(2024, 3, 15), date(2025, 3, 14)),
        (date(2025, 3, 15), date(2026, 3, 14)),
        (date(2026, 3, 15), date(2027, 3, 14)),
        (date(2027, 3, 15), date(2028, 3, 14)),
    ]


def test_years_of_a_contract_signed_on_29_february() -> None:
    years = all_year_dates(date(2024, 2, 29))
    assert years == [
        (date(2024, 2, 29), date(2025, 2, 27)),
        (date(2025, 2, 28), date(2026, 2, 27)),
        (date(2026, 2, 28), date(2027, 2, 27)),
        (date(2027, 2, 28), date(2028, 2, 28)),
        (date(2028, 2, 29), date(2029, 2, 27)),
    ]
    # Consecutive years touch without gap or overlap.
    for (_, end), (next_start, _) in pairwise(years):
        assert (next_start - end).days == 1


def test_year_of_a_contract_signed_on_1_january() -> None:
    assert year_dates(date(2024, 1, 1), 1) == (date(2024, 1, 1), date(2024, 12, 31))


def test_deadlines_from_the_catalogue_months() -> None:
    assert start_deadline(SIGNED, ACCES) == date(2024, 7, 15)
    assert deployment_deadline(SIGNED, ACCES) == date(2025, 7, 15)
    assert start_deadline(SIGNED, OPTIONAL) is None
    assert deployment_deadline(SIGNED, OPTIONAL) is None


@pytest.mark.parametrize(
    ("on", "started_on", "deployed_on", "state"),
    [
        (date(2024, 7, 15), None, None, NOT_STARTED),  # the deadline day is still in time
        (date(2024, 7, 16), None, None, LATE),
        (date(2024, 7, 16), date(2024, 7, 16), None, STARTED),  # started late, now in time
        (date(2025, 7, 15), date(2024, 3, 1), None, STARTED),
        (date(2025, 7, 16), date(2024, 3, 1), None, LATE),
        (date(2025, 7, 16), date(2024, 3, 1), date(2025, 7, 16), DEPLOYED),
        (date(2030, 1, 1), date(2024, 3, 1), date(2026, 1, 1), DEPLOYED),  # late but done
        # Dates recorded in advance do not count before they come.
        (date(2024, 2, 1), date(2024, 3, 1), None, NOT_STARTED),
        (date(2024, 3, 1), date(2024, 3, 1), date(2024, 6, 1), STARTED),
    ],
)
def test_mission_state(
    on: date, started_on: date | None, deployed_on: date | None, state: str
) -> None:
    assert mission_state(on, SIGNED, ACCES, started_on, deployed_on) == state


def test_optional_mission_is_never_late() -> None:
    assert mission_state(date(2040, 1, 1), SIGNED, OPTIONAL, None, None) == NOT_STARTED
    assert mission_state(date(2040, 1, 1), SIGNED, OPTIONAL, date(2024, 2, 1), None) == STARTED
    assert alert_level(date(2040, 1, 1), SIGNED, OPTIONAL, None, None) is None


@pytest.mark.parametrize(
    ("on", "started_on", "deployed_on", "alert"),
    [
        # Start deadline 15/07/2024: 60 days before is 16/05/2024.
        (date(2024, 5, 15), None, None, None),
        (date(2024, 5, 16), None, None, SOON),
        (date(2024, 7, 15), None, None, SOON),
        (date(2024, 7, 16), None, None, OVERDUE),
        # Started: the deployment deadline 15/07/2025 counts, 60 days before is 16/05/2025.
        (date(2024, 7, 1), date(2024, 6, 1), None, None),
        (date(2025, 5, 15), date(2024, 6, 1), None, None),
        (date(2025, 5, 16), date(2024, 6, 1), None, SOON),
        (date(2025, 7, 15), date(2024, 6, 1), None, SOON),
        (date(2025, 7, 16), date(2024, 6, 1), None, OVERDUE),
        # Deployed: nothing more to watch.
        (date(2025, 7, 16), date(2024, 6, 1), date(2025, 1, 1), None),
        (date(2024, 7, 10), date(2024, 6, 1), date(2024, 7, 10), None),
    ],
)
def test_alert_level(
    on: date, started_on: date | None, deployed_on: date | None, alert: str | None
) -> None:
    assert alert_level(on, SIGNED, ACCES, started_on, deployed_on) == alert


def test_schedule_gathers_everything() -> None:
    schedule = mission_schedule(date(2024, 6, 1), SIGNED, ACCES, None, None)
    assert schedule.start_deadline == date(2024, 7, 15)
    assert schedule.deployment_deadline == date(2025, 7, 15)
    assert schedule.state == NOT_STARTED
    assert schedule.alert == SOON
    assert schedule.next_deadline == date(2024, 7, 15)
    started = mission_schedule(date(2024, 6, 1), SIGNED, ACCES, date(2024, 5, 1), None)
    assert started.next_deadline == date(2025, 7, 15)
    assert started.alert is None


@dataclass
class _Contract:
    taille: str


@dataclass
class _Year:
    start: date
    fonctionnement: Decimal | None
    contract: _Contract


@pytest.mark.parametrize(
    ("taille", "amount"),
    [("T1", "50000"), ("T2", "60000"), ("T3", "75000"), ("T4", "90000")],
)
def test_fonctionnement_by_taille(taille: str, amount: str) -> None:
    assert default_fonctionnement(taille) == Decimal(amount)
    year = _Year(date(2024, 1, 1), None, _Contract(taille))
    assert fonctionnement_for(year) == Decimal(amount)


def test_fonctionnement_override_wins_even_at_zero() -> None:
    assert fonctionnement_for(_Year(date(2024, 1, 1), Decimal("105000"), _Contract("T2"))) == (
        Decimal("105000")
    )
    assert fonctionnement_for(_Year(date(2024, 1, 1), Decimal("0"), _Contract("T2"))) == 0


def test_ceilings() -> None:
    assert ceiling_for("T1", date(2024, 1, 1)) == Decimal("220000")
    assert ceiling_for("T2", date(2024, 1, 1)) == Decimal("287000")
    assert ceiling_for("T3", date(2024, 1, 1)) == Decimal("370000")
    assert ceiling_for("T4", date(2021, 12, 19)) == Decimal("450000")
    assert ceiling_for("T4", date(2021, 12, 20)) == Decimal("580000")
