"""Services of the contract: creation with its five years and missions, edition, mission
choice and dates, year settings, envelopes; every refusal leaves nothing written."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from cpts.models import Association
from cpts.selectors.territory import territory_summary
from cpts.services.territory import add_communes
from missions.catalogue import ensure_catalogue
from missions.models import (
    Contract,
    ContractMission,
    ContractYear,
    IndicatorLine,
    LineKind,
    Mission,
    MissionEnvelope,
)
from missions.services.contract import (
    create_contract,
    create_envelope,
    delete_envelope,
    record_mission_dates,
    set_mission_chosen,
    update_contract,
    update_envelope,
    update_year,
)

pytestmark = pytest.mark.django_db

SOCLE_KEYS = {"acces_soins", "parcours", "prevention", "crise"}


def _contract(signed_on: date = date(2024, 3, 15), optional: tuple[str, ...] = ()) -> Contract:
    return create_contract(
        signed_on=signed_on,
        cpam="CPAM de l'Hérault",
        ars="ARS Occitanie",
        reference="ACI-34-001",
        optional_missions=Mission.objects.filter(key__in=optional),
    )


def _mission(key: str) -> Mission:
    return Mission.objects.get(key=key)


def test_create_contract_takes_the_taille_from_the_territory(association: Association) -> None:
    summary = territory_summary(association)
    assert summary.taille is not None
    contract = _contract(optional=("qualite",))
    assert contract.taille == summary.taille
    assert contract.population == summary.population > 0
    assert contract.reference == "ACI-34-001"
    chosen = set(contract.missions.values_list("mission__key", flat=True))
    assert chosen == SOCLE_KEYS | {"qualite"}
    assert LogEntry.objects.get_for_object(contract).filter(action=LogEntry.Action.CREATE).exists()


def test_create_contract_years(association: Association) -> None:
    contract = _contract(date(2024, 3, 15))
    years = list(contract.years.order_by("number").values_list("number", "start", "end"))
    assert years == [
        (1, date(2024, 3, 15), date(2025, 3, 14)),
        (2, date(2025, 3, 15), date(2026, 3, 14)),
        (3, date(2026, 3, 15), date(2027, 3, 14)),
        (4, date(2027, 3, 15), date(2028, 3, 14)),
        (5, date(2028, 3, 15), date(2029, 3, 14)),
    ]


def test_contract_signed_on_29_february(association: Association) -> None:
    contract = _contract(date(2024, 2, 29))
    years = list(contract.years.order_by("number").values_list("start", "end"))
    assert years[0] == (date(2024, 2, 29), date(2025, 2, 27))
    assert years[1] == (date(2025, 2, 28), date(2026, 2, 27))
    assert years[4] == (date(2028, 2, 29), date(2029, 2, 27))


def test_empty_territory_is_refused_and_nothing_written(db: None) -> None:
    ensure_catalogue()
    Association.objects.get_solo()
    with pytest.raises(ValidationError, match="aucune commune"):
        _contract()
    assert not Contract.objects.exists()
    assert not ContractYear.objects.exists()


def test_missing_cpam_is_refused_with_its_field(association: Association) -> None:
    with pytest.raises(ValidationError) as caught:
        create_contract(signed_on=date(2024, 1, 1), cpam=" ", ars="ARS Occitanie")
    assert "cpam" in caught.value.message_dict
    assert not Contract.objects.exists()


def test_edit_keeps_the_taille_unless_retaken(association: Association) -> None:
    contract = _contract()
    taille, population = contract.taille, contract.population
    add_communes(association, ["34172"])  # Montpellier: the territory grows
    contract = update_contract(
        contract, signed_on=contract.signed_on, cpam="CPAM 34", ars="ARS Occitanie"
    )
    assert (contract.taille, contract.population) == (taille, population)
    assert contract.cpam == "CPAM 34"
    contract = update_contract(
        contract, signed_on=contract.signed_on, cpam="CPAM 34", ars="ARS", retake_taille=True
    )
    assert contract.population > population
    assert contract.taille == territory_summary(association).taille != taille


def test_new_signature_date_moves_the_years(association: Association) -> None:
    contract = _contract(date(2024, 3, 15))
    update_contract(contract, signed_on=date(2024, 4, 1), cpam="CPAM", ars="ARS")
    first = contract.years.get(number=1)
    assert (first.start, first.end) == (date(2024, 4, 1), date(2025, 3, 31))
    assert contract.years.get(number=5).end == date(2029, 3, 31)


def test_new_signature_date_refused_when_an_envelope_start_falls_outside(
    association: Association,
) -> None:
    contract = _contract(date(2024, 3, 15))
    year = contract.years.get(number=1)
    create_envelope(
        year,
        mission=_mission("prevention"),
        start=date(2024, 3, 20),
        fixed=Decimal("1000"),
        variable=Decimal("0"),
    )
    with pytest.raises(ValidationError) as caught:
        update_contract(contract, signed_on=date(2024, 4, 1), cpam="CPAM", ars="ARS")
    assert "signed_on" in caught.value.message_dict
    contract.refresh_from_db()
    assert contract.signed_on == date(2024, 3, 15)
    assert contract.years.get(number=1).start == date(2024, 3, 15)


def test_choose_and_drop_missions(association: Association) -> None:
    contract = _contract()
    qualite = _mission("qualite")
    set_mission_chosen(contract, qualite, True)
    set_mission_chosen(contract, qualite, True)  # idempotent
    assert contract.missions.filter(mission=qualite).count() == 1
    set_mission_chosen(contract, qualite, False)
    assert not contract.missions.filter(mission=qualite).exists()
    with pytest.raises(ValidationError, match="socle"):
        set_mission_chosen(contract, _mission("prevention"), False)


def test_a_mission_with_envelopes_cannot_be_dropped(association: Association) -> None:
    contract = _contract(optional=("accompagnement",))
    mission = _mission("accompagnement")
    create_envelope(
        contract.years.get(number=1),
        mission=mission,
        start=None,
        fixed=Decimal("1"),
        variable=Decimal("1"),
    )
    with pytest.raises(ValidationError, match="enveloppes"):
        set_mission_chosen(contract, mission, False)
    assert contract.missions.filter(mission=mission).exists()


def test_record_mission_dates(association: Association) -> None:
    contract = _contract()
    cm = ContractMission.objects.get(contract=contract, mission__key="acces_soins")
    record_mission_dates(cm, date(2024, 5, 1), date(2025, 1, 1))
    cm.refresh_from_db()
    assert (cm.started_on, cm.deployed_on) == (date(2024, 5, 1), date(2025, 1, 1))
    with pytest.raises(ValidationError) as caught:
        record_mission_dates(cm, None, date(2025, 1, 1))
    assert "deployed_on" in caught.value.message_dict
    with pytest.raises(ValidationError, match="précéder"):
        record_mission_dates(cm, date(2025, 2, 1), date(2025, 1, 1))
    cm.refresh_from_db()
    assert cm.started_on == date(2024, 5, 1)


def test_record_mission_dates_within_contract_and_not_future(association: Association) -> None:
    contract = _contract()
    cm = ContractMission.objects.get(contract=contract, mission__key="acces_soins")
    before = contract.signed_on - timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        record_mission_dates(cm, before, None)
    message = caught.value.message_dict["started_on"][0]
    assert before.strftime("%d/%m/%Y") in message
    assert contract.signed_on.strftime("%d/%m/%Y") in message
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        record_mission_dates(cm, contract.signed_on, tomorrow)
    assert "futur" in caught.value.message_dict["deployed_on"][0]
    assert tomorrow.strftime("%d/%m/%Y") in caught.value.message_dict["deployed_on"][0]
    with pytest.raises(ValidationError) as caught:
        record_mission_dates(cm, contract.signed_on, before)
    assert "signature" in caught.value.message_dict["deployed_on"][0]
    cm.refresh_from_db()
    assert (cm.started_on, cm.deployed_on) == (None, None)
    record_mission_dates(cm, contract.signed_on, timezone.localdate())
    cm.refresh_from_db()
    assert cm.deployed_on == timezone.localdate()


def test_update_year(association: Association) -> None:
    year = _contract().years.get(number=2)
    update_year(
        year, fonctionnement=Decimal("105000"), crisis_recognised=True, dialogue_on=date(2026, 2, 1)
    )
    year.refresh_from_db()
    assert year.fonctionnement == Decimal("105000")
    assert year.crisis_recognised
    assert year.dialogue_on == date(2026, 2, 1)
    with pytest.raises(ValidationError):
        update_year(year, fonctionnement=Decimal("-1"), crisis_recognised=False, dialogue_on=None)
    update_year(year, fonctionnement=None, crisis_recognised=False, dialogue_on=None)
    year.refresh_from_db()
    assert year.fonctionnement is None


def test_envelope_validation(association: Association) -> None:
    contract = _contract()
    year = contract.years.get(number=1)  # 15/03/2024 to 14/03/2025
    prevention = _mission("prevention")

    def refused(field: str, **values: object) -> None:
        data: dict[str, object] = {
            "mission": prevention,
            "start": None,
            "fixed": Decimal("0"),
            "variable": Decimal("0"),
            **values,
        }
        with pytest.raises(ValidationError) as caught:
            create_envelope(year, **data)  # type: ignore[arg-type]
        assert field in caught.value.message_dict

    refused("mission", mission=_mission("qualite"))  # not chosen
    refused("start", start=date(2024, 3, 14))
    refused("start", start=date(2025, 3, 15))
    refused("fixed", fixed=Decimal("-0.01"))
    refused("variable", variable=Decimal("-5"))
    assert not MissionEnvelope.objects.exists()

    envelope = create_envelope(
        year,
        mission=prevention,
        start=date(2025, 3, 14),
        fixed=Decimal("20000"),
        variable=Decimal("10000.50"),
    )
    assert envelope.variable == Decimal("10000.50")
    refused("mission")  # already has one this year
    update_envelope(envelope, start=None, fixed=Decimal("25000"), variable=Decimal("0"))
    envelope.refresh_from_db()
    assert (envelope.start, envelope.fixed) == (None, Decimal("25000"))
    with pytest.raises(ValidationError):
        update_envelope(envelope, start=date(2020, 1, 1), fixed=Decimal("1"), variable=Decimal("1"))


def test_envelope_with_lines_cannot_be_deleted(association: Association) -> None:
    year = _contract().years.get(number=1)
    envelope = create_envelope(
        year, mission=_mission("parcours"), start=None, fixed=Decimal("1"), variable=Decimal("1")
    )
    line = IndicatorLine.objects.create(
        envelope=envelope, label="Réunions", kind=LineKind.BINARY, amount=Decimal("1")
    )
    with pytest.raises(ValidationError, match="lignes"):
        delete_envelope(envelope)
    assert MissionEnvelope.objects.filter(pk=envelope.pk).exists()
    line.delete()
    delete_envelope(envelope)
    assert not MissionEnvelope.objects.filter(pk=envelope.pk).exists()
