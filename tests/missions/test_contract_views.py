"""Contract pages: the contract home, creation and edition, mission dates, a contract year
with its envelopes, warnings and earnings, the envelopes' forms and the alerts fragment."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cpts.models import Association, User
from missions.catalogue import ensure_catalogue
from missions.deadlines import add_months
from missions.models import (
    Contract,
    ContractMission,
    Direction,
    IndicatorLine,
    LineBand,
    LineKind,
    LineTier,
    Mission,
    MissionEnvelope,
)
from missions.services.contract import (
    create_contract,
    create_envelope,
    record_mission_dates,
    update_year,
)

pytestmark = pytest.mark.django_db


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _make_contract(signed_on: date, optional: tuple[str, ...] = ()) -> Contract:
    return create_contract(
        signed_on=signed_on,
        cpam="CPAM de l'Hérault",
        ars="ARS Occitanie",
        optional_missions=Mission.objects.filter(key__in=optional),
    )


NB = "\xa0"  # the fr locale's thousands separator


@pytest.fixture
def contract(association: Association) -> Contract:
    """Signed five months ago: the 6-month start deadlines are within 60 days."""
    return _make_contract(add_months(timezone.localdate(), -5))


def _envelope(contract: Contract, key: str, variable: str, number: int = 1) -> MissionEnvelope:
    return create_envelope(
        contract.years.get(number=number),
        mission=Mission.objects.get(key=key),
        start=None,
        fixed=Decimal("20000"),
        variable=Decimal(variable),
    )


def _lines(envelope: MissionEnvelope, count: int, amount: str) -> None:
    for position in range(count):
        IndicatorLine.objects.create(
            envelope=envelope,
            position=position,
            label=f"Action n° {position + 1}",
            kind=LineKind.BINARY,
            amount=Decimal(amount),
            done=position % 2 == 0,
        )


# --- Contract home ---


def test_home_without_contract_invites_the_coordinator(
    association: Association, coordinator: User, president: User
) -> None:
    page = _client(coordinator).get(reverse("contract_home"))
    assert page.status_code == 200
    assert reverse("contract_create") in page.content.decode()
    page = _client(president).get(reverse("contract_home"))
    assert page.status_code == 200
    assert "Aucun contrat" in page.content.decode()
    assert reverse("contract_create") not in page.content.decode()


def test_home_history_shows_dates_and_numbers_in_french(
    contract: Contract, coordinator: User
) -> None:
    page = _client(coordinator).get(reverse("contract_home")).content.decode()
    history = page[page.index('data-testid="audit-history"') :]
    assert contract.signed_on.strftime("%d/%m/%Y") in history
    assert contract.signed_on.isoformat() not in history
    assert contract.population >= 1000
    assert f"{contract.population:,}".replace(",", NB) in history
    assert f">{contract.population}<" not in history


def test_home_shows_the_contract(contract: Contract, coordinator: User) -> None:
    acces = ContractMission.objects.get(contract=contract, mission__key="acces_soins")
    record_mission_dates(acces, contract.signed_on + timedelta(days=10), None)
    page = _client(coordinator).get(reverse("contract_home"))
    html = page.content.decode()
    assert page.status_code == 200
    assert contract.get_taille_display() in html
    assert "CPAM de l&#x27;Hérault" in html
    for year in contract.years.all():
        assert year.start.strftime("%d/%m/%Y") in html
        assert reverse("contract_year_detail", args=[year.pk]) in html
    assert "en cours" in html  # year 1 is the current one
    deadline = add_months(contract.signed_on, 6).strftime("%d/%m/%Y")
    assert f"Démarrage au plus tard le {deadline}" in html
    assert "Démarrée" in html  # acces_soins badge
    assert 'data-testid="alert-soon"' in html  # crise: 6 months, not started
    assert "Non choisie" in html  # optional missions
    assert 'data-testid="audit-history"' in html
    assert reverse("contract_mission_update", args=[contract.pk, acces.mission_id]) in html


def test_home_queries_do_not_grow(
    contract: Contract, coordinator: User, django_assert_max_num_queries: Any
) -> None:
    client = _client(coordinator)
    client.get(reverse("contract_home"))
    with django_assert_max_num_queries(20):
        assert client.get(reverse("contract_home")).status_code == 200


def test_create_contract_page(association: Association, coordinator: User) -> None:
    client = _client(coordinator)
    assert client.get(reverse("contract_create")).status_code == 200
    qualite = Mission.objects.get(key="qualite")
    response = client.post(
        reverse("contract_create"),
        {
            "signed_on": "29/02/2024",
            "cpam": "CPAM de l'Hérault",
            "ars": "ARS Occitanie",
            "status": "signed",
            "optional_missions": [qualite.pk],
        },
    )
    contract = Contract.objects.get()
    assert response.status_code == 302
    assert contract.signed_on == date(2024, 2, 29)
    assert contract.years.count() == 5
    assert contract.missions.filter(mission=qualite).exists()


def test_create_contract_with_bad_input(db: None, coordinator: User) -> None:
    ensure_catalogue()
    client = _client(coordinator)
    page = client.post(reverse("contract_create"), {"signed_on": "31/02/2024", "cpam": ""})
    assert page.status_code == 200
    assert "Saisissez une date valide" in page.content.decode()
    # A valid form on an empty territory: the service's message.
    page = client.post(
        reverse("contract_create"),
        {"signed_on": "01/01/2024", "cpam": "CPAM", "ars": "ARS", "status": "signed"},
    )
    assert page.status_code == 200
    assert "aucune commune" in page.content.decode()
    assert not Contract.objects.exists()


def test_edit_contract_page(contract: Contract, coordinator: User, president: User) -> None:
    url = reverse("contract_edit", args=[contract.pk])
    assert _client(president).get(url).status_code == 403
    client = _client(coordinator)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "signed_on": contract.signed_on.strftime("%d/%m/%Y"),
            "cpam": "CPAM 34",
            "ars": "ARS Occitanie",
            "status": "signed",
            "reference": "REF-2",
        },
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.cpam, contract.reference) == ("CPAM 34", "REF-2")
    assert client.get(reverse("contract_edit", args=[999999])).status_code == 404


def test_mission_update(contract: Contract, coordinator: User) -> None:
    client = _client(coordinator)
    acces = Mission.objects.get(key="acces_soins")
    url = reverse("contract_mission_update", args=[contract.pk, acces.pk])
    assert client.get(url).status_code == 405
    started = contract.signed_on + timedelta(days=2)
    response = client.post(url, {"started_on": started.isoformat(), "deployed_on": ""})
    assert response.status_code == 302
    cm = ContractMission.objects.get(contract=contract, mission=acces)
    assert cm.started_on == started
    # Deployment before the start: refused with a message, nothing changed.
    page = client.post(
        url,
        {"started_on": started.isoformat(), "deployed_on": contract.signed_on.isoformat()},
        follow=True,
    )
    assert "précéder" in page.content.decode()
    cm.refresh_from_db()
    assert cm.deployed_on is None
    # A start before the signature or in the future: refused, the dates named.
    before = contract.signed_on - timedelta(days=1)
    page = client.post(url, {"started_on": before.isoformat()}, follow=True)
    text = page.content.decode()
    assert before.strftime("%d/%m/%Y") in text
    assert contract.signed_on.strftime("%d/%m/%Y") in text
    future = timezone.localdate() + timedelta(days=3)
    page = client.post(url, {"started_on": future.isoformat()}, follow=True)
    assert "dans le futur" in page.content.decode()
    cm.refresh_from_db()
    assert cm.started_on == started
    page = client.post(url, {"started_on": "pas une date"}, follow=True)
    assert "Saisissez une date valide" in page.content.decode()
    # An optional mission is chosen, then dropped.
    qualite = Mission.objects.get(key="qualite")
    url = reverse("contract_mission_update", args=[contract.pk, qualite.pk])
    client.post(url, {"chosen": "on"})
    assert contract.missions.filter(mission=qualite).exists()
    client.post(url, {})
    assert not contract.missions.filter(mission=qualite).exists()
    # A socle mission stays chosen without the box.
    prevention = Mission.objects.get(key="prevention")
    client.post(reverse("contract_mission_update", args=[contract.pk, prevention.pk]), {})
    assert contract.missions.filter(mission=prevention).exists()


# --- Contract year ---


def test_year_detail_shows_each_line_objective(contract: Contract, coordinator: User) -> None:
    envelope = _envelope(contract, "prevention", "9000")

    def line(label: str, kind: str, **fields: Any) -> IndicatorLine:
        return IndicatorLine.objects.create(
            envelope=envelope, label=label, kind=kind, amount=Decimal("3000"), **fields
        )

    line("Taux", LineKind.TARGET, target=Decimal("66.2600"), achieved=Decimal("60"))
    line(
        "Délai",
        LineKind.TARGET,
        direction=Direction.DECREASING,
        target=Decimal("12"),
        achieved=Decimal("15"),
    )
    tiers = line("Patients", LineKind.TIERS, achieved=Decimal("150"))
    LineTier.objects.create(line=tiers, position=0, threshold=Decimal("100"), amount=1000)
    LineTier.objects.create(line=tiers, position=1, threshold=Decimal("200"), amount=3000)
    bands = line("Couverture", LineKind.BANDS, achieved=Decimal("55"))
    LineBand.objects.create(
        line=bands, position=0, minimum=Decimal("50"), maximum=Decimal("75"), amount=1500
    )
    LineBand.objects.create(line=bands, position=1, minimum=Decimal("75.01"), amount=3000)
    year = contract.years.get(number=1)
    page = _client(coordinator).get(reverse("contract_year_detail", args=[year.pk]))
    text = html.unescape(page.content.decode())
    objectives = re.findall(r'data-testid="objective">([^<]*)<', text)
    assert objectives == [
        "cible ≥ 66,26",
        "cible ≤ 12",
        f"palier suivant : ≥ 200 (3{NB}000,00 €)",
        f"tranche tenue : de 50 à 75 (1{NB}500,00 €)",
    ]


def test_year_detail_totals_and_mismatch(contract: Contract, coordinator: User) -> None:
    matching = _envelope(contract, "prevention", "3000")
    _lines(matching, 3, "1000")  # lines 1 and 3 done: 2 000 € earned
    mismatched = _envelope(contract, "parcours", "5000")
    _lines(mismatched, 2, "1000")
    year = contract.years.get(number=1)
    html = _client(coordinator).get(reverse("contract_year_detail", args=[year.pk])).content
    text = html.decode()
    assert text.count('data-testid="mismatch-warning"') == 1
    assert "totalisent 2" in text  # the parcours lines: 2 000 € instead of 5 000 €
    assert text.count('data-testid="line"') == 5
    assert "Action n° 3" in text
    assert 'data-testid="ceiling-warning"' not in text
    assert 'data-testid="total-fixed">40' in text
    assert 'data-testid="total-variable">8' in text
    assert 'data-testid="total-earned">3' in text  # 2 000 + 1 000
    first = IndicatorLine.objects.filter(envelope=matching).first()
    assert first is not None
    assert reverse("line_detail", args=[first.pk]) in text
    assert reverse("line_create", args=[mismatched.pk]) in text


def test_year_detail_ceiling_warning(contract: Contract, coordinator: User) -> None:
    year = contract.years.get(number=2)
    update_year(year, fonctionnement=Decimal("500000"), crisis_recognised=False, dialogue_on=None)
    text = (
        _client(coordinator).get(reverse("contract_year_detail", args=[year.pk])).content.decode()
    )
    assert 'data-testid="ceiling-warning"' in text
    assert "dépasse le plafond annuel" in text


def test_year_detail_queries_do_not_grow(contract: Contract, coordinator: User) -> None:
    year = contract.years.get(number=1)
    envelope = _envelope(contract, "prevention", "2000")
    _lines(envelope, 2, "1000")
    client = _client(coordinator)
    url = reverse("contract_year_detail", args=[year.pk])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    IndicatorLine.objects.filter(envelope=envelope).delete()
    _lines(envelope, 20, "100")
    _lines(_envelope(contract, "parcours", "0"), 5, "0")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_year_edit(contract: Contract, coordinator: User) -> None:
    year = contract.years.get(number=3)
    url = reverse("contract_year_edit", args=[year.pk])
    client = _client(coordinator)
    assert client.get(url).status_code == 200
    page = client.post(url, {"fonctionnement": "-5"})
    assert "négatif" in page.content.decode()
    response = client.post(
        url, {"fonctionnement": "105 000,50", "crisis_recognised": "on", "dialogue_on": ""}
    )
    assert response.status_code == 302
    year.refresh_from_db()
    assert year.fonctionnement == Decimal("105000.50")
    assert year.crisis_recognised


def test_envelope_pages(contract: Contract, coordinator: User) -> None:
    client = _client(coordinator)
    year = contract.years.get(number=1)
    url = reverse("envelope_create", args=[year.pk])
    assert client.get(url).status_code == 200
    prevention = Mission.objects.get(key="prevention")
    page = client.post(
        url,
        {
            "mission": prevention.pk,
            "start": (year.start - timedelta(days=1)).isoformat(),
            "fixed": "1000",
            "variable": "-1",
        },
    )
    text = page.content.decode()
    assert "Le montant ne peut pas être négatif." in text
    assert not MissionEnvelope.objects.exists()
    page = client.post(
        url,
        {
            "mission": prevention.pk,
            "start": (year.start - timedelta(days=1)).isoformat(),
            "fixed": "1000",
            "variable": "0",
        },
    )
    assert "Le début doit tomber dans l" in page.content.decode()
    qualite = Mission.objects.get(key="qualite")  # not chosen: not offered
    page = client.post(url, {"mission": qualite.pk, "fixed": "1", "variable": "1"})
    assert "Choisissez une mission du contrat" in page.content.decode()
    response = client.post(
        url, {"mission": prevention.pk, "start": "", "fixed": "20 000", "variable": "10000,5"}
    )
    assert response.status_code == 302
    envelope = MissionEnvelope.objects.get()
    assert (envelope.fixed, envelope.variable) == (Decimal("20000"), Decimal("10000.5"))
    edit = reverse("envelope_edit", args=[envelope.pk])
    assert client.get(edit).status_code == 200
    assert client.post(edit, {"fixed": "25000", "variable": "0"}).status_code == 302
    envelope.refresh_from_db()
    assert envelope.fixed == Decimal("25000")
    _lines(envelope, 1, "0")
    delete = reverse("envelope_delete", args=[envelope.pk])
    assert client.get(delete).status_code == 405
    page = client.post(delete, follow=True)
    assert "lignes d&#x27;indicateurs" in page.content.decode()
    assert MissionEnvelope.objects.filter(pk=envelope.pk).exists()
    IndicatorLine.objects.all().delete()
    client.post(delete)
    assert not MissionEnvelope.objects.exists()


# --- Alerts ---


def test_alerts_fragment(contract: Contract, coordinator: User) -> None:
    client = _client(coordinator)
    text = client.get(reverse("contract_alerts")).content.decode()
    assert text.count('data-testid="deadline-alert"') == 2  # acces_soins and crise: soon
    assert "échéance proche" in text
    envelope = _envelope(contract, "prevention", "5000")
    _lines(envelope, 1, "1000")
    text = client.get(reverse("contract_alerts")).content.decode()
    assert 'data-testid="mismatch-alert"' in text
    assert reverse("contract_year_detail", args=[envelope.year_id]) in text


def test_backoffice_home_loads_the_alerts(association: Association, coordinator: User) -> None:
    html = _client(coordinator).get(reverse("backoffice_home")).content.decode()
    assert f'hx-get="{reverse("contract_alerts")}"' in html


def test_alerts_overdue(association: Association, coordinator: User) -> None:
    _make_contract(add_months(timezone.localdate(), -7))
    text = _client(coordinator).get(reverse("contract_alerts")).content.decode()
    assert "échéance dépassée" in text


def test_alerts_fragment_empty_when_nothing_to_watch(
    association: Association, coordinator: User
) -> None:
    assert _client(coordinator).get(reverse("contract_alerts")).content.decode().strip() == ""
    contract = _make_contract(add_months(timezone.localdate(), -30))
    for cm in contract.missions.all():
        record_mission_dates(cm, contract.signed_on, contract.signed_on + timedelta(days=30))
    assert _client(coordinator).get(reverse("contract_alerts")).content.decode().strip() == ""


# --- Permissions ---


@pytest.mark.parametrize("persona", ["adherent", "referent"])
def test_refused_personas(contract: Contract, persona: str, request: Any) -> None:
    user = request.getfixturevalue(persona)
    client = _client(user)
    year = contract.years.get(number=1)
    for url in (
        reverse("contract_home"),
        reverse("contract_year_detail", args=[year.pk]),
        reverse("contract_alerts"),
        reverse("contract_create"),
        reverse("envelope_create", args=[year.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_board_reads_but_does_not_write(contract: Contract, tresorier: User) -> None:
    client = _client(tresorier)
    year = contract.years.get(number=1)
    assert client.get(reverse("contract_home")).status_code == 200
    assert client.get(reverse("contract_year_detail", args=[year.pk])).status_code == 200
    assert client.get(reverse("contract_year_edit", args=[year.pk])).status_code == 403
    acces = Mission.objects.get(key="acces_soins")
    url = reverse("contract_mission_update", args=[contract.pk, acces.pk])
    assert client.post(url, {"started_on": "2024-01-01"}).status_code == 403
    assert ContractMission.objects.get(contract=contract, mission=acces).started_on is None
    assert _client(None).get(reverse("contract_home")).status_code == 302
