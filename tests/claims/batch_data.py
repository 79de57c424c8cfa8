"""A paid batch of two members' claims, shared by the export tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

from claims.models import ActivityKind, BankAccount, Claim, ClaimNature, ClaimStatus, PaymentBatch
from members.models import Member
from tests.factories import MemberFactory

PAID_ON = datetime.date(2026, 3, 31)


def paid_batch(*, with_ibans: bool = True) -> tuple[PaymentBatch, Member, Member]:
    batch = PaymentBatch.objects.create(paid_on=PAID_ON, label="Indemnités mars 2026")
    first = MemberFactory.create(first_name="Anne", last_name="Durand")
    second = MemberFactory.create(first_name="Marc", last_name="Petit")
    Claim.objects.create(
        member=first,
        nature=ClaimNature.INDEMNITY,
        activity_kind=ActivityKind.GROUP_MEETING,
        date=datetime.date(2026, 3, 3),
        hours=Decimal("2"),
        amount=Decimal("1234.56"),
        status=ClaimStatus.PAID,
        batch=batch,
    )
    Claim.objects.create(
        member=first,
        nature=ClaimNature.MILEAGE,
        activity_kind=ActivityKind.GROUP_MEETING,
        date=datetime.date(2026, 3, 3),
        km=Decimal("40"),
        amount=Decimal("25.44"),
        status=ClaimStatus.PAID,
        batch=batch,
    )
    Claim.objects.create(
        member=second,
        nature=ClaimNature.EXPENSE,
        date=datetime.date(2026, 3, 9),
        amount=Decimal("30.00"),
        status=ClaimStatus.PAID,
        batch=batch,
    )
    BankAccount.objects.create(
        member=first, holder="Anne Durand", iban="FR7630006000011234567890189"
    )
    if with_ibans:
        BankAccount.objects.create(
            member=second, holder="Marc Petit", iban="DE89370400440532013000", bic="COBADEFFXXX"
        )
    return batch, first, second
