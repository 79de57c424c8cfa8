"""Governance's sections of the portal home and the members' cards: what each shows, the
one-tap actions (answer a convocation, join or leave a group) answered with the refreshed
section, and a constant number of queries at two data sizes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cpts.models import Association, User
from governance.models import Body, BodyKind, Convocation, ConvocationAnswer, Mandate
from governance.services.convocations import convene
from governance.services.meetings import add_agenda_item
from members.models import FeeRule, Member
from members.services.adhesions import ensure_adhesion
from tests.factories import MemberFactory
from tests.governance.test_library import approved, share
from tests.governance.test_meetings import group, make_meeting, pay, seat

pytestmark = pytest.mark.django_db

SECTIONS = (
    "portal_member_cards",
    "portal_meetings_section",
    "portal_groups_section",
    "portal_documents_section",
    "portal_account_cards",
)


@pytest.fixture
def own(adherent: User, association) -> Member:
    return MemberFactory.create(user=adherent, email=adherent.email)


@pytest.fixture
def client(adherent: User) -> Client:
    client = Client()
    client.force_login(adherent)
    return client


def fragment(client: Client, name: str) -> str:
    response = client.get(reverse(name), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def queries(client: Client, name: str) -> int:
    with CaptureQueriesContext(connection) as context:
        fragment(client, name)
    return len(context.captured_queries)


def grow(own: Member, size: int) -> None:
    """``size`` working groups (half open), meetings the member is convened to, shared
    documents, approved minutes and other members."""
    others = [MemberFactory.create() for _ in range(size)]
    for index in range(size):
        instance = Body.objects.create(
            kind=BodyKind.GROUP, name=f"Groupe {size}-{index}", open_to_join=index % 2 == 0
        )
        seat(others[index], instance, role="referent")
        if index % 3 == 0:
            seat(own, instance)
        meeting = make_meeting(body=instance, days=index + 1, title=f"Réunion {size}-{index}")
        convene(meeting)
        share(f"Document {size}-{index}", category=["statutes", "plans", "rules"][index % 3])
        approved(f"CA {size}-{index}", days=-(index + 2))
    FeeRule.objects.get_or_create(year=datetime.date.today().year, defaults={"amount": 20})


# --- Content and actions ---------------------------------------------------------------------


def test_the_home_loads_every_section_in_phone_order(client: Client, own: Member):
    page = client.get(reverse("portal_home")).content.decode()
    positions = [page.index(f'hx-get="{reverse(name)}"') for name in SECTIONS]
    assert positions == sorted(positions)


def test_the_fee_card_says_how_to_pay_or_offers_the_attestation(client: Client, own: Member):
    association = Association.objects.get_solo()
    association.payment_iban = "FR7630006000011234567890189"
    association.payment_cheque_order = "CPTS du Cœur d'Hérault"
    association.payment_url = "https://www.helloasso.com/associations/cpts"
    association.save()
    FeeRule.objects.create(year=datetime.date.today().year, amount=Decimal("15"))
    ensure_adhesion(own, datetime.date.today().year)
    card = fragment(client, "portal_member_cards")
    assert "15,00 € à régler" in card
    assert "FR76 3000 6000 0112 3456 7890 189" in card
    assert "à l'ordre de « CPTS du Cœur d&#x27;Hérault »" in card
    assert 'href="https://www.helloasso.com/associations/cpts"' in card
    pay(own, datetime.date.today().year)
    card = fragment(client, "portal_member_cards")
    assert reverse("portal_attestation_request", args=[datetime.date.today().year]) in card
    assert "FR76" not in card


def test_answering_from_the_card_returns_the_refreshed_section(client: Client, own: Member):
    instance = group()
    seat(own, instance)
    meeting = make_meeting(body=instance, days=5, title="Groupe parcours de mai")
    convene(meeting)
    card = fragment(client, "portal_meetings_section")
    assert "Groupe parcours de mai" in card and "Sans réponse" in card
    response = client.post(
        reverse("portal_meeting_answer", args=[meeting.pk]),
        {"answer": "present", "section": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Réponse enregistrée pour « Groupe parcours de mai »." in body
    assert 'data-testid="card-meetings"' in body
    assert Convocation.objects.get(member=own).answer == ConvocationAnswer.PRESENT
    refused = client.post(
        reverse("portal_meeting_answer", args=[meeting.pk]),
        {"answer": "peut-etre", "section": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert "Choisissez « Présent·e » ou « Absent·e »." in refused.content.decode()


def test_an_ag_card_offers_the_proxy_to_a_voting_member(client: Client, own: Member):
    pay(own, (datetime.date.today() + datetime.timedelta(days=20)).year)
    meeting = make_meeting(days=20)
    add_agenda_item(meeting, title="Rapport moral")
    convene(meeting)
    card = fragment(client, "portal_meetings_section")
    assert reverse("proxy_give", args=[meeting.pk]) in card


def test_joining_and_leaving_from_the_card(client: Client, own: Member):
    open_group = Body.objects.create(kind=BodyKind.GROUP, name="Prévention", open_to_join=True)
    Body.objects.create(kind=BodyKind.GROUP, name="Groupe SAS")
    card = fragment(client, "portal_groups_section")
    assert "Prévention" in card and "1 groupe sur désignation" in card
    join = client.post(
        reverse("group_join", args=[open_group.pk]), {"section": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "Vous avez rejoint le groupe « Prévention »." in join.content.decode()
    assert 'data-testid="my-group"' in join.content.decode()
    assert Mandate.objects.filter(member=own, body=open_group).exists()
    leave = client.post(
        reverse("group_leave", args=[open_group.pk]), {"section": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "Vous avez quitté le groupe « Prévention »." in leave.content.decode()
    assert 'data-testid="joinable-group"' in leave.content.decode()


def test_the_documents_card_lists_the_newest_documents_and_minutes(client: Client, own: Member):
    share("Statuts de la CPTS")
    approved("CA de février", days=-3)
    card = fragment(client, "portal_documents_section")
    assert "Statuts de la CPTS" in card and "CA de février" in card
    assert "Procès-verbaux (1)" in card


def test_a_person_without_member_record_gets_every_section(coordinator: User, association):
    client = Client()
    client.force_login(coordinator)
    for name in SECTIONS:
        assert fragment(client, name)


# --- Constant queries ----------------------------------------------------------------------


@pytest.mark.parametrize("name", SECTIONS)
def test_each_section_runs_the_same_queries_at_two_sizes(client: Client, own: Member, name: str):
    grow(own, 3)
    fragment(client, name)  # warm the per-request caches of the first hit
    small = queries(client, name)
    grow(own, 12)
    large = queries(client, name)
    assert large == small, f"{name}: {small} queries with 3 of each, {large} with 15"
    assert large <= 16
