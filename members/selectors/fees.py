"""Reads of fees and adhesions: what a member owes for a year, what they paid, and whether
they are "à jour de cotisation" on a date — always computed, never stored."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import (
    BooleanField,
    Case,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from members.models import Adhesion, FeeRule, Member, Payment
from members.models.adhesions import PaymentKind

T = TypeVar("T")
ZERO = Decimal("0.00")
_MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=10, decimal_places=2)


def pick_fee_rule(
    rules: Mapping[tuple[int | None, str], T], college_id: int | None, kind: str
) -> T | None:
    """The most specific entry of a year's rules keyed by (collège id, member kind):
    the collège's, then the member kind's, then the default (neither)."""
    candidates: list[tuple[int | None, str]] = [(None, kind), (None, "")]
    if college_id:
        candidates.insert(0, (college_id, ""))
    return next((rules[key] for key in candidates if key in rules), None)


def fee_rule_for(member: Member, year: int) -> FeeRule | None:
    """The most specific fee rule of ``year`` for the member: collège, then kind, then default."""
    rules = {
        (rule.college_id, rule.member_kind): rule for rule in FeeRule.objects.filter(year=year)
    }
    return pick_fee_rule(rules, member.college_id, member.kind)


def fee_for(member: Member, year: int) -> Decimal | None:
    rule = fee_rule_for(member, year)
    return rule.amount if rule else None


def _paid_sum(adhesion_ref: str = "pk") -> Subquery:
    """Net amount settled on an adhesion: payments (exonérations settle the whole fee, see
    below) minus refunds."""
    signed = Case(
        When(kind=PaymentKind.REFUND, then=-F("amount")),
        default=F("amount"),
        output_field=_MONEY,
    )
    return Subquery(
        Payment.objects.filter(adhesion=OuterRef(adhesion_ref))
        .values("adhesion")
        .annotate(total=Sum(signed))
        .values("total"),
        output_field=_MONEY,
    )


def adhesions_with_balance() -> QuerySet[Any]:
    """Adhesions annotated with ``paid`` (net), ``exonerated`` and ``is_settled``."""
    exonerated = Exists(Payment.objects.filter(adhesion=OuterRef("pk"), method="exoneration"))
    return Adhesion.objects.annotate(
        paid=Coalesce(_paid_sum(), Value(ZERO), output_field=_MONEY),
        exonerated=exonerated,
    ).annotate(
        is_settled=Case(
            When(Q(exonerated=True) | Q(paid__gte=F("fee_due")), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def up_to_date_q(on: datetime.date, prefix: str = "") -> Exists:
    """An ``Exists`` expression: the member (``OuterRef(prefix + 'pk')``) holds a settled
    adhesion for the calendar year of ``on``."""
    return Exists(
        adhesions_with_balance().filter(
            member=OuterRef(f"{prefix}pk"), year=on.year, is_settled=True
        )
    )


def with_fee_status(members: QuerySet[Member], on: datetime.date) -> QuerySet[Any]:
    """Annotate ``is_up_to_date`` for the date ``on`` (one SQL expression, no query per row)."""
    return members.annotate(is_up_to_date=up_to_date_q(on))


def is_up_to_date(member: Member, on: datetime.date) -> bool:
    return (
        with_fee_status(Member.objects.filter(pk=member.pk), on)
        .values_list("is_up_to_date", flat=True)
        .first()
        or False
    )
