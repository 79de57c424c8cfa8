"""Early renewals of the governance demo (see ``governance.demo``): voting rights at an AG
follow the fee of the meeting's year, so when the next demo AG falls in January, most members
up to date today have already renewed for the new year, as treasurers see at each year's end."""

from __future__ import annotations

import datetime
import random

from members.models import Adhesion, FeeRule, Payment
from members.models.adhesions import PaymentKind, PaymentMethod
from members.models.members import MemberStatus
from members.selectors.fees import adhesions_with_balance

SEED = 2026_06
RENEWAL_SHARE = 0.9


def _renews_early(member_id: int, year: int) -> bool:
    """Whether a member renewed for ``year`` before it began (about nine in ten do); decided
    by the member and the year alone, so a second run picks the same members."""
    return random.Random(f"{SEED}-{year}-{member_id}").random() < RENEWAL_SHARE


def seed_early_renewals(year: int, today: datetime.date) -> int:
    """Voting rights at an AG follow the fee of the meeting's year: when the next AG falls
    next year, most members up to date today have already renewed for it (the fee schedule
    carried over, the adhesion starting on 1 January, paid in the last weeks). Returns the
    number of adhesions created; nothing when ``year`` is not after today's."""
    if year <= today.year:
        return 0
    if not FeeRule.objects.filter(year=year).exists():
        FeeRule.objects.bulk_create(
            [
                FeeRule(
                    year=year, college_id=r.college_id, member_kind=r.member_kind, amount=r.amount
                )
                for r in FeeRule.objects.filter(year=today.year)
            ]
        )
    # The settled adhesions of this year read directly (one subquery per adhesion): written as
    # "members up to date" nested under IN / NOT IN, PostgreSQL could pick a plan that took
    # minutes on a few thousand members when its statistics were stale.
    held = set(Adhesion.objects.filter(year=year).values_list("member_id", flat=True))
    current = {
        a.member_id: a
        for a in adhesions_with_balance()
        .filter(year=today.year, is_settled=True, member__status=MemberStatus.ACTIVE)
        .order_by("member_id")
        if a.member_id not in held
    }
    renewals = [
        Adhesion(member_id=pk, year=year, fee_due=a.fee_due, started_on=datetime.date(year, 1, 1))
        for pk, a in current.items()
        if _renews_early(pk, year)
    ]
    Adhesion.objects.bulk_create(renewals)
    rng = random.Random(SEED + year)
    methods = [PaymentMethod.VIREMENT, PaymentMethod.CARTE, PaymentMethod.CHEQUE]
    Payment.objects.bulk_create(
        Payment(
            adhesion=adhesion,
            kind=PaymentKind.PAYMENT,
            paid_on=today - datetime.timedelta(days=rng.randint(0, 20)),
            amount=adhesion.fee_due,
            method=rng.choice(methods),
            reference=f"Renouvellement {year}",
        )
        for adhesion in renewals
        if adhesion.fee_due > 0
    )
    return len(renewals)
