"""Writes of the financing schedule: the payments the CPAM actually made, recorded, corrected
or removed by the treasurer or the coordination (audited through django-auditlog)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from missions.models import ContractYear, Mission, PaymentNature, ReceivedPayment

MAX_AMOUNT = Decimal("9999999999.99")  # what the amount column holds


def contract_missions(year: ContractYear) -> Any:
    """The missions a payment of ``year``'s contract may be tied to: those the contract chose
    or gave an envelope to."""
    contract = year.contract_id
    return (
        Mission.objects.filter(
            Q(contracts__contract=contract) | Q(envelopes__year__contract=contract)
        )
        .distinct()
        .order_by("position", "key")
    )


def _validate(
    year: ContractYear,
    *,
    received_on: datetime.date | None,
    amount: Decimal | None,
    nature: str,
    mission: Mission | None,
    reference: str,
    note: str,
) -> tuple[datetime.date, Decimal]:
    """The date and amount, checked (ValidationError by field otherwise)."""
    errors: dict[str, str] = {}
    if received_on is None:
        errors["received_on"] = _("Indiquez la date de réception du versement.")
    elif received_on > timezone.localdate():
        errors["received_on"] = _(
            "La date de réception ne peut pas être dans le futur : enregistrez le versement "
            "une fois reçu."
        )
    elif received_on < year.contract.signed_on:
        errors["received_on"] = _(
            "La date de réception précède la signature du contrat (%(date)s)."
        ) % {"date": year.contract.signed_on.strftime("%d/%m/%Y")}
    if amount is None:
        errors["amount"] = _("Indiquez le montant du versement.")
    elif not amount.is_finite() or amount <= 0:
        errors["amount"] = _("Le montant d'un versement doit être supérieur à 0 €.")
    elif amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        errors["amount"] = _("Le montant doit être en euros et centimes, sous 10 milliards.")
    if nature not in PaymentNature.values:
        errors["nature"] = _("Choisissez la nature du versement.")
    elif mission is not None and nature == PaymentNature.FONCTIONNEMENT:
        errors["mission"] = _("Le fonctionnement ne se rattache à aucune mission : laissez vide.")
    if (
        mission is not None
        and "mission" not in errors
        and not contract_missions(year).filter(pk=mission.pk).exists()
    ):
        errors["mission"] = _("Cette mission ne fait pas partie du contrat.")
    if len(reference) > 100:
        errors["reference"] = _("La référence tient en 100 caractères au plus.")
    if len(note) > 255:
        errors["note"] = _("La remarque tient en 255 caractères au plus.")
    if errors:
        raise ValidationError(errors)
    assert received_on is not None and amount is not None  # refused above otherwise
    return received_on, amount


@transaction.atomic
def record_received_payment(
    year: ContractYear,
    *,
    received_on: datetime.date | None,
    amount: Decimal | None,
    nature: str,
    mission: Mission | None = None,
    reference: str = "",
    note: str = "",
    recorded_by: Any = None,
) -> ReceivedPayment:
    """Record a payment received for ``year`` (French errors by field, nothing written)."""
    reference, note = reference.strip(), note.strip()
    received_on, amount = _validate(
        year,
        received_on=received_on,
        amount=amount,
        nature=nature,
        mission=mission,
        reference=reference,
        note=note,
    )
    return ReceivedPayment.objects.create(
        year=year,
        received_on=received_on,
        amount=amount,
        nature=nature,
        mission=mission,
        reference=reference,
        note=note,
        recorded_by=recorded_by if getattr(recorded_by, "pk", None) else None,
    )


@transaction.atomic
def update_received_payment(
    payment: ReceivedPayment,
    *,
    received_on: datetime.date | None,
    amount: Decimal | None,
    nature: str,
    mission: Mission | None = None,
    reference: str = "",
    note: str = "",
) -> ReceivedPayment:
    """Correct a recorded payment (same rules as recording it)."""
    reference, note = reference.strip(), note.strip()
    received_on, amount = _validate(
        payment.year,
        received_on=received_on,
        amount=amount,
        nature=nature,
        mission=mission,
        reference=reference,
        note=note,
    )
    payment.received_on = received_on
    payment.amount = amount
    payment.nature = nature
    payment.mission = mission
    payment.reference = reference
    payment.note = note
    payment.save()
    return payment


@transaction.atomic
def delete_received_payment(payment: ReceivedPayment) -> None:
    """Remove a payment recorded by mistake (the audit log keeps what it was)."""
    payment.delete()
