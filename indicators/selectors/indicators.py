"""Reads of the indicators pages: the catalogue with the current values of a period, and one
indicator with its contract lines (earnings from ``missions.selectors.earnings``, never
recomputed here), its trend over periods of one kind against the target and tiers of its
latest line, the breakdowns of a period and the history of its measurements. Constant
number of queries whatever the number of indicators, lines or measurements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from cpts.charts import NBSP, ReferenceLine, Series, format_euros, format_number, line_chart
from indicators.models import IndicatorDefinition, Measurement, Unit
from indicators.periods import (
    Period,
    PeriodError,
    PeriodKind,
    calendar_year,
    contract_year_period,
    month,
    parse_period,
    quarter,
)
from indicators.selectors.measurements import current_measurements, latest_q
from missions.models import (
    Contract,
    ContractYear,
    IndicatorLine,
    LineBand,
    LineTier,
    Livrable,
    Mission,
)
from missions.selectors.contract import current_contract, year_covering
from missions.selectors.earnings import LineResult, line_result

HISTORY_PAGE_SIZE = 25
TREND_POINTS = 36  # at most this many periods on the chart (the latest ones)


# --- Values and periods ----------------------------------------------------------------------


def format_value(value: Decimal | int | float | None, unit: str) -> str:
    """A value written the French way for its unit: "66,26 %", "1 234,50 €", "12 h", "303"."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    if unit == Unit.EUROS:
        return format_euros(number)
    decimals = 0 if number == number.to_integral_value() else 2
    text = format_number(number, decimals)
    if unit == Unit.PERCENT:
        return f"{text}{NBSP}%"
    if unit == Unit.HOURS:
        return f"{text}{NBSP}h"
    return text


def contract_with_years() -> Contract | None:
    """The current contract with its years loaded (what ``parse_period`` needs)."""
    contract = current_contract()
    if contract is None:
        return None
    return Contract.objects.prefetch_related("years").get(pk=contract.pk)


def contract_years(contract: Contract | None) -> list[ContractYear]:
    return sorted(contract.years.all(), key=lambda year: year.number) if contract else []


def default_period(contract: Contract | None, today: date | None = None) -> Period:
    """The contract year running today (or the contract's last year once it has ended, its
    first before it starts), else the current calendar year."""
    today = today or timezone.localdate()
    years = contract_years(contract)
    if years:
        running = year_covering(years, today)
        if running is None:
            running = years[0] if today < years[0].start else years[-1]
        return contract_year_period(running)
    return calendar_year(today.year)


@dataclass(frozen=True)
class PeriodChoice:
    period: Period
    text: str  # what the ``periode`` parameter holds
    error: str  # French message when the text given could not be read


def choose_period(text: str | None, contract: Contract | None) -> PeriodChoice:
    """The period asked in a query string, or the default one with the reason it was not
    understood (a bad value never fails the page)."""
    text = (text or "").strip()[:40]
    fallback = default_period(contract)
    if not text:
        return PeriodChoice(fallback, fallback.key, "")
    try:
        period = parse_period(text, contract)
    except PeriodError as error:
        return PeriodChoice(
            fallback,
            fallback.key,
            _("%(error)s La période par défaut est affichée.") % {"error": error},
        )
    return PeriodChoice(period, period.key, "")


def period_options(contract: Contract | None, today: date | None = None) -> list[Period]:
    """Periods offered in the selectors: the contract years, then the current and previous
    calendar years."""
    today = today or timezone.localdate()
    options = [contract_year_period(year) for year in contract_years(contract)]
    options += [calendar_year(today.year), calendar_year(today.year - 1)]
    return options


# --- The catalogue -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueRow:
    indicator: IndicatorDefinition
    measurement: Measurement | None
    lines_count: int

    @property
    def value_text(self) -> str:
        return format_value(
            self.measurement.value if self.measurement else None, self.indicator.unit
        )


@dataclass
class CatalogueGroup:
    mission: Mission | None  # None: the life of the association
    rows: list[CatalogueRow] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.mission.name if self.mission else _("Vie de l'association")


def catalogue_queryset() -> QuerySet[IndicatorDefinition]:
    return (
        IndicatorDefinition.objects.filter(is_active=True)
        .select_related("mission")
        .annotate(lines_count=Count("lines", distinct=True))
        .order_by("mission__position", "position", "code")
    )


def catalogue(period: Period) -> list[CatalogueGroup]:
    """Active indicators grouped by mission (those of no mission last), each with its current
    total for ``period`` and the number of contract lines following it (2 queries)."""
    indicators = list(catalogue_queryset())
    current = current_measurements(period, IndicatorDefinition.objects.filter(is_active=True))
    groups: dict[int | None, CatalogueGroup] = {}
    for indicator in indicators:
        group = groups.setdefault(indicator.mission_id, CatalogueGroup(indicator.mission))
        group.rows.append(
            CatalogueRow(
                indicator=indicator,
                measurement=current.get((indicator.pk, "")),
                lines_count=getattr(indicator, "lines_count", 0),
            )
        )
    ordered = [group for key, group in groups.items() if key is not None]
    if None in groups:
        ordered.append(groups[None])
    return ordered


# --- One indicator -----------------------------------------------------------------------------


def linked_lines(indicator: IndicatorDefinition) -> list[LineResult]:
    """The contract lines following ``indicator``, latest year first, with what they earned
    (from ``line_result``; 5 queries)."""
    lines = (
        IndicatorLine.objects.filter(indicator=indicator)
        .select_related("envelope__year__contract", "envelope__mission")
        .order_by("-envelope__year__start", "envelope__mission__position", "position", "pk")
    )
    lines = lines.prefetch_related(
        Prefetch("tiers", queryset=LineTier.objects.order_by("position", "pk")),
        Prefetch("bands", queryset=LineBand.objects.order_by("position", "pk")),
        Prefetch("livrables", queryset=Livrable.objects.order_by("position", "pk")),
    )
    return [line_result(line, line.envelope.year.crisis_recognised) for line in lines]


def references(result: LineResult | None) -> list[ReferenceLine]:
    """The horizontal lines of the trend chart: baseline, target and tier thresholds of the
    latest line following the indicator."""
    if result is None:
        return []
    line = result.line
    found = []
    if line.baseline is not None:
        found.append(ReferenceLine(_("Valeur de départ"), line.baseline, color="#6b7785"))
    if line.kind == "target" and line.target is not None:
        found.append(ReferenceLine(_("Cible"), line.target, color="#b8475a"))
    for number, tier in enumerate(result.terms.tiers, start=1):
        label = tier.label or _("Palier %(number)s") % {"number": number}
        found.append(ReferenceLine(label, tier.threshold, color="#d9822b"))
    return found


TREND_KINDS = (
    PeriodKind.CONTRACT_YEAR,
    PeriodKind.YEAR,
    PeriodKind.QUARTER,
    PeriodKind.MONTH,
)


def _next(period: Period) -> Period:
    if period.kind == PeriodKind.YEAR:
        return calendar_year(period.start.year + 1)
    if period.kind == PeriodKind.QUARTER:
        number = (period.start.month - 1) // 3 + 1
        year = period.start.year
        return quarter(year + 1, 1) if number == 4 else quarter(year, number + 1)
    year, number = period.start.year, period.start.month
    return month(year + 1, 1) if number == 12 else month(year, number + 1)


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    measurement: Measurement | None

    @property
    def value(self) -> Decimal | None:
        return self.measurement.value if self.measurement else None


def trend(indicator: IndicatorDefinition, kind: str, contract: Contract | None) -> list[TrendPoint]:
    """The current total of ``indicator`` for each period of ``kind``: every contract year,
    or every calendar year, quarter or month from the first measured to the last (gaps
    kept, the latest ``TREND_POINTS`` only). One query."""
    measured = latest_q(
        Measurement.objects.filter(indicator=indicator, period_kind=kind, breakdown="")
    ).order_by("period_start")
    by_start = {(m.period_start, m.period_end): m for m in measured}
    if kind == PeriodKind.CONTRACT_YEAR:
        periods = [contract_year_period(year) for year in contract_years(contract)]
    elif by_start:
        first_start = min(start for start, _end in by_start)
        last_start = max(start for start, _end in by_start)
        start_period = _period_starting(kind, first_start)
        periods = [start_period]
        while periods[-1].start < last_start:
            periods.append(_next(periods[-1]))
        periods = periods[-TREND_POINTS:]
    else:
        periods = []
    return [TrendPoint(p, by_start.get((p.start, p.end))) for p in periods]


def _period_starting(kind: str, start: date) -> Period:
    if kind == PeriodKind.YEAR:
        return calendar_year(start.year)
    if kind == PeriodKind.QUARTER:
        return quarter(start.year, (start.month - 1) // 3 + 1)
    return month(start.year, start.month)


def _short_label(period: Period) -> str:
    if period.kind == PeriodKind.CONTRACT_YEAR:
        return period.key
    if period.kind == PeriodKind.MONTH:
        return period.start.strftime("%m/%Y")
    if period.kind == PeriodKind.QUARTER:
        return _("T%(quarter)s %(year)s") % {"quarter": period.key[-1], "year": period.start.year}
    return period.key


def trend_chart(
    indicator: IndicatorDefinition, points: list[TrendPoint], reference_lines: list[ReferenceLine]
) -> str:
    def formatter(value: Decimal | int | float) -> str:
        return format_value(value, indicator.unit)

    labels = [_short_label(point.period) for point in points]
    return line_chart(
        labels,
        [Series(indicator.label, [point.value for point in points])],
        title=_("Évolution : %(label)s") % {"label": indicator.label},
        description=_(
            "Valeur de l'indicateur pour chaque période, avec la valeur de départ, la cible "
            "et les paliers de la dernière ligne du contrat qui le suit. Les chiffres sont "
            "repris dans le tableau à côté."
        ),
        value_format=formatter,
        axis_format=formatter,
        references=reference_lines,
    )


def breakdowns(indicator: IndicatorDefinition, period: Period) -> list[Measurement]:
    """The current values of ``indicator`` per breakdown for ``period`` (the total apart)."""
    current = current_measurements(period, IndicatorDefinition.objects.filter(pk=indicator.pk))
    return sorted(
        (m for (_pk, breakdown), m in current.items() if breakdown),
        key=lambda m: m.breakdown.lower(),
    )


def history_page(indicator: IndicatorDefinition, page: str | None) -> Page[Measurement]:
    """Every measurement of ``indicator``, latest first, 25 a page (a bad page number gives
    the first or last page)."""
    measurements = (
        Measurement.objects.filter(indicator=indicator)
        .select_related("recorded_by", "job")
        .order_by("-recorded_at", "-pk")
    )
    return Paginator(measurements, HISTORY_PAGE_SIZE).get_page(page)


def definition_for(pk: int) -> IndicatorDefinition:
    """One indicator with its mission, or 404."""
    return get_object_or_404(IndicatorDefinition.objects.select_related("mission"), pk=pk)
