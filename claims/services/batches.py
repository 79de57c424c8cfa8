"""Payment batches (approved claims paid together on a date) and closed periods."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from claims.common import acting, day
from claims.models import Claim, ClaimStatus, ClosedPeriod, PaymentBatch
from claims.services.notify import notify_paid
from cpts.permissions import user_can


def _check_treasurer(by: Any) -> None:
    if not user_can(by, "finance.approve"):
        raise PermissionDenied(_("Seule la trésorerie gère les paiements."))


def create_batch(
    claims: Iterable[Claim], *, by: Any, paid_on: datetime.date | None, label: str
) -> PaymentBatch:
    """Pay the given APPROVED claims together: they become PAID in one new batch."""
    _check_treasurer(by)
    label = (label or "").strip()
    errors: dict[str, str] = {}
    if not label:
        errors["label"] = _("Donnez un libellé au lot (il apparaît sur le relevé bancaire).")
    if paid_on is None:
        errors["paid_on"] = _("Indiquez la date du paiement.")
    ids = sorted({claim.pk for claim in claims})
    if not ids:
        errors["claims"] = _("Choisissez au moins une demande approuvée.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting(by):
        rows = list(
            Claim.objects.select_for_update()
            .select_related("member")
            .filter(pk__in=ids)
            .order_by("date", "pk")
        )
        unpayable = [
            claim for claim in rows if claim.status != ClaimStatus.APPROVED or claim.batch_id
        ]
        if unpayable or len(rows) != len(ids):
            names = ", ".join(
                f"{claim.member.display_name} ({day(claim.date)}, {claim.get_status_display()})"
                for claim in unpayable
            )
            raise ValidationError(
                {
                    "claims": _(
                        "Seules les demandes approuvées et pas encore payées entrent dans un "
                        "lot. À retirer : %(names)s."
                    )
                    % {"names": names or _("demandes introuvables")}
                }
            )
        assert paid_on is not None  # refused above
        batch = PaymentBatch.objects.create(paid_on=paid_on, label=label[:140], created_by=by)
        for claim in rows:
            claim.status = ClaimStatus.PAID
            claim.batch = batch
            claim.save(update_fields=["status", "batch", "updated_at"])
        notify_paid(batch, rows, by)
    return batch


def close_period(year: int, month: int | None = None, *, by: Any) -> ClosedPeriod:
    """Close a month (or a whole year): no claim may be declared or edited in it any more."""
    _check_treasurer(by)
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("Année invalide.")})
    if month is not None and not 1 <= int(month) <= 12:
        raise ValidationError({"month": _("Le mois va de 1 à 12.")})
    if ClosedPeriod.objects.filter(year=year, month__isnull=True).exists():
        raise ValidationError({"year": _("L'année %(year)s est déjà close.") % {"year": year}})
    if month is not None and ClosedPeriod.objects.filter(year=year, month=month).exists():
        raise ValidationError(
            {
                "month": _("Le mois %(month)02d/%(year)s est déjà clos.")
                % {"month": month, "year": year}
            }
        )
    try:
        with transaction.atomic(), acting(by):
            return ClosedPeriod.objects.create(year=year, month=month, closed_by=by)
    except IntegrityError:
        raise ValidationError(_("Cette période est déjà close.")) from None
