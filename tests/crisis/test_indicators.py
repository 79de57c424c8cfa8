"""The crisis indicators against hand counts, at the period's boundaries (Paris time)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from cpts.indicator_registry import registered_indicators
from crisis.selectors.indicators import hours, professionals_mobilised, shifts_filled
from crisis.services.rosters import sign_up
from tests.crisis.helpers import activation, member, need_of, paris, shift, site

pytestmark = pytest.mark.django_db
JAN_1 = datetime.date(2026, 1, 1)
JAN_31 = datetime.date(2026, 1, 31)


@pytest.fixture
def roster(association):
    where = site(activation(started_on=datetime.date(2025, 12, 1)))
    nurse_a, nurse_b, night_nurse, helper = member(), member(), member(), member("pharmacien")
    # 31/12 23:00 → 01/01 03:00: starts in December, not in January.
    night = shift(where, paris(2025, 12, 31, 23), hours=4, needs=[("infirmier", 1)])
    # 01/01 00:00 exactly: January's first instant.
    first = shift(where, paris(2026, 1, 1, 0), hours=2, needs=[("infirmier", 2), (None, 1)])
    # 31/01 23:30 → 01/02 01:00: still January.
    last = shift(
        where,
        paris(2026, 1, 31, 23, 30),
        hours=1.5,
        needs=[("infirmier", 1), ("medecin_generaliste", 1)],
    )
    # 01/02 00:00: February.
    february = shift(where, paris(2026, 2, 1, 0), hours=3, needs=[("infirmier", 1)])
    for person, s, code in (
        (night_nurse, night, "infirmier"),
        (nurse_a, first, "infirmier"),
        (nurse_b, first, "infirmier"),
        (helper, first, None),  # first: 3 of 3, filled
        (nurse_b, last, "infirmier"),  # last: 1 of 2, the GP is missing
        (nurse_a, february, "infirmier"),
    ):
        sign_up(person, need_of(s, code), force=True)
    return where


def test_professionals_mobilised_in_january(roster):
    # nurse_a (first), nurse_b (first, last), helper (first) = 3 people; by need filled.
    assert professionals_mobilised(JAN_1, JAN_31) == {"": 3, "Infirmier(ère)": 2, "Accueil": 1}
    assert professionals_mobilised(datetime.date(2025, 12, 31), datetime.date(2025, 12, 31)) == {
        "": 1,
        "Infirmier(ère)": 1,
    }


def test_shifts_filled_in_january(roster):
    assert shifts_filled(JAN_1, JAN_31) == {"": 1, "Créneaux proposés": 2}
    assert shifts_filled(datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)) == {
        "": 1,
        "Créneaux proposés": 1,
    }


def test_hours_in_january(roster):
    # first: 3 people for 2 h = 6 h; last: 1 person for 1.5 h.
    assert hours(JAN_1, JAN_31) == {
        "": Decimal("7.50"),
        "Infirmier(ère)": Decimal("5.50"),
        "Accueil": Decimal("2.00"),
    }
    assert hours(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)) == {"": Decimal("0.00")}


def test_the_indicators_are_registered_for_the_crisis_mission():
    registry = registered_indicators()
    for code in ("crisis_professionals_mobilised", "crisis_shifts_filled", "crisis_hours"):
        assert registry[code].mission == "crise"
    assert registry["crisis_hours"].unit == "hours"
