"""Writes of adhesions and payments (audited by django-auditlog)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cpts.models import User
from members.models import Adhesion, College, FeeRule, Member, Payment
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


def _create_payment(
    adhesion: Adhesion,
    kind: str,
    amount: Decimal,
    method: str,
    paid_on: datetime.date,
    reference: str,
    recorded_by: User | None,
) -> Payment:
    return Payment.objects.create(
        adhesion=adhesion,
        kind=kind,
        amount=amount,
        method=method,
        paid_on=paid_on,
        reference=reference,
        recorded_by=recorded_by,
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
    return _create_payment(
        adhesion, PaymentKind.PAYMENT, amount, method, paid_on, reference, recorded_by
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
    return _create_payment(
        adhesion, PaymentKind.REFUND, amount, method, paid_on, reference, recorded_by
    )


@transaction.atomic
def create_adhesion(member: Member, year: int, *, started_on: datetime.date) -> Adhesion:
    """A new adhesion of ``year`` (refused when the member already has one)."""
    if Adhesion.objects.filter(member=member, year=year).exists():
        raise ValidationError(
            {
                "year": _("%(name)s a déjà une adhésion pour %(year)s.")
                % {"name": member.display_name, "year": year}
            }
        )
    return ensure_adhesion(member, year, started_on=started_on)


@transaction.atomic
def save_fee_rule(rule: FeeRule) -> FeeRule:
    """Create or update a rule of the fee schedule. Adhesions already created keep the fee
    they were created with."""
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError as error:
        raise ValidationError(
            _("Une règle existe déjà pour cette cible et cette année.")
        ) from error
    return rule


@transaction.atomic
def delete_fee_rule(rule: FeeRule) -> None:
    rule.delete()


@transaction.atomic
def save_college(college: College) -> College:
    try:
        with transaction.atomic():
            college.save()
    except IntegrityError as error:
        raise ValidationError(_("Un collège porte déjà ce nom ou ce code.")) from error
    return college
