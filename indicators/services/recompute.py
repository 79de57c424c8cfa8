"""Recomputing the computed indicators for a period: every active computed definition whose
code is registered (cpts/indicator_registry.py) is run for the period's first and last day,
and its results are recorded as measurements (source computed), all in one
``record_measurements`` call: all or nothing.

History stays meaningful: a value is recorded only when it differs from the current
measurement of the same indicator, period and breakdown (or when there is none yet), so a
nightly run that finds nothing new writes nothing. A breakdown that was measured before and
that the computation no longer returns (e.g. a profession without members any more) is
recorded as 0, unless the indicator is a percentage (then it is undefined, left as it was).

``request_recompute`` is what the pages and the nightly task call: it checks the period and
queues the job (indicators/jobs.py), which calls ``recompute`` with progress."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from cpts.indicator_registry import as_breakdown, registered_indicators
from cpts.jobs import request_document
from cpts.models import GeneratedDocument
from indicators.catalogue import ensure_catalogue
from indicators.models import IndicatorDefinition, IndicatorSource, MeasurementSource, Unit
from indicators.periods import Period, PeriodError, contract_year_period, parse_period
from indicators.selectors.measurements import current_measurements
from indicators.services.measurements import MeasurementError, NewMeasurement, record_measurements
from missions.models import ContractYear
from missions.selectors.contract import current_contract

RECOMPUTE_KIND = "indicator_recompute"

Report = Callable[[int, str], None]


class RecomputeError(ValueError):
    """A recomputation refused or failed, with a French message naming the indicator."""


@dataclass(frozen=True)
class ComputedValue:
    indicator: IndicatorDefinition
    breakdown: str
    value: Decimal
    previous: Decimal | None

    @property
    def changed(self) -> bool:
        return self.previous is None or self.previous != self.value


@dataclass
class RecomputeResult:
    period: Period
    values: list[ComputedValue] = field(default_factory=list)
    indicators: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> int:
        return sum(1 for item in self.values if item.changed)

    @property
    def unchanged(self) -> int:
        return len(self.values) - self.changed

    @property
    def summary(self) -> str:
        return _(
            "indicateurs calculés : %(computed)s, valeurs modifiées : %(changed)s, "
            "inchangées : %(unchanged)s (%(seconds)s s)"
        ) % {
            "computed": self.indicators,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "seconds": f"{self.seconds:.2f}".replace(".", ","),
        }


def computed_definitions() -> list[IndicatorDefinition]:
    """The active computed definitions whose computation is registered, in catalogue order."""
    codes = list(registered_indicators())
    return list(
        IndicatorDefinition.objects.filter(
            source=IndicatorSource.COMPUTED, is_active=True, code__in=codes
        ).select_related("mission")
    )


def _compute(definition: IndicatorDefinition, period: Period) -> dict[str, Decimal]:
    computation = registered_indicators()[definition.code]
    try:
        return as_breakdown(computation.function(period.start, period.end))
    except Exception as error:
        raise RecomputeError(
            _("Le calcul de l'indicateur « %(label)s » (%(code)s) a échoué : %(error)s")
            % {"label": definition.label, "code": definition.code, "error": error}
        ) from error


def recompute(
    period: Period,
    *,
    user: Any = None,
    job: GeneratedDocument | None = None,
    report: Report | None = None,
) -> RecomputeResult:
    """Compute every computed indicator for ``period`` and record the values that changed,
    all or nothing. Raises RecomputeError (French, naming the indicator) and then records
    nothing."""
    started = time.perf_counter()
    ensure_catalogue()
    definitions = computed_definitions()
    current = current_measurements(
        period, IndicatorDefinition.objects.filter(pk__in=[d.pk for d in definitions])
    )
    measured_breakdowns: dict[int, set[str]] = {}
    for indicator_id, breakdown in current:
        measured_breakdowns.setdefault(indicator_id, set()).add(breakdown)
    result = RecomputeResult(period=period, indicators=len(definitions))
    for index, definition in enumerate(definitions):
        if report is not None:
            report(
                5 + 85 * index // max(len(definitions), 1),
                _("Calcul : %(label)s") % {"label": definition.label},
            )
        values = _compute(definition, period)
        if definition.unit != Unit.PERCENT:
            for breakdown in measured_breakdowns.get(definition.pk, set()) - set(values):
                values[breakdown] = Decimal(0)
        for breakdown in sorted(values):
            measured = current.get((definition.pk, breakdown))
            result.values.append(
                ComputedValue(
                    indicator=definition,
                    breakdown=breakdown,
                    value=values[breakdown],
                    previous=measured.value if measured is not None else None,
                )
            )
    if report is not None:
        report(90, _("Enregistrement des valeurs modifiées"))
    try:
        record_measurements(
            [
                NewMeasurement(item.indicator, period, item.value, item.breakdown)
                for item in result.values
                if item.changed
            ],
            source=MeasurementSource.COMPUTED,
            user=user,
            source_name=_("Recalcul"),
            job=job,
        )
    except MeasurementError as error:
        raise RecomputeError(str(error)) from error
    result.seconds = time.perf_counter() - started
    return result


# --- Periods and the job ------------------------------------------------------------------


def contract_year_number_period(number: int) -> Period:
    """Year ``number`` of the current contract. Raises PeriodError (French)."""
    contract = current_contract()
    if contract is None:
        raise PeriodError(_("Aucun contrat ACI n'est enregistré."))
    year = contract.years.filter(number=number).first()
    if year is None:
        raise PeriodError(
            _("Le contrat n'a pas d'année %(number)s (années 1 à 5).") % {"number": number}
        )
    return contract_year_period(year)


def resolve_period(*, period: str = "", contract_year_id: int | None = None) -> Period:
    """The period of a recomputation: a text as parse_period reads it ("2025", "T1 2025",
    "03/2025", "A2"…) or a ContractYear id. Raises PeriodError (French)."""
    if contract_year_id is not None:
        year = ContractYear.objects.filter(pk=contract_year_id).first()
        if year is None:
            raise PeriodError(_("Cette année de contrat n'existe pas."))
        return contract_year_period(year)
    contract = current_contract()
    if contract is not None:
        contract = type(contract).objects.prefetch_related("years").get(pk=contract.pk)
    return parse_period(period, contract)


def request_recompute(
    *, user: Any, period: str = "", contract_year_id: int | None = None
) -> GeneratedDocument:
    """Queue the recomputation of ``period`` (text) or of a contract year (id) as a job of
    the document pipeline, after checking the period. Raises PeriodError (French)."""
    resolved = resolve_period(period=period, contract_year_id=contract_year_id)
    parameters: dict[str, Any] = (
        {"contract_year": resolved.contract_year_id}
        if contract_year_id is not None
        else {"period": period.strip()}
    )
    requested_by = user if getattr(user, "is_authenticated", False) else None
    return request_document(RECOMPUTE_KIND, requested_by=requested_by, parameters=parameters)
