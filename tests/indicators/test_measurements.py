"""Recording measurements (value checks, all or nothing, history) and the contract lines that
follow an indicator: the achieved value follows the latest measurement for the line's own
contract year only, with an audit entry on the line."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from cpts.models import User
from indicators.models import IndicatorDefinition, IndicatorSource, Measurement, MeasurementSource
from indicators.periods import Period, calendar_year, contract_year_period, quarter
from indicators.selectors.measurements import contract_year_value, current_value
from indicators.services.measurements import (
    MeasurementError,
    NewMeasurement,
    record_measurements,
    sync_line,
    sync_lines,
    value_error,
)
from missions.models import (
    AchievedSource,
    Contract,
    ContractYear,
    IndicatorLine,
    LineKind,
    Mission,
    MissionEnvelope,
    Taille,
)

pytestmark = pytest.mark.django_db


def make_contract(first_day: date = date(2024, 1, 1)) -> Contract:
    contract = Contract.objects.create(
        signed_on=first_day, cpam="CPAM", ars="ARS", taille=Taille.T2, population=50000
    )
    start = first_day
    for number in range(1, 6):
        end = start.replace(year=start.year + 1) - timedelta(days=1)
        ContractYear.objects.create(contract=contract, number=number, start=start, end=end)
        start = end + timedelta(days=1)
    return contract


def make_indicator(code: str = "depistage", unit: str = "percent") -> IndicatorDefinition:
    return IndicatorDefinition.objects.create(
        code=code,
        label=f"Taux {code}",
        unit=unit,
        source=IndicatorSource.IMPORTED,
        mission=Mission.objects.get(key="prevention"),
    )


def make_line(
    year: ContractYear, indicator: IndicatorDefinition | None = None, label: str = "Dépistage"
) -> IndicatorLine:
    envelope, _created = MissionEnvelope.objects.get_or_create(
        year=year, mission=Mission.objects.get(key="prevention"), defaults={"variable": D(9000)}
    )
    return IndicatorLine.objects.create(
        envelope=envelope,
        label=label,
        kind=LineKind.TARGET,
        amount=D(3000),
        baseline=D("66.26"),
        target=D(75),
        indicator=indicator,
    )


def record(
    indicator: IndicatorDefinition,
    period: Period,
    value: str,
    source: str = MeasurementSource.IMPORTED,
    user: Any = None,
    breakdown: str = "",
) -> Measurement:
    [row] = record_measurements(
        [NewMeasurement(indicator, period, D(value), breakdown)], source=source, user=user
    )
    return row


@pytest.fixture
def contract(association: Any) -> Contract:
    return make_contract()


@pytest.fixture
def year2(contract: Contract) -> ContractYear:
    return contract.years.get(number=2)  # from 01/01/2025 to 31/12/2025


# --- value_error and record_measurements -------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "value", "expected"),
    [
        ("count", "0", None),
        ("count", "150000", None),
        ("count", "-1", "La valeur ne peut pas être négative."),
        ("percent", "100", None),
        ("percent", "100.01", "Un pourcentage ne peut pas dépasser 100."),
        ("euros", "NaN", "La valeur n'est pas un nombre."),
        ("hours", "1000000000000", "La valeur est trop grande."),
    ],
)
def test_value_error(association: Any, unit: str, value: str, expected: str | None) -> None:
    assert value_error(make_indicator(unit=unit), D(value)) == expected


def test_record_measurements_is_all_or_nothing(association: Any) -> None:
    good, bad = make_indicator("bon"), make_indicator("mauvais")
    with pytest.raises(MeasurementError) as caught:
        record_measurements(
            [
                NewMeasurement(good, calendar_year(2025), D("70")),
                NewMeasurement(bad, quarter(2025, 1), D("101")),
            ],
            source=MeasurementSource.MANUAL,
        )
    assert str(caught.value) == ("Taux mauvais, T1 2025 : Un pourcentage ne peut pas dépasser 100.")
    assert not Measurement.objects.exists()


def test_history_is_kept_and_the_latest_is_current(association: Any, coordinator: User) -> None:
    indicator = make_indicator()
    first = record(indicator, calendar_year(2025), "66.26", user=coordinator)
    record(indicator, calendar_year(2025), "70.1", source=MeasurementSource.MANUAL)
    record(indicator, calendar_year(2024), "50")
    assert Measurement.objects.filter(indicator=indicator).count() == 3
    assert current_value(indicator, calendar_year(2025)) == D("70.1")
    assert current_value(indicator, calendar_year(2024)) == D(50)
    assert current_value(indicator, calendar_year(2023)) is None
    assert first.recorded_by == coordinator
    assert first.period_kind == "year" and first.contract_year_id is None


# --- Lines following an indicator ---------------------------------------------------------


def test_line_follows_the_latest_measurement_of_its_contract_year(
    year2: ContractYear, coordinator: User
) -> None:
    indicator = make_indicator()
    line = make_line(year2, indicator)
    assert line.achieved is None

    measured = record(indicator, contract_year_period(year2), "68.5", user=coordinator)
    line.refresh_from_db()
    assert line.achieved == D("68.5")
    assert line.achieved_source == AchievedSource.CPAM  # imported → CPAM
    assert line.assessed_at == measured.recorded_at
    assert line.assessed_by == coordinator
    assert line.achieved_note == "Mesure de l'indicateur « Taux depistage » (A2)"

    record(indicator, contract_year_period(year2), "72.4", source=MeasurementSource.MANUAL)
    line.refresh_from_db()
    assert line.achieved == D("72.4")
    assert line.achieved_source == AchievedSource.MANUAL
    assert Measurement.objects.filter(indicator=indicator).count() == 2  # history kept


def test_other_periods_and_breakdowns_do_not_move_the_line(
    contract: Contract, year2: ContractYear
) -> None:
    indicator = make_indicator()
    line = make_line(year2, indicator)
    record(indicator, contract_year_period(year2), "68.5")

    record(indicator, calendar_year(2025), "90")  # same dates, but a calendar year
    record(indicator, quarter(2025, 4), "91")
    record(indicator, contract_year_period(contract.years.get(number=1)), "92")
    record(indicator, contract_year_period(contract.years.get(number=3)), "93")
    record(indicator, contract_year_period(year2), "94", breakdown="Infirmier")
    line.refresh_from_db()
    assert line.achieved == D("68.5")


def test_an_unlinked_line_and_another_indicator_do_not_move(year2: ContractYear) -> None:
    followed, other = make_indicator("suivi"), make_indicator("autre")
    linked = make_line(year2, followed, label="Suivie")
    free = make_line(year2, None, label="Libre")
    record(other, contract_year_period(year2), "50")
    linked.refresh_from_db()
    free.refresh_from_db()
    assert linked.achieved is None and free.achieved is None


def test_line_change_is_audited(year2: ContractYear) -> None:
    indicator = make_indicator()
    line = make_line(year2, indicator)
    before = LogEntry.objects.get_for_object(line).count()
    record(indicator, contract_year_period(year2), "68.5")
    entries = LogEntry.objects.get_for_object(line).order_by("-timestamp", "-pk")
    assert entries.count() == before + 1
    changes = entries.first().changes_dict
    assert changes["achieved"][1] == "68.5000"
    assert changes["achieved_source"][1] == AchievedSource.CPAM


def test_sync_line_is_idempotent(year2: ContractYear) -> None:
    indicator = make_indicator()
    line = make_line(year2, indicator)
    record(indicator, contract_year_period(year2), "68.5")
    line.refresh_from_db()
    before = LogEntry.objects.get_for_object(line).count()
    assert sync_line(line) is False
    assert sync_lines({indicator.pk}, {year2.pk}) == 0
    assert LogEntry.objects.get_for_object(line).count() == before


def test_sync_line_without_measurement_or_indicator(year2: ContractYear) -> None:
    line = make_line(year2, make_indicator())
    assert sync_line(line) is False
    free = make_line(year2, None, label="Libre")
    assert sync_line(free) is False
    assert contract_year_value(line.indicator_id or 0, year2.pk) is None


def test_linking_a_line_takes_the_current_value_at_once(year2: ContractYear) -> None:
    """The indicators signal: a line saved with its indicator set follows it at once."""
    indicator = make_indicator()
    record(indicator, contract_year_period(year2), "71")
    line = make_line(year2, None)
    line.indicator = indicator
    line.save(update_fields=["indicator", "updated_at"])
    line.refresh_from_db()
    assert line.achieved == D(71)
    assert line.assessed_at is not None and line.assessed_at <= timezone.now()
