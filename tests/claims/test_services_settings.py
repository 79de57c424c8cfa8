"""Bank details (IBAN checked with schwifty) and the bureau's tariffs, mileage scale, PASS."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import rules
from claims.models import ActivityKind, RateBasis
from claims.services import set_bank_account, set_mileage_rate, set_pass, set_tariff
from tests.claims.conftest import World

pytestmark = pytest.mark.django_db


def test_bank_account_is_normalised(world: World) -> None:
    account = set_bank_account(
        world.member,
        by=world.user,
        holder="Claire  Bernard",
        iban="fr76 3000 6000 0112 3456 7890 189",
    )
    assert account.iban == "FR7630006000011234567890189"
    assert account.holder == "Claire Bernard"
    assert account.masked_iban == "FR76 •••• 0189"
    again = set_bank_account(
        world.member, by=world.user, holder="C. Bernard", iban=account.iban, bic="AGRIFRPP"
    )
    assert again.pk == account.pk and again.bic == "AGRIFRPP"


@pytest.mark.parametrize(
    ("iban", "bic", "field"),
    [
        ("FR7630006000011234567890188", "", "iban"),
        ("nope", "", "iban"),
        ("", "", "iban"),
        ("FR7630006000011234567890189", "XX", "bic"),
    ],
)
def test_bad_bank_details(world: World, iban: str, bic: str, field: str) -> None:
    with pytest.raises(ValidationError) as error:
        set_bank_account(world.member, by=world.user, holder="Claire", iban=iban, bic=bic)
    assert field in error.value.message_dict


def test_only_the_member_or_the_treasury_sets_bank_details(world: World) -> None:
    with pytest.raises(PermissionDenied):
        set_bank_account(
            world.member, by=world.referent, holder="X", iban="FR7630006000011234567890189"
        )
    set_bank_account(
        world.member, by=world.tresorier, holder="X", iban="FR7630006000011234567890189"
    )


def test_tariffs_mileage_and_pass(world: World) -> None:
    tariff = set_tariff(
        by=world.tresorier,
        activity_kind=ActivityKind.GROUP_MEETING,
        basis=RateBasis.HOURLY,
        amount="65,50",
        valid_from=datetime.date(2026, 9, 1),
    )
    assert tariff.amount == Decimal("65.50")
    assert rules.tariff_for(ActivityKind.GROUP_MEETING, datetime.date(2026, 9, 2), None) == tariff
    assert rules.tariff_for(
        ActivityKind.GROUP_MEETING, datetime.date(2026, 8, 31), None
    ).amount == Decimal("60")
    rate = set_mileage_rate(by=world.tresorier, per_km="0,65", valid_from=datetime.date(2026, 1, 1))
    assert rate.per_km == Decimal("0.650")
    set_pass(2027, "49000", by=world.tresorier)
    assert rules.pass_amount(2027) == Decimal("49000.00")
    assert rules.pass_amount(2025) == Decimal("47100.00")


@pytest.mark.parametrize("amount", ["-1", "0", "abc", "5000"])
def test_bad_tariffs(world: World, amount: str) -> None:
    with pytest.raises(ValidationError) as error:
        set_tariff(
            by=world.tresorier,
            activity_kind=ActivityKind.TRAINING,
            basis=RateBasis.HOURLY,
            amount=amount,
            valid_from=datetime.date(2026, 1, 1),
        )
    assert "amount" in error.value.message_dict


def test_tariffs_need_the_permission(world: World) -> None:
    with pytest.raises(PermissionDenied):
        set_pass(2027, "49000", by=world.referent)
    with pytest.raises(ValidationError):
        set_pass(2027, "490", by=world.coordinator)
