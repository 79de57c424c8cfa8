import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import Adhesion, FeeRule, Member
from members.models.adhesions import PaymentMethod
from members.models.reference import MemberKind
from members.selectors.fees import (
    adhesions_with_balance,
    fee_for,
    is_up_to_date,
    with_fee_status,
)
from members.services.adhesions import ensure_adhesion, record_payment, record_refund
from tests.factories import CollegeFactory, MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
D = Decimal
JAN = datetime.date(2026, 1, 15)


@pytest.fixture
def schedule():
    usagers = CollegeFactory.create(name="Usagers et élus", code="usagers", is_voting=False)
    FeeRule.objects.create(year=2026, amount=D("20.00"))
    FeeRule.objects.create(year=2026, member_kind=MemberKind.ORGANISATION, amount=D("50.00"))
    FeeRule.objects.create(year=2026, college=usagers, amount=D("0.00"))
    return usagers


def test_the_most_specific_fee_rule_wins(schedule):
    assert fee_for(MemberFactory.create(), 2026) == D("20.00")
    assert fee_for(OrganisationFactory.create(), 2026) == D("50.00")
    assert fee_for(MemberFactory.create(college=schedule), 2026) == D("0.00")
    assert fee_for(MemberFactory.create(), 2025) is None


def test_a_fee_rule_targets_one_thing_and_is_unique(schedule):
    with pytest.raises(IntegrityError), transaction.atomic():
        FeeRule.objects.create(year=2026, amount=D("30.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        FeeRule.objects.create(
            year=2026, college=schedule, member_kind=MemberKind.PERSON, amount=D("1.00")
        )


def test_adhesion_without_schedule_is_refused_in_french():
    with pytest.raises(ValidationError, match="Aucun barème de cotisation"):
        ensure_adhesion(MemberFactory.create(), 2031)


def test_partial_payments_add_up_and_refunds_subtract(schedule):
    member = MemberFactory.create()
    adhesion = ensure_adhesion(member, 2026)
    assert ensure_adhesion(member, 2026) == adhesion  # idempotent
    assert not is_up_to_date(member, JAN)
    record_payment(adhesion, amount=D("12.00"), method=PaymentMethod.CHEQUE, paid_on=JAN)
    assert not is_up_to_date(member, JAN)
    record_payment(adhesion, amount=D("8.00"), method=PaymentMethod.VIREMENT, paid_on=JAN)
    assert is_up_to_date(member, JAN)
    assert not is_up_to_date(member, datetime.date(2027, 1, 1))  # a new year, a new fee
    record_refund(adhesion, amount=D("5.00"), method=PaymentMethod.VIREMENT, paid_on=JAN)
    assert adhesions_with_balance().get(pk=adhesion.pk).paid == D("15.00")
    assert not is_up_to_date(member, JAN)


def test_refund_cannot_exceed_what_was_paid(schedule):
    adhesion = ensure_adhesion(MemberFactory.create(), 2026)
    record_payment(adhesion, amount=D("20.00"), method=PaymentMethod.CARTE, paid_on=JAN)
    with pytest.raises(ValidationError, match="dépasse le montant payé"):
        record_refund(adhesion, amount=D("25.00"), method=PaymentMethod.CARTE, paid_on=JAN)
    with pytest.raises(ValidationError):
        record_payment(adhesion, amount=D("-3"), method=PaymentMethod.CHEQUE, paid_on=JAN)


def test_exoneration_and_free_fees_count_as_up_to_date(schedule):
    exonerated = MemberFactory.create()
    record_payment(
        ensure_adhesion(exonerated, 2026),
        amount=D("99"),
        method=PaymentMethod.EXONERATION,
        paid_on=JAN,
    )
    usager = MemberFactory.create(college=schedule)
    ensure_adhesion(usager, 2026)
    assert is_up_to_date(exonerated, JAN) and is_up_to_date(usager, JAN)
    assert Adhesion.objects.get(member=exonerated).payments.get().amount == D("0.00")


def test_fee_status_is_one_query_for_any_number_of_members(schedule, django_assert_num_queries):
    for _ in range(5):
        member = MemberFactory.create()
        record_payment(
            ensure_adhesion(member, 2026),
            amount=D("20"),
            method=PaymentMethod.CHEQUE,
            paid_on=JAN,
        )
    MemberFactory.create()
    with django_assert_num_queries(1):
        flags = list(
            with_fee_status(Member.objects.all(), JAN).values_list("is_up_to_date", flat=True)
        )
    assert sorted(flags) == [False] + [True] * 5
