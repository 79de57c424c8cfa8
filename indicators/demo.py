"""Demo data of the indicators, appended to ``cpts.services.demo.DEMO_STEPS`` after the ACI
contract: the CPAM figures of the demo territory as the coordination imported them (contract
years already assessed, the current year's latest extract, and four calendar years of the
share of patients with a médecin traitant for the trend), the contract lines that follow them,
and the computed indicators for every contract year begun and the last calendar years.

Each step creates what is missing and leaves the rest untouched: CPAM values are recorded only
for the indicators and periods that have none, lines are linked only when not yet linked, and
the computed indicators are recomputed only when no computed value exists yet."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.catalogue import ensure_catalogue
from indicators.models import IndicatorDefinition, Measurement, MeasurementSource
from indicators.periods import Period, calendar_year, contract_year_period
from indicators.services.measurements import NewMeasurement, record_measurements
from missions.demo import coordination_user, demo_contract
from missions.models import IndicatorLine

if TYPE_CHECKING:
    from cpts.services.demo import DemoContext

D = Decimal
CPAM_FILE = "extrait-cpam-herault-annee-{number}.csv"

# Contract-year values from the CPAM extracts, years 1, 2 and 3 (year 3: the latest extract,
# mid-year). The lines of the demo contract with the same label prefix follow them.
CONTRACT_YEAR_VALUES: dict[str, tuple[Decimal, Decimal, Decimal]] = {
    "national_no_mt_ald": (D("142"), D("87"), D("64")),
    "national_no_mt_70": (D("255"), D("241"), D("229")),
    "national_sas_doctors": (D("19"), D("21"), D("23")),
    "screening_cervical_rate": (D("70.10"), D("72.85"), D("71.90")),
    "screening_colorectal_rate": (D("29.10"), D("31.20"), D("30.40")),
    "national_mt_share": (D("86.90"), D("87.40"), D("88.20")),
    "national_sas_appointments": (D("1240"), D("1710"), D("980")),
}
# Calendar-year share of patients with a médecin traitant, from four years before today.
MT_SHARE_BY_YEAR = (D("86.10"), D("86.60"), D("87.30"), D("87.90"))

LINE_LINKS = {
    "Patients en ALD sans médecin traitant": "national_no_mt_ald",
    "Patients de plus de 70 ans sans médecin traitant": "national_no_mt_70",
    "Médecins participant au service d'accès aux soins": "national_sas_doctors",
    "Taux de dépistage du cancer du col de l'utérus": "screening_cervical_rate",
    "Taux de dépistage du cancer colorectal": "screening_colorectal_rate",
}


def _definitions() -> dict[str, IndicatorDefinition]:
    ensure_catalogue()
    return {definition.code: definition for definition in IndicatorDefinition.objects.all()}


def _measured(definition: IndicatorDefinition, period: Period) -> bool:
    return Measurement.objects.filter(
        indicator=definition,
        period_kind=period.kind,
        period_start=period.start,
        period_end=period.end,
    ).exists()


def seed_indicator_values(context: DemoContext) -> None:
    """The CPAM figures of the territory, one imported file per contract year begun."""
    contract = demo_contract()
    if contract is None:
        return
    definitions = _definitions()
    user = coordination_user()
    today = timezone.localdate()
    created = 0
    for year in contract.years.filter(start__lte=today).order_by("number"):
        period = contract_year_period(year)
        rows = [
            NewMeasurement(definitions[code], period, values[year.number - 1])
            for code, values in CONTRACT_YEAR_VALUES.items()
            if year.number <= len(values) and not _measured(definitions[code], period)
        ]
        if rows:
            record_measurements(
                rows,
                source=MeasurementSource.IMPORTED,
                user=user,
                source_name=CPAM_FILE.format(number=year.number),
            )
            created += len(rows)
    share = definitions["national_mt_share"]
    first_year = today.year - len(MT_SHARE_BY_YEAR)
    rows = [
        NewMeasurement(share, calendar_year(first_year + offset), value)
        for offset, value in enumerate(MT_SHARE_BY_YEAR)
        if not _measured(share, calendar_year(first_year + offset))
    ]
    if rows:
        record_measurements(
            rows,
            source=MeasurementSource.IMPORTED,
            user=user,
            source_name="tableau-de-bord-assurance-maladie.xlsx",
        )
        created += len(rows)
    if created:
        context.log(_("Valeurs d'indicateurs CPAM importées : %(count)s.") % {"count": created})
    context.created["seed_indicator_values"] = created


def link_demo_lines(context: DemoContext) -> None:
    """The demo contract's lines measured by the CPAM follow their indicator."""
    contract = demo_contract()
    if contract is None:
        return
    definitions = _definitions()
    linked = 0
    lines = IndicatorLine.objects.filter(
        envelope__year__contract=contract, indicator__isnull=True
    ).select_related("envelope")
    for line in lines:
        code = next(
            (code for prefix, code in LINE_LINKS.items() if line.label.startswith(prefix)), None
        )
        if code is None:
            continue
        line.indicator = definitions[code]
        line.save()  # through the model: the line takes the current value (indicators.signals)
        linked += 1
    if linked:
        context.log(_("Lignes du contrat reliées à un indicateur : %(count)s.") % {"count": linked})
    context.created["link_demo_lines"] = linked


def seed_computed_indicators(context: DemoContext) -> None:
    """The computed indicators of every contract year begun and of the last three calendar
    years, once."""
    from indicators.services.recompute import recompute

    contract = demo_contract()
    if Measurement.objects.filter(source=MeasurementSource.COMPUTED).exists():
        context.created["seed_computed_indicators"] = 0
        return
    today = timezone.localdate()
    periods = [calendar_year(today.year - offset) for offset in (2, 1, 0)]
    if contract is not None:
        periods += [
            contract_year_period(year)
            for year in contract.years.filter(start__lte=today).order_by("number")
        ]
    user = coordination_user()
    recorded = 0
    for period in periods:
        result = recompute(period, user=user)
        recorded += result.changed
    context.log(
        _("Indicateurs calculés sur %(periods)s périodes : %(count)s valeurs.")
        % {"periods": len(periods), "count": recorded}
    )
    context.created["seed_computed_indicators"] = recorded


INDICATOR_DEMO_STEPS = [seed_indicator_values, link_demo_lines, seed_computed_indicators]
