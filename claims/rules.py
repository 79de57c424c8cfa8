"""Pure rules of the claims: tariffs in force, closed periods, the PASS ceiling, receipts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from claims.models import (
    Claim,
    ClaimNature,
    ClaimStatus,
    ClosedPeriod,
    MileageRate,
    PassCeiling,
    Tariff,
)

# The PASS when the bureau has not recorded the year's value (editable as PassCeiling rows).
DEFAULT_PASS: dict[int, Decimal] = {2025: Decimal("47100.00"), 2026: Decimal("48060.00")}
NEAR_CAP_SHARE = Decimal("0.80")
MAX_HOURS = Decimal("24")
MAX_KM = Decimal("2000")
MAX_EXPENSE = Decimal("5000")
RECEIPT_MAX_BYTES = 5 * 1024 * 1024
# Content signatures of the accepted receipts: PDF, JPEG, PNG, WebP (RIFF....WEBP).
_SIGNATURES = (b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def pass_amount(year: int) -> Decimal:
    recorded = PassCeiling.objects.filter(year=year).values_list("amount", flat=True).first()
    if recorded is not None:
        return recorded
    if year in DEFAULT_PASS:
        return DEFAULT_PASS[year]
    latest = PassCeiling.objects.filter(year__lt=year).order_by("-year").first()
    return latest.amount if latest else DEFAULT_PASS[max(DEFAULT_PASS)]


def is_closed(day: date) -> bool:
    return ClosedPeriod.objects.filter(
        Q(year=day.year, month__isnull=True) | Q(year=day.year, month=day.month)
    ).exists()


def check_open(day: date) -> None:
    if is_closed(day):
        raise ValidationError(
            {
                "date": _(
                    "La période du %(date)s est close par la trésorerie : aucune nouvelle "
                    "demande n'y est acceptée."
                )
                % {"date": day.strftime("%d/%m/%Y")}
            }
        )


def tariff_for(kind: str, day: date, profession_id: int | None) -> Tariff:
    candidates = Tariff.objects.filter(activity_kind=kind, valid_from__lte=day).filter(
        Q(profession__isnull=True) | Q(profession_id=profession_id)
    )
    # A profession-specific tariff wins over the common one of the same or an older date.
    tariff = candidates.order_by("-valid_from", "profession_id").first()
    specific = (
        candidates.filter(profession_id=profession_id).order_by("-valid_from").first()
        if profession_id is not None
        else None
    )
    if specific is not None and tariff is not None and specific.valid_from >= tariff.valid_from:
        tariff = specific
    if tariff is None:
        raise ValidationError(
            _(
                "Aucun tarif n'est fixé pour « %(kind)s » au %(date)s : "
                "le bureau doit d'abord le fixer."
            )
            % {"kind": _label(kind), "date": day.strftime("%d/%m/%Y")}
        )
    return tariff


def _label(kind: str) -> str:
    from claims.models import ActivityKind

    return str(ActivityKind(kind).label)


def mileage_rate_for(day: date) -> MileageRate:
    rate = MileageRate.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    if rate is None:
        raise ValidationError(
            {
                "km": _("Aucun barème kilométrique n'est fixé au %(date)s.")
                % {"date": f"{day:%d/%m/%Y}"}
            }
        )
    return rate


def check_hours(hours: Decimal | None, limit: Decimal | None = None) -> Decimal:
    if hours is None or hours <= 0:
        raise ValidationError({"hours": _("Indiquez un nombre d'heures positif.")})
    if hours > MAX_HOURS:
        raise ValidationError({"hours": _("Pas plus de 24 heures pour une même journée.")})
    if limit is not None and hours > limit:
        raise ValidationError(
            {
                "hours": _("%(hours)s h dépasse la durée de l'activité (%(limit)s h).")
                % {"hours": _num(hours), "limit": _num(limit)}
            }
        )
    return hours


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def check_receipt(receipt: UploadedFile | None) -> None:
    if receipt is None:
        raise ValidationError({"receipt": _("Joignez le justificatif (PDF ou photo).")})
    if (receipt.size or 0) > RECEIPT_MAX_BYTES:
        raise ValidationError({"receipt": _("Le justificatif dépasse 5 Mo.")})
    receipt.seek(0)
    head = receipt.read(16)
    receipt.seek(0)
    is_webp = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if not (head.startswith(_SIGNATURES) or is_webp):
        raise ValidationError(
            {"receipt": _("Le justificatif doit être un PDF ou une image (JPEG, PNG, WebP).")}
        )


def capped_total(member_id: int, year: int, exclude_pk: int | None = None) -> Decimal:
    """Indemnities already approved or paid to the member in the calendar year (the décret
    caps the indemnities; expense reimbursements are not indemnities)."""
    rows = Claim.objects.filter(
        member_id=member_id,
        date__year=year,
        nature=ClaimNature.INDEMNITY,
        status__in=(ClaimStatus.APPROVED, ClaimStatus.PAID),
    )
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal("0")
