"""Imported and manual indicator definitions: created and edited by the coordination, code
unique with a French message, computed definitions never created nor edited here."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cpts.models import User
from indicators.models import IndicatorDefinition
from indicators.services.definitions import create_definition, update_definition
from missions.models import Mission

pytestmark = pytest.mark.django_db


def data(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "code": "sas_regulated_calls",
        "label": "Appels régulés par le SAS",
        "mission": None,
        "unit": "count",
        "direction": "increasing",
        "source": "imported",
        "description": "Extraction mensuelle du SAS.",
        "position": 3,
        "is_active": True,
    }
    values.update(overrides)
    return values


@pytest.fixture
def coordination(coordinator: User) -> Client:
    client = Client()
    client.force_login(coordinator)
    return client


def test_a_manual_definition_is_created(association: Any):
    definition = create_definition(data(source="manual", code="ateliers"))
    assert IndicatorDefinition.objects.get(code="ateliers") == definition
    assert definition.source == "manual"


def test_a_computed_definition_is_refused(association: Any):
    with pytest.raises(ValidationError) as error:
        create_definition(data(source="computed"))
    assert "Seuls les indicateurs importés ou saisis" in error.value.message_dict["source"][0]
    assert not IndicatorDefinition.objects.filter(code="sas_regulated_calls").exists()


def test_a_code_already_used_is_refused_in_french(association: Any):
    with pytest.raises(ValidationError) as error:
        create_definition(data(code="national_no_mt_70"))
    assert error.value.message_dict["code"] == [
        "Le code « national_no_mt_70 » est déjà utilisé par un autre indicateur."
    ]


def test_an_imported_definition_is_edited_and_audited(association: Any):
    definition = IndicatorDefinition.objects.get(code="national_no_mt_70")
    prevention = Mission.objects.get(key="prevention")
    update_definition(
        definition,
        data(code="national_no_mt_70", label="Plus de 70 ans sans MT", mission=prevention),
    )
    definition.refresh_from_db()
    assert definition.label == "Plus de 70 ans sans MT"
    assert definition.mission == prevention
    assert (
        LogEntry.objects.get_for_object(definition).filter(action=LogEntry.Action.UPDATE).exists()
    )


def test_an_imported_definition_keeps_its_own_code(association: Any):
    definition = IndicatorDefinition.objects.get(code="national_no_mt_70")
    with pytest.raises(ValidationError) as error:
        update_definition(definition, data(code="national_no_mt_ald"))
    assert "déjà utilisé" in error.value.message_dict["code"][0]
    definition.refresh_from_db()
    assert definition.code == "national_no_mt_70"


def test_a_computed_definition_is_never_edited(association: Any):
    computed = IndicatorDefinition.objects.filter(source="computed").first()
    assert computed is not None
    with pytest.raises(ValidationError):
        update_definition(computed, data(code=computed.code, source="manual"))
    computed.refresh_from_db()
    assert computed.source == "computed"


# --- The pages ---------------------------------------------------------------------------------


def test_the_create_page_records_a_definition(coordination: Client, association: Any):
    form = {**data(), "mission": ""}
    response = coordination.post(reverse("indicator_create"), form)
    definition = IndicatorDefinition.objects.get(code="sas_regulated_calls")
    assert response["Location"] == reverse("indicator_detail", args=[definition.pk])
    assert definition.mission is None
    assert definition.source == "imported"


def test_the_create_page_refuses_a_duplicate_code_in_french(coordination: Client, association: Any):
    response = coordination.post(
        reverse("indicator_create"), {**data(code="national_no_mt_70"), "mission": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "Le code « national_no_mt_70 » est déjà utilisé par un autre indicateur."
    ]
    assert IndicatorDefinition.objects.filter(code="national_no_mt_70").count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("source", "computed"), ("code", "Pas un code !"), ("label", ""), ("unit", "litres")],
)
def test_the_create_page_refuses_bad_fields(
    coordination: Client, association: Any, field: str, value: str
):
    response = coordination.post(
        reverse("indicator_create"), {**data(), "mission": "", field: value}
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not IndicatorDefinition.objects.filter(label="Appels régulés par le SAS").exists()


def test_the_edit_page_changes_an_imported_definition(coordination: Client, association: Any):
    definition = IndicatorDefinition.objects.get(code="national_sas_doctors")
    page = coordination.get(reverse("indicator_edit", args=[definition.pk]))
    assert 'value="national_sas_doctors"' in page.content.decode()
    response = coordination.post(
        reverse("indicator_edit", args=[definition.pk]),
        {**data(code="national_sas_doctors", label="Médecins régulateurs SAS"), "mission": ""},
    )
    assert response.status_code == 302
    definition.refresh_from_db()
    assert definition.label == "Médecins régulateurs SAS"


def test_the_edit_page_of_a_computed_definition_is_404(coordination: Client, association: Any):
    computed = IndicatorDefinition.objects.filter(source="computed").first()
    assert computed is not None
    url = reverse("indicator_edit", args=[computed.pk])
    assert coordination.get(url).status_code == 404
    assert coordination.post(url, {**data(code=computed.code), "mission": ""}).status_code == 404
    computed.refresh_from_db()
    assert computed.source == "computed"
