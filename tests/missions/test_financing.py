"""The financing schedule of the current contract: selectors (expected from the earned amounts,
received, gaps, cumulative series), services recording payments (French errors, nothing
written, audited), the page and its permissions, and constant queries."""

from __future__ import annotations

import html
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cpts.models import User
from missions.models import (
    Contract,
    ContractMission,
    ContractYear,
    IndicatorLine,
    LineKind,
    Mission,
    MissionEnvelope,
    PaymentNature,
    ReceivedPayment,
    Taille,
)
from missions.selectors.contract import current_contract
from missions.selectors.financing import contract_financing
from missions.services.financing import (
    delete_received_payment,
    record_received_payment,
    update_received_payment,
)

D = Decimal
NB = "\xa0"
pytestmark = pytest.mark.django_db


def make_contract(signed_on: date = date(2024, 3, 1), taille: str = Taille.T2) -> Contract:
    contract = Contract.objects.create(
        signed_on=signed_on, cpam="CPAM de l'Hérault", ars="ARS Occitanie", taille=taille
    )
    for number in range(1, 6):
        start = signed_on.replace(year=signed_on.year + number - 1)
        ContractYear.objects.create(
            contract=contract,
            number=number,
            start=start,
            end=start.replace(year=start.year + 1) - timedelta(days=1),
        )
    return contract


def _year(contract: Contract, number: int) -> ContractYear:
    return ContractYear.objects.get(contract=contract, number=number)


@pytest.fixture
def contract(association: Any) -> Contract:
    """Signed 01/03/2024 (T2); year 1 has prevention (fixed 20 000, variable 10 000, a done
    binary line of 4 000 and an open one of 6 000); year 2 has its own fonctionnement and a
    dialogue date."""
    contract = make_contract()
    prevention = Mission.objects.get(key="prevention")
    ContractMission.objects.create(contract=contract, mission=prevention)
    year1 = _year(contract, 1)
    envelope = MissionEnvelope.objects.create(
        year=year1, mission=prevention, fixed=D("20000"), variable=D("10000")
    )
    IndicatorLine.objects.create(
        envelope=envelope, label="Ateliers", kind=LineKind.BINARY, amount=D("4000"), done=True
    )
    IndicatorLine.objects.create(
        envelope=envelope, position=1, label="Soirées", kind=LineKind.BINARY, amount=D("6000")
    )
    year2 = _year(contract, 2)
    year2.fonctionnement = D("105000")
    year2.dialogue_on = date(2026, 4, 10)
    year2.save()
    return contract


# --- Selectors ---


def test_expected_payments_use_the_earned_amounts(contract: Contract) -> None:
    financing = contract_financing(contract, today=date(2025, 6, 1))
    year1, year2 = financing.years[0], financing.years[1]
    assert [(p.date, p.nature, p.amount) for p in year1.expected] == [
        (date(2024, 3, 1), "fonctionnement", D("60000.00")),
        (date(2024, 3, 1), "fixe", D("15000.00")),
        (date(2025, 3, 1), "fixe", D("5000.00")),
        (date(2025, 3, 1), "variable", D("4000.00")),  # the done line only
    ]
    assert year1.expected[-1].estimated  # no dialogue date: still an estimate
    assert [(p.date, p.amount) for p in year2.expected] == [
        (date(2025, 3, 1), D("78750.00")),
        (date(2026, 4, 10), D("26250.00")),
    ]
    assert financing.years[2].expected_total == D("60000.00")  # T2, nothing else yet
    assert financing.expected_total == D("84000") + D("105000") + 3 * D("60000")


def test_variable_still_possible_kept_apart_from_the_expected(contract: Contract) -> None:
    financing = contract_financing(contract, today=date(2025, 6, 1))
    year1, year2 = financing.years[0], financing.years[1]
    # Year 1: lines of 4 000 (done) and 6 000 (open), no dialogue yet.
    assert year1.expected_total == D("84000.00")
    assert year1.variable_possible == D("6000.00")
    assert year1.maximum_total == D("90000.00")
    rows = {row.nature: row.expected for row in year1.by_nature}
    assert rows["variable"] == D("4000.00")  # the earned part only, unchanged
    assert year2.variable_possible == D("0")  # no envelope
    assert financing.variable_possible == D("6000.00")
    assert financing.maximum_total == financing.expected_total + D("6000.00")
    # Once the dialogue de gestion has taken place, nothing more is possible.
    year = _year(contract, 1)
    year.dialogue_on = date(2025, 4, 1)
    year.save()
    [item] = contract_financing(contract, today=date(2025, 6, 1), number=1).years
    assert item.variable_possible == D("0")
    assert item.maximum_total == item.expected_total


def test_page_shows_the_variable_still_possible(contract: Contract, president: User) -> None:
    response = _client(president).get(reverse("financing_schedule"), {"annee": "1"})
    page = html.unescape(response.content.decode())
    assert "Part variable encore possible" in page
    assert "Maximum possible sur l'année" in page
    assert f"6{NB}000,00 €" in page
    assert f"90{NB}000,00 €" in page


def test_received_totals_gap_and_natures(contract: Contract) -> None:
    year1 = _year(contract, 1)
    for day, amount, nature in (
        (date(2024, 4, 2), D("60000"), PaymentNature.FONCTIONNEMENT),
        (date(2024, 4, 2), D("10000"), PaymentNature.FIXED),
        (date(2025, 5, 1), D("250.50"), PaymentNature.OTHER),
    ):
        ReceivedPayment.objects.create(year=year1, received_on=day, amount=amount, nature=nature)
    [item] = contract_financing(contract, today=date(2024, 12, 31), number=1).years
    assert item.received_total == D("70250.50")
    assert item.expected_due == D("75000.00")
    assert item.gap == D("-4749.50")
    assert item.remaining == D("84000.00") - D("70250.50")
    rows = {row.nature: (row.expected, row.received) for row in item.by_nature}
    assert rows["fixe"] == (D("20000.00"), D("10000"))
    assert rows["variable"] == (D("4000.00"), D("0"))
    assert rows["autre"] == (D("0"), D("250.50"))
    dates, expected, received = item.cumulative_series()
    assert dates == [date(2024, 3, 1), date(2024, 4, 2), date(2025, 3, 1), date(2025, 5, 1)]
    assert expected == [D("75000.00"), D("75000.00"), D("84000.00"), D("84000.00")]
    assert received == [D("0"), D("70000"), D("70000"), D("70250.50")]


def test_current_contract_is_the_latest_signed(association: Any) -> None:
    assert current_contract() is None
    make_contract(date(2019, 6, 1))
    latest = make_contract(date(2024, 6, 1))
    assert current_contract() == latest


# --- Services ---


def _record(year: ContractYear, **overrides: Any) -> ReceivedPayment:
    fields: dict[str, Any] = {
        "received_on": date(2024, 4, 2),
        "amount": D("45000"),
        "nature": PaymentNature.FONCTIONNEMENT,
    }
    fields.update(overrides)
    return record_received_payment(year, **fields)


def test_record_edit_and_delete_a_payment_are_audited(contract: Contract, tresorier: User) -> None:
    year = _year(contract, 1)
    prevention = Mission.objects.get(key="prevention")
    payment = _record(year, reference="  VIR-123 ", recorded_by=tresorier)
    assert (payment.reference, payment.recorded_by) == ("VIR-123", tresorier)
    update_received_payment(
        payment,
        received_on=date(2024, 4, 3),
        amount=D("15000"),
        nature=PaymentNature.FIXED,
        mission=prevention,
        note="Avance part fixe",
    )
    payment.refresh_from_db()
    assert (payment.amount, payment.mission, payment.note) == (
        D("15000"),
        prevention,
        "Avance part fixe",
    )
    pk = payment.pk
    delete_received_payment(payment)
    assert not ReceivedPayment.objects.filter(pk=pk).exists()
    actions = LogEntry.objects.filter(
        content_type__model="receivedpayment", object_pk=str(pk)
    ).values_list("action", flat=True)
    assert sorted(actions) == [
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
        LogEntry.Action.DELETE,
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"amount": D("0")}, "amount", "supérieur à 0"),
        ({"amount": D("-5")}, "amount", "supérieur à 0"),
        ({"amount": None}, "amount", "montant"),
        ({"amount": D("1.234")}, "amount", "centimes"),
        ({"amount": D("NaN")}, "amount", "supérieur à 0"),
        ({"received_on": None}, "received_on", "date"),
        ({"received_on": date(2024, 2, 28)}, "received_on", "signature du contrat (01/03/2024)"),
        ({"nature": "cadeau"}, "nature", "nature"),
        ({"reference": "x" * 101}, "reference", "100 caractères"),
    ],
)
def test_bad_payments_are_refused_by_field(
    contract: Contract, overrides: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as error:
        _record(_year(contract, 1), **overrides)
    assert words in " ".join(error.value.message_dict[field])
    assert not ReceivedPayment.objects.exists()


def test_future_dates_and_foreign_missions_are_refused(contract: Contract) -> None:
    year = _year(contract, 1)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        _record(year, received_on=tomorrow)
    assert "futur" in error.value.message_dict["received_on"][0]
    prevention = Mission.objects.get(key="prevention")
    with pytest.raises(ValidationError) as error:
        _record(year, mission=prevention)
    assert "fonctionnement" in error.value.message_dict["mission"][0].lower()
    with pytest.raises(ValidationError) as error:
        _record(year, nature=PaymentNature.FIXED, mission=Mission.objects.get(key="crise"))
    assert "ne fait pas partie du contrat" in error.value.message_dict["mission"][0]
    assert _record(year, nature=PaymentNature.FIXED, mission=prevention).mission == prevention


# --- Pages ---


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_page_without_a_contract_says_so(association: Any, president: User) -> None:
    response = _client(president).get(reverse("financing_schedule"))
    assert response.status_code == 200
    assert "Aucun contrat ACI n'est enregistré" in response.content.decode()


def test_page_shows_every_year_with_tables_and_charts(contract: Contract, president: User) -> None:
    ReceivedPayment.objects.create(
        year=_year(contract, 1),
        received_on=date(2024, 4, 2),
        amount=D("61234.56"),
        nature=PaymentNature.FONCTIONNEMENT,
        reference="VIR-2024-01",
    )
    response = _client(president).get(reverse("financing_schedule"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"61{NB}234,56 €" in html
    assert f"60{NB}000,00 €" in html
    assert "VIR-2024-01" in html
    assert "01/03/2024" in html
    assert 'id="financement-contrat-annees"' in html
    for number in range(1, 6):
        assert f'id="annee-{number}"' in html
        assert f'id="financement-annee-{number}-natures"' in html
    assert "<title" in html and "<desc" in html
    assert "estimé" in html
    # The president reads but does not record payments.
    assert reverse("received_payment_create", args=[_year(contract, 1).pk]) not in html


def test_year_filter_and_odd_query_strings(contract: Contract, tresorier: User) -> None:
    client = _client(tresorier)
    html = client.get(reverse("financing_schedule"), {"annee": "2"}).content.decode()
    assert 'id="annee-2"' in html and 'id="annee-1"' not in html
    assert f"78{NB}750,00 €" in html and "10/04/2026" in html
    assert reverse("received_payment_create", args=[_year(contract, 2).pk]) in html
    for odd in ("9", "abc", "-1", "\uff12"):  # the last: a full-width digit two
        response = client.get(reverse("financing_schedule"), {"annee": odd})
        assert response.status_code == 200
        assert 'id="annee-1"' in response.content.decode()


def test_tresorier_records_a_payment(contract: Contract, tresorier: User) -> None:
    year = _year(contract, 1)
    url = reverse("received_payment_create", args=[year.pk])
    client = _client(tresorier)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "received_on": "02/04/2024",
            "amount": "45 000,50",
            "nature": "fixe",
            "mission": Mission.objects.get(key="prevention").pk,
            "reference": "VIR-1",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?annee=1#annee-1")
    payment = ReceivedPayment.objects.get()
    assert (payment.amount, payment.recorded_by, payment.year) == (D("45000.50"), tresorier, year)
    page = client.get(response["Location"]).content.decode()
    assert f"45{NB}000,50" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "0"}, "supérieur à 0"),
        ({"amount": "abc"}, "Saisissez un montant"),
        ({"received_on": "32/13/2024"}, "date valide"),
        ({"received_on": "01/01/2020"}, "précède la signature"),
        ({"nature": "cadeau"}, "Choisissez la nature"),
        ({"mission": "999999"}, "ne fait pas partie du contrat"),
        ({"nature": "fonctionnement", "mission": "prevention"}, "aucune mission"),
    ],
)
def test_bad_input_redisplays_the_form(
    contract: Contract, coordinator: User, data: dict[str, str], message: str
) -> None:
    fields = {"received_on": "02/04/2024", "amount": "100", "nature": "fixe"}
    fields.update(data)
    if fields.get("mission") == "prevention":
        fields["mission"] = str(Mission.objects.get(key="prevention").pk)
    url = reverse("received_payment_create", args=[_year(contract, 1).pk])
    response = _client(coordinator).post(url, fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReceivedPayment.objects.exists()


def test_form_says_the_mission_is_for_fixed_or_variable_parts_only(
    contract: Contract, coordinator: User
) -> None:
    url = reverse("received_payment_create", args=[_year(contract, 1).pk])
    page = html.unescape(_client(coordinator).get(url).content.decode())
    assert "Seulement pour une part fixe ou variable" in page
    assert "Laissez « — Aucune — » pour le fonctionnement." in page


def test_edit_and_delete(contract: Contract, coordinator: User) -> None:
    payment = _record(_year(contract, 1))
    client = _client(coordinator)
    edit = reverse("received_payment_edit", args=[payment.pk])
    page = client.get(edit).content.decode()
    assert 'value="2024-04-02"' in page and "Supprimer le versement" in page
    response = client.post(
        edit, {"received_on": "03/04/2024", "amount": "44000", "nature": "fonctionnement"}
    )
    assert response.status_code == 302
    payment.refresh_from_db()
    assert (payment.amount, payment.received_on) == (D("44000"), date(2024, 4, 3))
    delete = reverse("received_payment_delete", args=[payment.pk])
    assert client.get(delete).status_code == 405
    assert client.post(delete).status_code == 302
    assert not ReceivedPayment.objects.exists()
    assert client.post(delete).status_code == 404
    assert client.get(reverse("received_payment_create", args=[999999])).status_code == 404


def test_refused_personas(
    contract: Contract, president: User, adherent: User, referent: User
) -> None:
    payment = _record(_year(contract, 1))
    urls = [
        ("get", reverse("received_payment_create", args=[_year(contract, 1).pk])),
        ("post", reverse("received_payment_create", args=[_year(contract, 1).pk])),
        ("get", reverse("received_payment_edit", args=[payment.pk])),
        ("post", reverse("received_payment_delete", args=[payment.pk])),
    ]
    for user in (president, adherent, referent):
        client = _client(user)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 403, (user, url)
    for user in (adherent, referent):
        assert _client(user).get(reverse("financing_schedule")).status_code == 403
    anonymous = _client(None).get(reverse("financing_schedule"))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert ReceivedPayment.objects.count() == 1


# --- Constant queries ---


def _fill(contract: Contract, count: int) -> None:
    missions = list(Mission.objects.order_by("position"))
    for year in contract.years.all():
        for index in range(count):
            ReceivedPayment.objects.create(
                year=year,
                received_on=year.start + timedelta(days=index),
                amount=D("100") + index,
                nature=PaymentNature.OTHER,
            )
        for index, mission in enumerate(missions[: min(count, len(missions))]):
            envelope = MissionEnvelope.objects.get_or_create(
                year=year, mission=mission, defaults={"fixed": D("1000"), "variable": D("500")}
            )[0]
            for position in range(count // 2):
                IndicatorLine.objects.create(
                    envelope=envelope,
                    position=position + 10 * index,
                    label=f"Ligne {position}",
                    kind=LineKind.BINARY,
                    amount=D("10"),
                    done=True,
                )


def _count(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("financing_schedule")).status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_payments_envelopes_and_lines(
    association: Any, coordinator: User
) -> None:
    client = _client(coordinator)
    few = make_contract(date(2020, 3, 1))
    _fill(few, 2)
    small = _count(client)
    Contract.objects.all().delete()
    many = make_contract(date(2021, 3, 1))
    _fill(many, 20)
    assert _count(client) == small
