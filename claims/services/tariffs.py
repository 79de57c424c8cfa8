"""Tariffs per activity kind, the mileage scale and the yearly PASS, set by the bureau."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from claims.common import acting
from claims.models import ActivityKind, MileageRate, PassCeiling, RateBasis, Tariff

MAX_TARIFF = Decimal("1000")
MAX_PER_KM = Decimal("5")


def _check(by: Any) -> None:
    if not user_can_tariffs(by):
        raise PermissionDenied(_("Seul le bureau fixe les tarifs."))


def user_can_tariffs(by: Any) -> bool:
    from cpts.permissions import user_can

    return user_can(by, "claims.tariffs")


def _positive(value: Any, field: str, maximum: Decimal, message: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, TypeError):
        raise ValidationError({field: _("Saisissez un montant.")}) from None
    if not number.is_finite() or number <= 0:
        raise ValidationError({field: _("Le montant doit être positif.")})
    if number > maximum:
        raise ValidationError({field: message})
    return number


def _valid_from(value: datetime.date | None) -> datetime.date:
    if value is None:
        raise ValidationError({"valid_from": _("Indiquez la date d'application.")})
    return value


def set_tariff(
    *,
    by: Any,
    activity_kind: str,
    basis: str,
    amount: Any,
    valid_from: datetime.date | None,
    profession: Any = None,
) -> Tariff:
    _check(by)
    if activity_kind not in ActivityKind.values:
        raise ValidationError({"activity_kind": _("Choisissez le type d'activité.")})
    if basis not in RateBasis.values:
        raise ValidationError({"basis": _("Choisissez un taux horaire ou un forfait.")})
    value = _positive(
        amount, "amount", MAX_TARIFF, _("Un tarif de plus de 1 000 € paraît erroné.")
    ).quantize(Decimal("0.01"))
    start = _valid_from(valid_from)
    with transaction.atomic(), acting(by):
        tariff, _created = Tariff.objects.update_or_create(
            activity_kind=activity_kind,
            valid_from=start,
            profession=profession,
            defaults={"basis": basis, "amount": value},
        )
    return tariff


def set_mileage_rate(*, by: Any, per_km: Any, valid_from: datetime.date | None) -> MileageRate:
    _check(by)
    value = _positive(
        per_km, "per_km", MAX_PER_KM, _("Plus de 5 € par kilomètre paraît erroné.")
    ).quantize(Decimal("0.001"))
    start = _valid_from(valid_from)
    with transaction.atomic(), acting(by):
        rate, _created = MileageRate.objects.update_or_create(
            valid_from=start, defaults={"per_km": value}
        )
    return rate


def set_pass(year: int, amount: Any, *, by: Any) -> PassCeiling:
    _check(by)
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("Année invalide.")})
    value = _positive(
        amount,
        "amount",
        Decimal("200000"),
        _("Le PASS est de l'ordre de 48 000 € : vérifiez la saisie."),
    ).quantize(Decimal("0.01"))
    if value < Decimal("10000"):
        raise ValidationError(
            {"amount": _("Le PASS est de l'ordre de 48 000 € : vérifiez la saisie.")}
        )
    with transaction.atomic(), acting(by):
        ceiling, _created = PassCeiling.objects.update_or_create(
            year=year, defaults={"amount": value}
        )
    return ceiling
