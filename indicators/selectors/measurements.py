"""Reads of measurements: the current value (the latest recorded) of indicators for a period,
and the history of an indicator. Constant number of queries."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery

from indicators.models import IndicatorDefinition, Measurement
from indicators.periods import Period


def latest_q(measurements: QuerySet[Measurement]) -> QuerySet[Measurement]:
    """Keep, among ``measurements``, only the current one of each indicator, period and
    breakdown (the most recently recorded)."""
    newest = Measurement.objects.filter(
        indicator=OuterRef("indicator"),
        period_kind=OuterRef("period_kind"),
        period_start=OuterRef("period_start"),
        period_end=OuterRef("period_end"),
        breakdown=OuterRef("breakdown"),
    ).order_by("-recorded_at", "-pk")
    return measurements.filter(pk=Subquery(newest.values("pk")[:1]))


def current_measurements(
    period: Period, indicators: QuerySet[IndicatorDefinition] | None = None
) -> dict[tuple[int, str], Measurement]:
    """{(indicator id, breakdown): current measurement} for one period (one query)."""
    measurements = Measurement.objects.filter(
        period_kind=period.kind, period_start=period.start, period_end=period.end
    )
    if indicators is not None:
        measurements = measurements.filter(indicator__in=indicators)
    return {
        (measurement.indicator_id, measurement.breakdown): measurement
        for measurement in latest_q(measurements).select_related("recorded_by")
    }


def current_value(indicator: IndicatorDefinition, period: Period) -> Decimal | None:
    """The current total of one indicator for one period, or None if never measured."""
    measurement = (
        Measurement.objects.filter(
            indicator=indicator,
            period_kind=period.kind,
            period_start=period.start,
            period_end=period.end,
            breakdown="",
        )
        .order_by("-recorded_at", "-pk")
        .first()
    )
    return measurement.value if measurement else None


def contract_year_value(indicator_id: int, contract_year_id: int) -> Measurement | None:
    """The current total measured for a contract year: what a linked indicator line follows."""
    return (
        Measurement.objects.filter(
            indicator_id=indicator_id,
            contract_year_id=contract_year_id,
            period_kind="contract_year",
            breakdown="",
        )
        .select_related("recorded_by", "indicator")
        .order_by("-recorded_at", "-pk")
        .first()
    )
