"""Recomputing the computed indicators: values recorded once (unchanged values not
duplicated), vanished breakdowns, progress, all or nothing, the job and its CSV, the nightly
task and the ``compute_indicators`` command."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

import cpts.indicator_registry as registry_module
from cpts.indicator_registry import ComputedIndicator, Value
from cpts.models import GeneratedDocument, User
from indicators.jobs import _describe
from indicators.models import IndicatorDefinition, Measurement, MeasurementSource
from indicators.periods import PeriodError, calendar_year, contract_year_period
from indicators.services.recompute import (
    RECOMPUTE_KIND,
    RecomputeError,
    recompute,
    request_recompute,
)
from indicators.tasks import recompute_current_contract_year
from members.models import Member
from missions.models import Contract, ContractYear, Taille
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

Status = GeneratedDocument.Status

# What the fake computation returns; tests change it between runs.
FAKE: dict[str, Any] = {}


def joined(start: date, end: date) -> Value:
    """A real SQL count: members who joined during the period (both days included)."""
    return Member.objects.filter(joined_on__gte=start, joined_on__lte=end).count()


def fake_breakdown(start: date, end: date) -> Value:
    if FAKE.get("raise"):
        raise RuntimeError("division par zéro")
    return dict(FAKE["values"])


def fake_percent(start: date, end: date) -> Value:
    return FAKE.get("percent", {"": Decimal("50"), "Infirmier": Decimal("40")})


def _entry(code: str, function: Any, unit: str = "count", position: int = 0) -> ComputedIndicator:
    return ComputedIndicator(
        code=code,
        label=f"Essai {code}",
        description="",
        function=function,
        unit=unit,
        position=position,
    )


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch, association: Any) -> Iterator[dict[str, Any]]:
    """Three computations only: a real SQL count, a count with breakdowns, a percentage
    with breakdowns (the registered ones are set aside, so the test does not move with them)."""
    entries = {
        "test_joined": _entry("test_joined", joined, position=1),
        "test_breakdown": _entry("test_breakdown", fake_breakdown, position=2),
        "test_percent": _entry("test_percent", fake_percent, unit="percent", position=3),
    }
    monkeypatch.setattr(registry_module, "_REGISTRY", entries)
    FAKE.clear()
    FAKE["values"] = {"": 3, "Infirmier": 1, "Pharmacien": 2}
    yield entries
    FAKE.clear()


@pytest.fixture
def members_2025(association: Any) -> None:
    """Members who joined in 2025: 3 (hand-counted below); in 2024: 1."""
    MemberFactory.create(joined_on=date(2024, 12, 31))  # the day before: 2024
    MemberFactory.create(joined_on=date(2025, 1, 1))  # first day: counts
    MemberFactory.create(joined_on=date(2025, 6, 15))  # counts
    MemberFactory.create(joined_on=date(2025, 12, 31))  # last day: counts
    MemberFactory.create(joined_on=date(2026, 1, 1))  # the day after: 2026


def _values(period_key: str = "2025") -> dict[tuple[str, str], Decimal]:
    return {
        (m.indicator.code, m.breakdown): m.value
        for m in Measurement.objects.filter(period_key=period_key).select_related("indicator")
    }


def test_recompute_records_every_value(
    registry: dict[str, Any], members_2025: None, coordinator: User
) -> None:
    result = recompute(calendar_year(2025), user=coordinator)

    assert _values() == {
        ("test_joined", ""): Decimal(3),
        ("test_breakdown", ""): Decimal(3),
        ("test_breakdown", "Infirmier"): Decimal(1),
        ("test_breakdown", "Pharmacien"): Decimal(2),
        ("test_percent", ""): Decimal(50),
        ("test_percent", "Infirmier"): Decimal(40),
    }
    assert (result.indicators, result.changed, result.unchanged) == (3, 6, 0)
    measurement = Measurement.objects.filter(indicator__code="test_joined").get()
    assert measurement.source == MeasurementSource.COMPUTED
    assert measurement.recorded_by == coordinator
    assert (measurement.period_start, measurement.period_end) == (
        date(2025, 1, 1),
        date(2025, 12, 31),
    )
    assert result.summary.startswith(
        "indicateurs calculés : 3, valeurs modifiées : 6, inchangées : 0 ("
    )
    assert result.summary.endswith(" s)") and "," in result.summary.rsplit("(", 1)[1]


def test_unchanged_values_are_not_recorded_again(
    registry: dict[str, Any], members_2025: None
) -> None:
    recompute(calendar_year(2025))
    again = recompute(calendar_year(2025))
    assert (again.changed, again.unchanged) == (0, 6)
    assert Measurement.objects.count() == 6

    MemberFactory.create(joined_on=date(2025, 6, 1))
    FAKE["values"] = {"": 4, "Infirmier": 2, "Pharmacien": 2}
    third = recompute(calendar_year(2025))

    assert (third.changed, third.unchanged) == (3, 3)
    assert Measurement.objects.count() == 9
    history = Measurement.objects.filter(indicator__code="test_joined", breakdown="")
    assert sorted(m.value for m in history) == [Decimal(3), Decimal(4)]  # history kept
    assert _values()[("test_joined", "")] in (Decimal(3), Decimal(4))
    changed = {(item.indicator.code, item.breakdown): item.previous for item in third.values}
    assert changed[("test_joined", "")] == Decimal(3)
    assert changed[("test_breakdown", "Pharmacien")] == Decimal(2)


def test_vanished_breakdown_goes_to_zero_except_percentages(registry: dict[str, Any]) -> None:
    recompute(calendar_year(2025))
    FAKE["values"] = {"": 2, "Pharmacien": 2}
    FAKE["percent"] = {"": Decimal("60")}
    result = recompute(calendar_year(2025))

    by_key = {(i.indicator.code, i.breakdown): (i.value, i.previous) for i in result.values}
    assert by_key[("test_breakdown", "Infirmier")] == (Decimal(0), Decimal(1))
    assert ("test_percent", "Infirmier") not in by_key  # left as it was
    latest = (
        Measurement.objects.filter(indicator__code="test_breakdown", breakdown="Infirmier")
        .order_by("-recorded_at", "-pk")
        .first()
    )
    assert latest is not None and latest.value == 0


def test_periods_are_kept_apart(registry: dict[str, Any], members_2025: None) -> None:
    recompute(calendar_year(2025))
    result = recompute(calendar_year(2024))
    assert result.changed == 6  # nothing measured for 2024 yet
    assert _values("2024")[("test_joined", "")] == Decimal(1)  # joined on 2024-12-31


def test_a_failing_computation_writes_nothing_and_names_the_indicator(
    registry: dict[str, Any],
) -> None:
    FAKE["raise"] = True
    with pytest.raises(RecomputeError) as caught:
        recompute(calendar_year(2025))
    assert "« Essai test_breakdown » (test_breakdown)" in str(caught.value)
    assert "division par zéro" in str(caught.value)
    assert not Measurement.objects.exists()  # test_joined, computed first, not recorded


def test_an_impossible_value_writes_nothing(registry: dict[str, Any]) -> None:
    FAKE["percent"] = {"": Decimal("120")}
    with pytest.raises(RecomputeError) as caught:
        recompute(calendar_year(2025))
    assert "Essai test_percent" in str(caught.value)
    assert "100" in str(caught.value)
    assert not Measurement.objects.exists()


def test_progress_is_reported_per_indicator(registry: dict[str, Any]) -> None:
    steps: list[tuple[int, str]] = []
    recompute(calendar_year(2025), report=lambda progress, step: steps.append((progress, step)))
    labels = [step for _progress, step in steps]
    assert labels[:3] == [
        "Calcul : Essai test_joined",
        "Calcul : Essai test_breakdown",
        "Calcul : Essai test_percent",
    ]
    progress = [value for value, _step in steps]
    assert progress == sorted(progress) and progress[-1] == 90


def test_a_computation_no_longer_registered_is_skipped(registry: dict[str, Any]) -> None:
    recompute(calendar_year(2025))
    registry_module._REGISTRY.pop("test_breakdown")
    result = recompute(calendar_year(2025))
    assert result.indicators == 2
    assert {item.indicator.code for item in result.values} == {"test_joined", "test_percent"}
    assert not IndicatorDefinition.objects.get(code="test_breakdown").is_active


# --- The job -----------------------------------------------------------------------------


def test_job_records_with_progress_and_returns_a_csv(
    registry: dict[str, Any],
    members_2025: None,
    coordinator: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        document = request_recompute(user=coordinator, period="2025")
    document.refresh_from_db()

    assert document.kind == RECOMPUTE_KIND
    assert document.parameters == {"period": "2025"}
    assert document.status == Status.DONE, document.error_message
    assert document.progress == 100
    assert Measurement.objects.filter(job=document).count() == 6
    content = document.file.read()
    assert content.startswith("\ufeff".encode())
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0] == "code;intitulé;période;ventilation;valeur;précédente valeur"
    assert "test_joined;Essai test_joined;Année 2025;Total;3;" in lines
    assert "test_percent;Essai test_percent;Année 2025;Infirmier;40;" in lines
    assert _describe(document.parameters) == "Année 2025"


def test_job_on_a_contract_year_and_a_second_run_shows_previous_values(
    registry: dict[str, Any], coordinator: User, django_capture_on_commit_callbacks: Any
) -> None:
    year = _contract(date(2025, 1, 1)).years.get(number=1)
    with django_capture_on_commit_callbacks(execute=True):
        request_recompute(user=coordinator, contract_year_id=year.pk)
    FAKE["values"] = {"": 5, "Infirmier": 3, "Pharmacien": 2}
    with django_capture_on_commit_callbacks(execute=True):
        second = request_recompute(user=coordinator, contract_year_id=year.pk)
    second.refresh_from_db()

    assert second.parameters == {"contract_year": year.pk}
    assert second.status == Status.DONE, second.error_message
    rows = second.file.read().decode("utf-8-sig").splitlines()
    assert any(row.startswith("test_breakdown;") and row.endswith("Infirmier;3;1") for row in rows)
    assert any(row.endswith("Pharmacien;2;2") for row in rows)
    assert Measurement.objects.filter(job=second).count() == 2  # total and Infirmier
    assert Measurement.objects.filter(contract_year=year).count() == 8
    assert _describe(second.parameters).startswith("Année de contrat 1 (du 01/01/2025 au")


def test_failing_job_is_failed_with_a_french_message_and_writes_nothing(
    registry: dict[str, Any], coordinator: User, django_capture_on_commit_callbacks: Any
) -> None:
    FAKE["raise"] = True
    with django_capture_on_commit_callbacks(execute=True):
        document = request_recompute(user=coordinator, period="T1 2025")
    document.refresh_from_db()
    assert document.status == Status.FAILED
    assert document.error_message.startswith("Recalcul refusé, rien n'a été enregistré : ")
    assert "Essai test_breakdown" in document.error_message
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"period": "l'an dernier"}, "n'est pas une période reconnue"),
        ({"period": "13/2025"}, "le mois doit être entre 1 et 12"),
        ({"period": ""}, "La période est vide."),
        ({"period": "A2"}, "aucun contrat ACI n'est enregistré"),
        ({"contract_year_id": 999999}, "Cette année de contrat n'existe pas."),
    ],
)
def test_request_refuses_a_bad_period(
    registry: dict[str, Any], coordinator: User, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(PeriodError) as caught:
        request_recompute(user=coordinator, **kwargs)
    assert message in str(caught.value)
    assert not GeneratedDocument.objects.filter(kind=RECOMPUTE_KIND).exists()


def test_describe_survives_bad_parameters() -> None:
    assert _describe({"period": "n'importe quoi"}) == "n'importe quoi"
    assert _describe({"contract_year": "x"}) == "x"


# --- The nightly task --------------------------------------------------------------------


def _contract(first_day: date) -> Contract:
    contract = Contract.objects.create(
        signed_on=first_day, cpam="CPAM", ars="ARS", taille=Taille.T2, population=50000
    )
    start = first_day
    for number in range(1, 6):
        end = start.replace(year=start.year + 1) - timedelta(days=1)
        ContractYear.objects.create(contract=contract, number=number, start=start, end=end)
        start = end + timedelta(days=1)
    return contract


def test_nightly_task_recomputes_the_current_contract_year(
    registry: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    today = timezone.localdate()
    contract = _contract(today - timedelta(days=400))  # today is in year 2
    MemberFactory.create(joined_on=today - timedelta(days=10))
    MemberFactory.create(joined_on=today - timedelta(days=500))  # year 1
    with django_capture_on_commit_callbacks(execute=True):
        document_id = recompute_current_contract_year.delay().get()
    assert isinstance(document_id, int)
    document = GeneratedDocument.objects.get(pk=document_id)

    assert document.status == Status.DONE, document.error_message
    assert document.requested_by is None
    year = contract.years.get(number=2)
    assert document.parameters == {"contract_year": year.pk}
    period = contract_year_period(year)
    measured = Measurement.objects.get(
        indicator__code="test_joined", period_key=period.key, contract_year=year
    )
    assert measured.value == 1 and measured.job == document


def test_nightly_task_without_contract_does_nothing(
    registry: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="indicators.tasks"):
        assert recompute_current_contract_year.delay().get() is None
    assert "no contract" in caplog.text
    assert not GeneratedDocument.objects.exists()
    assert not Measurement.objects.exists()


def test_nightly_task_when_the_contract_is_over(
    registry: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    _contract(date(2010, 1, 1))
    with caplog.at_level(logging.INFO, logger="indicators.tasks"):
        assert recompute_current_contract_year.delay().get() is None
    assert "no year covering" in caplog.text
    assert not GeneratedDocument.objects.exists()


# --- The command -------------------------------------------------------------------------


def _run(*args: str) -> str:
    out = StringIO()
    call_command("compute_indicators", *args, stdout=out)
    return out.getvalue()


def test_command_on_a_calendar_year(registry: dict[str, Any], members_2025: None) -> None:
    output = _run("--period", "2025")
    assert "Année 2025" in output
    assert "indicateurs calculés : 3, valeurs modifiées : 6, inchangées : 0 (" in output
    again = _run("--period", "2025")
    assert "valeurs modifiées : 0, inchangées : 6" in again
    assert Measurement.objects.count() == 6


@pytest.mark.parametrize(
    ("text", "key"), [("T1 2025", "2025-T1"), ("03/2025", "2025-03"), ("mars 2025", "2025-03")]
)
def test_command_reads_other_period_formats(registry: dict[str, Any], text: str, key: str) -> None:
    _run("--period", text)
    assert Measurement.objects.filter(period_key=key).count() == 6


def test_command_on_a_contract_year(registry: dict[str, Any]) -> None:
    contract = _contract(date(2024, 7, 1))
    output = _run("--contract-year", "2")
    assert "Année de contrat 2 (du 01/07/2025 au 30/06/2026)" in output
    year = contract.years.get(number=2)
    assert Measurement.objects.filter(contract_year=year).count() == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--period", "2025-T5"), "« 2025-T5 » n'est pas une période reconnue"),
        (("--period", "1850"), "année invalide"),
        (("--contract-year", "2"), "Aucun contrat ACI n'est enregistré."),
    ],
)
def test_command_refuses_with_exit_code_1(
    registry: dict[str, Any], args: tuple[str, ...], message: str
) -> None:
    with pytest.raises(CommandError) as caught:
        _run(*args)
    assert caught.value.returncode == 1
    assert message in str(caught.value)
    assert not Measurement.objects.exists()


def test_command_refuses_a_year_the_contract_does_not_have(registry: dict[str, Any]) -> None:
    _contract(date(2024, 1, 1))
    with pytest.raises(CommandError) as caught:
        _run("--contract-year", "6")
    assert caught.value.returncode == 1
    assert "Le contrat n'a pas d'année 6" in str(caught.value)


def test_command_failing_computation_exits_1(registry: dict[str, Any]) -> None:
    FAKE["raise"] = True
    with pytest.raises(CommandError) as caught:
        _run("--period", "2025")
    assert caught.value.returncode == 1
    assert "Recalcul refusé, rien n'a été enregistré" in str(caught.value)
    assert "Essai test_breakdown" in str(caught.value)
    assert not Measurement.objects.exists()


def test_command_needs_one_option(registry: dict[str, Any]) -> None:
    with pytest.raises(CommandError):
        _run()
    with pytest.raises(CommandError):
        _run("--period", "2025", "--contract-year", "1")
