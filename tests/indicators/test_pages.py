"""The indicators pages: the catalogue with the values of a period, one indicator with its
lines, trend chart and history, typing a value, the proof download and the recomputation
button; who may see and write; constant query counts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cpts.models import GeneratedDocument, User
from indicators.models import IndicatorDefinition, Measurement, MeasurementSource
from indicators.periods import calendar_year, contract_year_period, quarter
from indicators.selectors.indicators import choose_period, contract_with_years, default_period
from indicators.services.measurements import NewMeasurement, record_measurements
from missions.models import (
    Contract,
    ContractYear,
    IndicatorLine,
    LineKind,
    LineTier,
    Mission,
    MissionEnvelope,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def contract(association: Any) -> Contract:
    """Signed on 01/07/2024: year 1 runs from 01/07/2024 to 30/06/2025, … year 5 to 30/06/2029."""
    contract = Contract.objects.create(
        signed_on=date(2024, 7, 1), cpam="CPAM de l'Hérault", ars="ARS Occitanie", taille="T2"
    )
    for number in range(1, 6):
        start = date(2023 + number, 7, 1)
        ContractYear.objects.create(
            contract=contract,
            number=number,
            start=start,
            end=date(2024 + number, 7, 1) - timedelta(days=1),
        )
    return contract


@pytest.fixture
def screening(association: Any) -> IndicatorDefinition:
    return IndicatorDefinition.objects.get(code="screening_colorectal_rate")


@pytest.fixture
def tiers_line(contract: Contract, screening: IndicatorDefinition) -> IndicatorLine:
    """Year 2 line following the screening rate: baseline 66.26 %, three tiers."""
    year = contract.years.get(number=2)
    envelope = MissionEnvelope.objects.create(
        year=year,
        mission=Mission.objects.get(key="prevention"),
        fixed=Decimal("10000"),
        variable=Decimal("3500"),
    )
    line = IndicatorLine.objects.create(
        envelope=envelope,
        label="Dépistage du cancer colorectal",
        kind=LineKind.TIERS,
        amount=Decimal("3500"),
        baseline=Decimal("66.26"),
    )
    for position, (label, threshold, amount) in enumerate(
        (("Socle", "69.70", "1000"), ("Intermédiaire", "72.40", "2500"), ("Objectif", "75", "3500"))
    ):
        LineTier.objects.create(
            line=line,
            position=position,
            label=label,
            threshold=Decimal(threshold),
            amount=Decimal(amount),
        )
    line.indicator = screening
    line.save()
    return line


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def record(
    indicator: IndicatorDefinition, period: Any, value: str, breakdown: str = ""
) -> Measurement:
    return record_measurements(
        [NewMeasurement(indicator, period, Decimal(value), breakdown)],
        source=MeasurementSource.IMPORTED,
        source_name="extraction-cpam.csv",
    )[0]


# --- Periods -----------------------------------------------------------------------------------


def test_default_period_is_the_contract_year_running_at_its_boundaries(contract: Contract):
    contract = contract_with_years() or contract
    assert default_period(contract, date(2025, 6, 30)).key == "A1"  # last day of year 1
    assert default_period(contract, date(2025, 7, 1)).key == "A2"  # first day of year 2
    assert default_period(contract, date(2024, 6, 30)).key == "A1"  # before: the first year
    assert default_period(contract, date(2029, 7, 1)).key == "A5"  # after: the last year


def test_default_period_without_contract_is_the_calendar_year(association: Any):
    assert default_period(None, date(2026, 3, 4)) == calendar_year(2026)


def test_a_bad_period_falls_back_to_the_default_with_a_french_message(contract: Contract):
    choice = choose_period("trimestre 9", contract_with_years())
    assert choice.period == default_period(contract_with_years())
    assert "n'est pas une période reconnue" in choice.error
    assert choose_period("A7", contract_with_years()).error.startswith("« A7 » : le contrat")
    assert choose_period("T2 2025", contract_with_years()).period == quarter(2025, 2)


# --- Access ------------------------------------------------------------------------------------


def _pages(indicator: IndicatorDefinition, measurement: Measurement) -> list[str]:
    return [
        reverse("indicator_list"),
        reverse("indicator_detail", args=[indicator.pk]),
        reverse("measurement_create", args=[indicator.pk]),
        reverse("indicator_create"),
        reverse("indicator_edit", args=[indicator.pk]),
        reverse("measurement_proof", args=[measurement.pk]),
    ]


@pytest.fixture
def proved(screening: IndicatorDefinition, coordinator: User) -> Measurement:
    return record_measurements(
        [NewMeasurement(screening, calendar_year(2025), Decimal("70"))],
        source=MeasurementSource.MANUAL,
        user=coordinator,
        proof=SimpleUploadedFile("extraction.pdf", PDF, content_type="application/pdf"),
    )[0]


@pytest.mark.parametrize("persona", ["adherent", "referent"])
def test_members_without_the_permission_are_refused(
    persona: str, personas: dict[str, User | None], screening: Any, proved: Measurement
):
    client = client_for(personas[persona])
    for url in _pages(screening, proved):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("indicator_recompute"), {"periode": "2025"}).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(screening: Any, proved: Measurement):
    client = Client()
    for url in _pages(screening, proved):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_the_bureau_reads_without_write_buttons_and_its_writes_are_refused(
    president: User, screening: IndicatorDefinition, proved: Measurement
):
    client = client_for(president)
    listing = client.get(reverse("indicator_list")).content.decode()
    assert screening.label in listing
    for button in ("Recalculer les indicateurs calculés", "Nouvel indicateur"):
        assert button not in listing
    detail = client.get(reverse("indicator_detail", args=[screening.pk])).content.decode()
    assert "Saisir une valeur" not in detail
    assert "Modifier la définition" not in detail
    assert client.get(reverse("measurement_proof", args=[proved.pk])).status_code == 200
    writes = {
        reverse("indicator_recompute"): {"periode": "2025"},
        reverse("measurement_create", args=[screening.pk]): {"period": "2025", "value": "70"},
        reverse("indicator_create"): {"code": "x", "label": "X", "source": "manual"},
        reverse("indicator_edit", args=[screening.pk]): {"code": "x", "label": "X"},
    }
    for url, data in writes.items():
        assert client.post(url, data).status_code == 403, url
    assert Measurement.objects.count() == 1
    assert not IndicatorDefinition.objects.filter(code="x").exists()


def test_the_coordinator_sees_the_write_buttons(coordinator: User, screening: Any):
    client = client_for(coordinator)
    listing = client.get(reverse("indicator_list")).content.decode()
    assert "Recalculer les indicateurs calculés" in listing
    assert reverse("indicator_create") in listing
    detail = client.get(reverse("indicator_detail", args=[screening.pk])).content.decode()
    assert reverse("measurement_create", args=[screening.pk]) in detail
    assert reverse("indicator_edit", args=[screening.pk]) in detail


def test_missing_objects_are_404(coordinator: User, screening: Any):
    client = client_for(coordinator)
    for name in ("indicator_detail", "measurement_create", "indicator_edit", "measurement_proof"):
        assert client.get(reverse(name, args=[999999])).status_code == 404, name
    measurement = record(screening, calendar_year(2025), "70")  # no proof
    assert client.get(reverse("measurement_proof", args=[measurement.pk])).status_code == 404


def test_the_nav_item_is_shown_and_active_for_readers(president: User, adherent: User):
    page = client_for(president).get(reverse("indicator_list")).content.decode()
    # Under the contract's menu, which is marked as the current section.
    assert f'class="dropdown-item" href="{reverse("indicator_list")}"' in page
    assert (
        'dropdown-toggle active" href="#" role="button" data-bs-toggle="dropdown" '
        'aria-expanded="false">Contrat ACI</a>' in page
    )
    assert reverse("indicator_list") not in client_for(adherent).get("/").content.decode()


# --- The catalogue -----------------------------------------------------------------------------


def test_the_catalogue_shows_the_value_of_the_chosen_period(
    coordinator: User, contract: Contract, screening: IndicatorDefinition, tiers_line: Any
):
    years = {year.number: year for year in contract.years.all()}
    record(screening, contract_year_period(years[2]), "70.5")
    record(screening, calendar_year(2025), "68")
    record(screening, calendar_year(2025), "71.25")  # recorded later: the current value
    client = client_for(coordinator)

    page = client.get(reverse("indicator_list"), {"periode": "2025"}).content.decode()
    assert "Année 2025" in page
    assert "71,25\xa0%" in page
    assert "68\xa0%" not in page
    assert "extraction-cpam.csv" in page

    page = client.get(reverse("indicator_list"), {"periode": "A2"}).content.decode()
    assert "70,50\xa0%" in page
    assert "Prévention" in page and "Vie de l&#x27;association" in page
    row = page[page.index(screening.label) :]
    row = row[: row.index("</tr>")]
    assert row.rstrip().endswith('<td class="text-end">1</td>')  # one line follows it


def test_a_bad_period_shows_a_french_message_and_the_default_period(
    coordinator: User, contract: Contract
):
    response = client_for(coordinator).get(reverse("indicator_list"), {"periode": "13/2025"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "le mois doit être entre 1 et 12" in page
    assert response.context["period"] == default_period(contract_with_years())


def test_the_catalogue_query_count_does_not_grow(
    coordinator: User, django_assert_max_num_queries: Any, association: Any
):
    prevention = Mission.objects.get(key="prevention")

    def add(count: int, offset: int) -> int:
        for index in range(count):
            indicator = IndicatorDefinition.objects.create(
                code=f"local-{offset + index}",
                label=f"Indicateur local {offset + index}",
                source="manual",
                mission=prevention if index % 2 else None,
            )
            record(indicator, calendar_year(2025), str(index))
        client = client_for(coordinator)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("indicator_list"), {"periode": "2025"}).status_code == 200
        return len(queries)

    few = add(3, 0)
    many = add(27, 100)  # 30 in all
    assert many == few


# --- One indicator -----------------------------------------------------------------------------


def test_the_detail_shows_lines_earnings_chart_table_breakdowns_and_history(
    coordinator: User, contract: Contract, screening: IndicatorDefinition, tiers_line: Any
):
    years = {year.number: year for year in contract.years.all()}
    record(screening, contract_year_period(years[1]), "67")
    record(screening, contract_year_period(years[2]), "72.4")  # intermédiaire → 2 500 €
    record(screening, contract_year_period(years[2]), "68.1", breakdown="Canton Nord")
    record(screening, contract_year_period(years[2]), "75.3", breakdown="Canton Sud")
    response = client_for(coordinator).get(
        reverse("indicator_detail", args=[screening.pk]), {"periode": "A2"}
    )
    page = response.content.decode()
    assert "Dépistage du cancer colorectal" in page
    assert "2\xa0500,00 €" in page and "3\xa0500,00 €" in page  # earned / potential
    start = page.index("<svg")
    svg = ET.fromstring(page[start : page.index("</svg>") + 6])
    assert svg.find(f"{SVG}title").text == f"Évolution : {screening.label}"  # type: ignore[union-attr]
    assert svg.find(f"{SVG}desc") is not None
    assert [float(c.get("data-value", "")) for c in svg.iter(f"{SVG}circle")] == [67.0, 72.4]
    references = [
        float(g.get("data-value", "")) for g in svg.iter(f"{SVG}g") if g.get("class") == "reference"
    ]
    assert references == [66.26, 69.7, 72.4, 75.0]
    table = page[page.index('data-testid="trend-table"') :]
    assert "72,40\xa0%" in table[: table.index("</table>")]
    assert "Intermédiaire" in table[: table.index("</table>")]
    breakdowns = page[page.index('data-testid="breakdowns"') :]
    breakdowns = breakdowns[: breakdowns.index("</table>")]
    assert breakdowns.index("Canton Nord") < breakdowns.index("Canton Sud")
    assert "75,30\xa0%" in breakdowns
    assert page.count("extraction-cpam.csv") == 4  # one history row per measurement


def test_the_trend_over_calendar_years_keeps_the_gaps(
    coordinator: User, contract: Contract, screening: IndicatorDefinition
):
    record(screening, calendar_year(2023), "60")
    record(screening, calendar_year(2025), "64")
    response = client_for(coordinator).get(
        reverse("indicator_detail", args=[screening.pk]), {"serie": "year"}
    )
    points = response.context["points"]
    assert [point.period.key for point, _text in points] == ["2023", "2024", "2025"]
    assert [text for _point, text in points] == ["60\xa0%", "—", "64\xa0%"]
    bad = client_for(coordinator).get(
        reverse("indicator_detail", args=[screening.pk]), {"serie": "décennie", "page": "zzz"}
    )
    assert bad.status_code == 200 and bad.context["kind"] == "contract_year"


def test_the_history_is_paginated_and_its_query_count_does_not_grow(
    coordinator: User, contract: Contract, screening: IndicatorDefinition, tiers_line: Any
):
    client = client_for(coordinator)
    url = reverse("indicator_detail", args=[screening.pk])

    def measure(count: int, first_year: int) -> int:
        for index in range(count):
            record(screening, calendar_year(first_year + index), str(50 + index))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"serie": "year"}).status_code == 200
        return len(queries)

    few = measure(3, 2000)
    many = measure(27, 2010)  # 30 in all
    assert many == few
    second = client.get(url, {"page": "2"})
    assert len(second.context["page"].object_list) == 5
    assert "Page 2 sur 2" in second.content.decode()


# --- Typing a value ----------------------------------------------------------------------------


def _post(client: Client, indicator: IndicatorDefinition, **data: Any) -> Any:
    return client.post(reverse("measurement_create", args=[indicator.pk]), data)


def test_a_typed_value_is_recorded_and_followed_by_the_line(
    coordinator: User, contract: Contract, screening: IndicatorDefinition, tiers_line: Any
):
    response = _post(
        client_for(coordinator),
        screening,
        contract_year="A2",
        value="72,4 %",
        note="Chiffre communiqué par la CPAM",
        proof=SimpleUploadedFile("cpam.pdf", PDF, content_type="application/pdf"),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("indicator_detail", args=[screening.pk])
    measurement = Measurement.objects.get()
    assert measurement.value == Decimal("72.4")
    assert measurement.source == "manual"
    assert measurement.period_key == "A2"
    assert measurement.recorded_by == coordinator
    assert measurement.proof.name.endswith(".pdf")
    tiers_line.refresh_from_db()
    assert tiers_line.achieved == Decimal("72.4")


def test_a_typed_period_text_is_read(coordinator: User, contract: Contract, screening: Any):
    response = _post(client_for(coordinator), screening, period="T1 2026", value="64,5")
    assert response.status_code == 302
    assert Measurement.objects.get().period_key == "2026-T1"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"period": "2025", "value": "100,01"},
            "value",
            "Un pourcentage ne peut pas dépasser 100.",
        ),
        ({"period": "2025", "value": "-1"}, "value", "La valeur ne peut pas être négative."),
        ({"period": "2025", "value": "beaucoup"}, "value", "Saisissez un nombre"),
        ({"period": "2025", "value": ""}, "value", "Ce champ est obligatoire."),
        ({"period": "l'an dernier", "value": "50"}, "period", "n'est pas une période reconnue"),
        ({"period": "", "value": "50"}, "period", "Indiquez la période de la valeur."),
        ({"period": "2031", "value": "50"}, "period", "en dehors des années du contrat"),
        ({"period": "A6", "value": "50"}, "period", "le contrat n'a pas d'année 6"),
        (
            {"contract_year": "A1", "period": "2025", "value": "50"},
            "period",
            "pas les deux",
        ),
        ({"contract_year": "A9", "value": "50"}, "contract_year", "Sélectionnez un choix valide"),
    ],
)
def test_bad_typed_values_are_refused_with_a_french_message(
    coordinator: User,
    contract: Contract,
    screening: IndicatorDefinition,
    data: dict[str, str],
    field: str,
    message: str,
):
    response = _post(client_for(coordinator), screening, **data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Measurement.objects.exists()


def test_the_2024_calendar_year_overlapping_the_contract_is_accepted(
    coordinator: User, contract: Contract, screening: Any
):
    # The contract starts on 01/07/2024: 2024 overlaps it, 2023 does not.
    assert _post(client_for(coordinator), screening, period="2024", value="50").status_code == 302
    refused = _post(client_for(coordinator), screening, period="2023", value="50")
    assert "en dehors des années du contrat" in refused.context["form"].errors["period"][0]


def test_a_computed_indicator_cannot_be_typed(coordinator: User, association: Any):
    computed = IndicatorDefinition.objects.filter(source="computed").first()
    assert computed is not None
    client = client_for(coordinator)
    assert client.get(reverse("measurement_create", args=[computed.pk])).status_code == 404
    assert _post(client, computed, period="2025", value="3").status_code == 404
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cpam.docx", b"PK\x03\x04rest", "Format non accepté"),
        ("cpam.exe", b"MZ", "Format non accepté"),
        ("cpam.pdf", b"MZ\x90\x00 not a pdf", "ne correspond pas à son extension"),
        ("cpam.png", PDF, "ne correspond pas à son extension"),
        ("cpam.pdf", PDF + b"0" * (10 * 1024 * 1024), "taille maximale de 10 Mo"),
    ],
)
def test_bad_proofs_are_refused(
    coordinator: User, contract: Contract, screening: Any, name: str, content: bytes, message: str
):
    response = _post(
        client_for(coordinator),
        screening,
        period="2025",
        value="70",
        proof=SimpleUploadedFile(name, content),
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors["proof"][0]
    assert not Measurement.objects.exists()


def test_an_image_proof_is_accepted_and_downloaded(
    coordinator: User, president: User, contract: Contract, screening: Any
):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    _post(
        client_for(coordinator),
        screening,
        period="2025",
        value="70",
        proof=SimpleUploadedFile("capture.png", png),
    )
    measurement = Measurement.objects.get()
    response = client_for(president).get(reverse("measurement_proof", args=[measurement.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png  # type: ignore[attr-defined]


# --- Recomputation -----------------------------------------------------------------------------


def test_the_recompute_button_queues_a_job_for_the_period_shown(
    coordinator: User, contract: Contract
):
    client = client_for(coordinator)
    response = client.post(reverse("indicator_recompute"), {"periode": "A2"})
    document = GeneratedDocument.objects.get()
    assert response["Location"] == reverse("document_detail", args=[document.pk])
    assert document.kind == "indicator_recompute"
    assert document.parameters == {"contract_year": contract.years.get(number=2).pk}
    assert document.requested_by == coordinator

    for text, key in (("2025", "2025"), ("T3 2025", "2025-T3"), ("mars 2026", "2026-03")):
        client.post(reverse("indicator_recompute"), {"periode": text})
        latest = GeneratedDocument.objects.order_by("-pk").first()
        assert latest is not None and latest.parameters == {"period": key}


def test_a_bad_recompute_period_is_refused_with_a_message(coordinator: User, contract: Any):
    client = client_for(coordinator)
    response = client.post(reverse("indicator_recompute"), {"periode": "A9"}, follow=True)
    assert "le contrat n&#x27;a pas d&#x27;année 9" in response.content.decode()
    assert not GeneratedDocument.objects.exists()
    assert client.get(reverse("indicator_recompute")).status_code == 405


def test_the_list_recompute_form_posts_the_period_shown(coordinator: User, contract: Any):
    page = client_for(coordinator).get(reverse("indicator_list"), {"periode": "T3 2025"})
    assert 'name="periode" value="2025-T3"' in page.content.decode()
