"""The computed indicator ``claims_hours_declared`` against a hand count."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from claims.models import ActivityKind, Claim, ClaimNature, ClaimStatus
from cpts.indicator_registry import registered_indicators
from missions.models import Mission
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_hours_declared_by_mission(association: Any) -> None:
    member = MemberFactory.create()
    prevention = Mission.objects.get(key="prevention")
    rows = [
        ("2.5", ClaimStatus.PAID, datetime.date(2025, 2, 1), prevention, ClaimNature.INDEMNITY),
        ("1.5", ClaimStatus.APPROVED, datetime.date(2025, 6, 1), prevention, ClaimNature.INDEMNITY),
        ("3", ClaimStatus.APPROVED, datetime.date(2025, 6, 2), None, ClaimNature.INDEMNITY),
        ("9", ClaimStatus.VALIDATED, datetime.date(2025, 6, 2), None, ClaimNature.INDEMNITY),
        ("9", ClaimStatus.PAID, datetime.date(2024, 12, 31), None, ClaimNature.INDEMNITY),
        ("9", ClaimStatus.PAID, datetime.date(2025, 6, 2), None, ClaimNature.MILEAGE),
    ]
    for hours, status, day, mission, nature in rows:
        Claim.objects.create(
            member=member,
            nature=nature,
            activity_kind=ActivityKind.GROUP_MEETING,
            date=day,
            hours=Decimal(hours),
            amount=Decimal("10"),
            status=status,
            mission=mission,
        )
    indicator = registered_indicators()["claims_hours_declared"]
    assert indicator.unit == "hours"
    value = indicator.function(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert value == {
        "": Decimal("7"),  # 2,5 + 1,5 + 3, counted by hand
        str(prevention.name): Decimal("4"),
        "Sans mission rattachée": Decimal("3"),
    }
