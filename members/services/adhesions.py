"""Writes of adhesions and payments (audited by django-auditlog)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cpts.models import User
from members.models import Adhesion, Member, Payment
from members.models.adhesions import PaymentKind, PaymentMethod
from members.selectors.fees import adhesions_with_balance, fee_for


@transaction.atomic
def ensure_adhesion(
    member: Member, year: int, *, started_on: datetime.date | None = None
) -> Adhesion:
    """The member's adhesion for ``year``, created with the fee of the year's schedule."""
    existing = Adhesion.objects.filter(member=member, year=year).first()
    if existing:
        return existing
    fee = fee_for(member, year)
    if fee is None:
        raise ValidationError(
            _(
                "Aucun barème de cotisation n'est défini pour %(year)s : ajoutez-le avant "
                "d'enregistrer une adhésion."
            )
            % {"year": year},
            code="no_fee_rule",
        )
    return Adhesion.objects.create(
        member=member,
        year=year,
        fee_due=fee,
        started_on=started_on or datetime.date(year, 1, 1),
    )


@transaction.atomic
def record_payment(
    adhesion: Adhesion,
    *,
    amount: Decimal,
    method: str,
    paid_on: datetime.date,
    reference: str = "",
    recorded_by: User | None = None,
) -> Payment:
    """Record money received (partial payments add up) or an exonération (amount 0)."""
    if method == PaymentMethod.EXONERATION:
        amount = Decimal("0.00")
    elif amount <= 0:
        raise ValidationError({"amount": _("Le montant d'un paiement doit être positif.")})
    return Payment.objects.create(
        adhesion=adhesion,
        kind=PaymentKind.PAYMENT,
        amount=amount,
        method=method,
        paid_on=paid_on,
        reference=reference,
        recorded_by=recorded_by,
    )


@transaction.atomic
def record_refund(
    adhesion: Adhesion,
    *,
    amount: Decimal,
    method: str,
    paid_on: datetime.date,
    reference: str = "",
    recorded_by: User | None = None,
) -> Payment:
    """Refund money already received; never more than the net amount paid."""
    if method == PaymentMethod.EXONERATION:
        raise ValidationError({"method": _("Une exonération ne se rembourse pas.")})
    if amount <= 0:
        raise ValidationError({"amount": _("Le montant d'un remboursement doit être positif.")})
    paid = adhesions_with_balance().select_for_update(of=("self",)).get(pk=adhesion.pk).paid
    if amount > paid:
        raise ValidationError(
            {
                "amount": _("Le remboursement (%(amount)s €) dépasse le montant payé (%(paid)s €).")
                % {"amount": amount, "paid": paid}
            }
        )
    return Payment.objects.create(
        adhesion=adhesion,
        kind=PaymentKind.REFUND,
        amount=amount,
        method=method,
        paid_on=paid_on,
        reference=reference,
        recorded_by=recorded_by,
    )
