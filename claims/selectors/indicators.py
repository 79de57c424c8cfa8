"""Computed indicators of the claims (registered with ``@computed_indicator``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from claims.selectors.totals import period_totals
from cpts.indicator_registry import Value, computed_indicator


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
    # The same computation as the treasurer's totals and the activity reports.
    totals = period_totals(start, end)
    breakdown: dict[str, Decimal | int] = {
        label: hours for label, hours, _amount in totals.by_mission if hours
    }
    return {"": totals.total_hours, **breakdown}
