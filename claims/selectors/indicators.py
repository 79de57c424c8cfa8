"""Computed indicators of the claims (registered with ``@computed_indicator``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from claims.models import Claim, ClaimNature, ClaimStatus
from cpts.indicator_registry import Value, computed_indicator

NO_MISSION = _("Sans mission rattachée")


@computed_indicator(
    "claims_hours_declared",
    label=_("Heures indemnisées des membres"),
    description=_(
        "Heures des demandes d'indemnité (temps) approuvées ou payées dont la date tombe "
        "dans la période, par mission."
    ),
    unit="hours",
    position=90,
)
def hours_declared(start: date, end: date) -> Value:
    rows = (
        Claim.objects.filter(
            nature=ClaimNature.INDEMNITY,
            status__in=(ClaimStatus.APPROVED, ClaimStatus.PAID),
            date__gte=start,
            date__lte=end,
        )
        .order_by()
        .values("mission__name")
        .annotate(hours=Sum("hours"))
    )
    breakdown: dict[str, Decimal | int] = {}
    total = Decimal("0")
    for row in rows:
        hours = row["hours"] or Decimal("0")
        label = str(row["mission__name"] or NO_MISSION)
        breakdown[label] = breakdown.get(label, Decimal("0")) + hours
        total += hours
    return {"": total, **breakdown}
