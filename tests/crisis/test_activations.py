"""A crisis activation and the contract: the ARS's recognition makes the crisis lines of
the covered contract years due; withdrawing it undoes only what it did."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from crisis.models import Activation, Situation
from crisis.selectors.activations import due_crisis_lines
from crisis.services.activations import save_activation
from missions.models import (
    Contract,
    ContractMission,
    ContractYear,
    IndicatorLine,
    LineKind,
    Mission,
    MissionEnvelope,
    Taille,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(association):
    contract = Contract.objects.create(
        signed_on=datetime.date(2023, 1, 1), cpam="CPAM", ars="ARS", taille=Taille.T2
    )
    for number in range(1, 6):
        ContractYear.objects.create(
            contract=contract,
            number=number,
            start=datetime.date(2022 + number, 1, 1),
            end=datetime.date(2022 + number, 12, 31),
        )
    crise = Mission.objects.get(key="crise")
    ContractMission.objects.create(contract=contract, mission=crise)
    for number in (2, 3):
        envelope = MissionEnvelope.objects.create(
            year=contract.years.get(number=number),
            mission=crise,
            fixed=Decimal("10000"),
            variable=Decimal("5000"),
        )
        IndicatorLine.objects.create(
            envelope=envelope,
            label=f"Mobilisation lors d'une crise reconnue ({number})",
            kind=LineKind.CRISIS,
            amount=Decimal("5000"),
            done=True,
        )
    return contract


def values(**overrides):
    return {
        "title": "Épidémie de bronchiolite",
        "situation": Situation.SEASONAL,
        "started_on": datetime.date(2024, 11, 15),
        "ended_on": datetime.date(2025, 1, 20),
        "ars_recognised": True,
        "ars_recognised_on": datetime.date(2024, 11, 20),
        "ars_reference": "ARS-OC-2024-118",
        "description": "",
        **overrides,
    }


def flags(contract):
    return list(contract.years.order_by("number").values_list("crisis_recognised", flat=True))


def test_recognition_makes_the_covered_years_crisis_lines_due(contract):
    activation = save_activation(None, values())
    assert flags(contract) == [False, True, True, False, False]
    due = due_crisis_lines(activation)
    assert [(d.year.number, d.amount, d.earned) for d in due] == [
        (2, Decimal("5000"), Decimal("5000")),
        (3, Decimal("5000"), Decimal("5000")),
    ]


def test_an_unrecognised_crisis_earns_nothing_and_withdrawal_clears_its_years(contract):
    activation = save_activation(None, values(ars_recognised=False, ars_recognised_on=None))
    assert flags(contract) == [False] * 5
    assert [d.earned for d in due_crisis_lines(activation)] == [Decimal("0"), Decimal("0")]
    save_activation(activation, values())
    assert flags(contract) == [False, True, True, False, False]
    # Shortened to 2024 only: 2025 is no longer covered.
    save_activation(activation, values(ended_on=datetime.date(2024, 12, 31)))
    assert flags(contract) == [False, True, False, False, False]
    save_activation(activation, values(ars_recognised=False, ars_recognised_on=None))
    assert flags(contract) == [False] * 5


def test_a_recognition_typed_on_the_year_is_left_alone(contract):
    year4 = contract.years.get(number=4)
    year4.crisis_recognised = True
    year4.save()
    spring = {"title": "Autre", "started_on": datetime.date(2026, 2, 1), "ended_on": None}
    activation = save_activation(
        None, values(**spring, ars_recognised=False, ars_recognised_on=None)
    )
    save_activation(activation, values(**spring, ars_recognised=False, ars_recognised_on=None))
    assert flags(contract) == [False, False, False, True, False]


def test_another_recognised_crisis_keeps_the_year_due(contract):
    first = save_activation(None, values(ended_on=datetime.date(2024, 12, 1)))
    save_activation(
        None,
        values(
            title="Canicule",
            started_on=datetime.date(2024, 7, 1),
            ended_on=datetime.date(2024, 7, 15),
            ars_recognised_on=datetime.date(2024, 7, 2),
        ),
    )
    save_activation(
        first,
        values(ended_on=datetime.date(2024, 12, 1), ars_recognised=False, ars_recognised_on=None),
    )
    assert flags(contract)[1] is True


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        (
            {"ended_on": datetime.date(2024, 11, 1)},
            "ended_on",
            "La fin (01/11/2024) précède le début (15/11/2024).",
        ),
        ({"ars_recognised_on": None}, "ars_recognised_on", "Indiquez la date"),
        (
            {"ars_recognised_on": datetime.date(2024, 11, 1)},
            "ars_recognised_on",
            "ne peut précéder",
        ),
        ({"ars_recognised": False}, "ars_recognised", "cochez"),
        ({"started_on": datetime.date(2099, 1, 1), "ended_on": None}, "started_on", "futur"),
        ({"title": "  "}, "title", "intitulé"),
    ],
)
def test_bad_dates_are_refused_naming_the_field(contract, overrides, field, text):
    with pytest.raises(ValidationError) as error:
        save_activation(None, values(**overrides))
    assert text in " ".join(error.value.message_dict[field])
    assert not Activation.objects.exists()
    assert flags(contract) == [False] * 5


def test_the_crisis_page_links_each_covered_contract_year(contract, client, coordinator):
    from django.urls import reverse

    activation = save_activation(None, values())
    client.force_login(coordinator)
    page = client.get(reverse("activation_detail", args=[activation.pk])).content.decode()
    for number in (2, 3):
        year = contract.years.get(number=number)
        link = reverse("contract_year_detail", args=[year.pk])
        assert f'<a href="{link}" data-testid="covered-year">' in page
