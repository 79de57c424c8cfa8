"""The contract line ↔ indicator link in the pages: the line form offers the active
indicators, saving a link sets the achieved value at once (audited), the line page shows the
link and no longer lets the value be typed."""

from __future__ import annotations

from decimal import Decimal as D
from html import unescape
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cpts.models import User
from indicators.models import IndicatorDefinition, MeasurementSource
from indicators.periods import calendar_year, contract_year_period
from missions.forms.lines import AssessForm, LineForm
from missions.models import AchievedSource, ContractYear, IndicatorLine, LineKind
from tests.indicators.test_measurements import make_contract, make_indicator, make_line, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def year2(association: Any) -> ContractYear:
    return make_contract().years.get(number=2)


@pytest.fixture
def indicator(association: Any) -> IndicatorDefinition:
    return make_indicator()


@pytest.fixture
def staff(client: Any, coordinator: User) -> Any:
    client.force_login(coordinator)
    return client


def edit_post(line: IndicatorLine, **overrides: Any) -> dict[str, Any]:
    data = {
        "label": line.label,
        "kind": line.kind,
        "direction": line.direction,
        "amount": "3 000",
        "baseline": "66,26",
        "target": "75",
        "indicator": "",
        "tiers-TOTAL_FORMS": "0",
        "tiers-INITIAL_FORMS": "0",
        "bands-TOTAL_FORMS": "0",
        "bands-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


# --- The form ------------------------------------------------------------------------------


def test_form_offers_active_indicators_labelled_with_their_mission(
    indicator: IndicatorDefinition,
) -> None:
    IndicatorDefinition.objects.create(
        code="ancien", label="Ancien", source="computed", is_active=False
    )
    IndicatorDefinition.objects.create(code="sans", label="Sans mission", source="manual")
    field: Any = LineForm().fields["indicator"]
    choices = {str(value): label for value, label in field.choices if value}
    assert choices[str(indicator.pk)] == "Prévention · Taux depistage"
    assert "Sans mission · Sans mission" in choices.values()
    assert "Ancien" not in " ".join(choices.values())
    assert LineForm().fields["indicator"].required is False


def test_form_refuses_a_link_on_a_binary_line_and_an_unknown_indicator(
    indicator: IndicatorDefinition,
) -> None:
    form = LineForm(
        {"label": "Réunions", "kind": LineKind.BINARY, "direction": "increasing",
         "indicator": indicator.pk}
    )  # fmt: skip
    assert not form.is_valid()
    assert form.errors["indicator"] == [
        "Seule une ligne à cible, à paliers ou à tranches peut suivre un indicateur : "
        "une action se valide par « réalisée »."
    ]
    IndicatorDefinition.objects.filter(pk=indicator.pk).update(is_active=False)
    form = LineForm(
        {"label": "Dépistage", "kind": LineKind.TARGET, "direction": "increasing",
         "target": "75", "indicator": indicator.pk}
    )  # fmt: skip
    assert not form.is_valid()
    assert form.errors["indicator"] == ["Cet indicateur n'existe pas ou n'est plus actif."]


def test_assess_form_of_a_linked_line_does_not_let_the_value_be_typed(
    year2: ContractYear, indicator: IndicatorDefinition
) -> None:
    record(indicator, contract_year_period(year2), "68.5")
    line = make_line(year2, None)
    free = AssessForm(line=line)
    assert not free.fields["achieved"].disabled

    line.indicator = indicator
    line.save(update_fields=["indicator", "updated_at"])
    line.refresh_from_db()
    form = AssessForm({"achieved": "99", "source": "manual", "note": "vu"}, line=line)
    assert all(form.fields[name].disabled for name in ("achieved", "source", "note"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["achieved"] == D("68.5")  # the posted 99 is ignored
    assert form.cleaned_data["source"] == AchievedSource.CPAM


def test_assess_form_of_a_linked_line_without_measurement(
    year2: ContractYear, indicator: IndicatorDefinition
) -> None:
    line = make_line(year2, indicator)
    form = AssessForm({"note": "rien"}, line=line)
    assert not form.is_valid()
    assert "n'a pas encore de mesure pour cette année de contrat" in " ".join(
        str(error) for error in form.non_field_errors()
    )


# --- The pages -----------------------------------------------------------------------------


def test_linking_through_the_edit_page_follows_at_once_and_is_audited(
    staff: Any, year2: ContractYear, indicator: IndicatorDefinition
) -> None:
    record(indicator, contract_year_period(year2), "72.4", source=MeasurementSource.COMPUTED)
    record(indicator, calendar_year(2025), "10")  # a calendar year: not followed
    line = make_line(year2, None)
    url = reverse("line_edit", args=[line.pk])
    html = unescape(staff.get(url).content.decode())
    assert 'name="indicator"' in html
    assert "Prévention · Taux depistage" in html

    response = staff.post(url, edit_post(line, indicator=str(indicator.pk)))
    assert response.status_code == 302, response.content.decode()
    line.refresh_from_db()
    assert line.indicator == indicator
    assert line.achieved == D("72.4")
    assert line.achieved_source == AchievedSource.COMPUTED
    changed = [entry.changes_dict for entry in LogEntry.objects.get_for_object(line)]
    assert any("indicator" in changes for changes in changed)
    assert any("achieved" in changes for changes in changed)

    page = unescape(staff.get(reverse("line_detail", args=[line.pk])).content.decode())
    assert 'data-testid="line-indicator"' in page
    assert "Taux depistage" in page
    assert (
        "Valeur suivie par l'indicateur « Taux depistage » : dernière mesure de l'année de "
        "contrat." in page
    )
    assert "disabled" in page.split('name="achieved"', 1)[1].split(">", 1)[0]
    edit_again = unescape(staff.get(url).content.decode())
    assert f'<option value="{indicator.pk}" selected>' in edit_again


def test_posting_a_result_on_a_linked_line_keeps_the_measured_value(
    staff: Any, year2: ContractYear, indicator: IndicatorDefinition
) -> None:
    record(indicator, contract_year_period(year2), "68.5")
    line = make_line(year2, None)
    line.indicator = indicator
    line.save(update_fields=["indicator", "updated_at"])
    response = staff.post(
        reverse("line_assess", args=[line.pk]),
        {
            "achieved": "99",
            "source": "manual",
            "note": "typé",
            "proof_file": SimpleUploadedFile("extraction.pdf", b"%PDF-1.4\n" + b"x" * 20),
        },
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.achieved == D("68.5")
    assert line.achieved_source == AchievedSource.CPAM
    assert line.achieved_note == "Mesure de l'indicateur « Taux depistage » (A2)"
    assert line.achieved_proof.name.endswith(".pdf")  # the proof is kept


def test_creating_a_linked_line(
    staff: Any, year2: ContractYear, indicator: IndicatorDefinition
) -> None:
    record(indicator, contract_year_period(year2), "70")
    envelope = make_line(year2, None, label="Autre").envelope
    response = staff.post(
        reverse("line_create", args=[envelope.pk]),
        edit_post(make_line(year2, None, label="Modèle"), label="Nouvelle", indicator=indicator.pk),
    )
    assert response.status_code == 302
    line = IndicatorLine.objects.get(label="Nouvelle")
    assert line.indicator == indicator and line.achieved == D(70)


def test_unlinking_keeps_the_last_value_and_lets_it_be_typed(
    staff: Any, year2: ContractYear, indicator: IndicatorDefinition
) -> None:
    record(indicator, contract_year_period(year2), "68.5")
    line = make_line(year2, None)
    line.indicator = indicator
    line.save(update_fields=["indicator", "updated_at"])
    response = staff.post(reverse("line_edit", args=[line.pk]), edit_post(line, indicator=""))
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.indicator is None and line.achieved == D("68.5")
    page = unescape(staff.get(reverse("line_detail", args=[line.pk])).content.decode())
    assert "Valeur suivie par l'indicateur" not in page
    assert "disabled" not in page.split('name="achieved"', 1)[1].split(">", 1)[0]


def test_a_bad_indicator_choice_is_a_form_error_not_a_500(staff: Any, year2: ContractYear) -> None:
    line = make_line(year2, None)
    for value in ("999999", "abc"):
        data = edit_post(line, indicator=value)
        response = staff.post(reverse("line_edit", args=[line.pk]), data)
        assert response.status_code == 200
        assert "Cet indicateur n&#x27;existe pas ou n&#x27;est plus actif." in (
            response.content.decode()
        )
    line.refresh_from_db()
    assert line.indicator is None


def test_year_page_marks_linked_lines(
    staff: Any, year2: ContractYear, indicator: IndicatorDefinition
) -> None:
    record(indicator, contract_year_period(year2), "68.5")
    line = make_line(year2, None)
    line.indicator = indicator
    line.save(update_fields=["indicator", "updated_at"])
    html = unescape(staff.get(reverse("contract_year_detail", args=[year2.pk])).content.decode())
    assert 'aria-label="Valeur suivie par un indicateur"' in html


def test_line_page_query_count_does_not_grow_with_measurements(
    staff: Any, year2: ContractYear, indicator: IndicatorDefinition
) -> None:
    line = make_line(year2, indicator)
    record(indicator, contract_year_period(year2), "60")
    url = reverse("line_detail", args=[line.pk])
    staff.get(url)
    with CaptureQueriesContext(connection) as few:
        staff.get(url)
    for value in range(61, 71):
        record(indicator, contract_year_period(year2), str(value))
    with CaptureQueriesContext(connection) as many:
        staff.get(url)
    assert len(many) == len(few)
