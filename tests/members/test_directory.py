"""The members' directory: who is listed, what each member consented to show, the search by
name, profession and commune, and a constant number of queries per page."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cpts.models import Commune, User
from members.models import Member, PracticeSite, Profession
from members.models.members import MemberStatus
from members.selectors.directory import DirectoryFilters, directory_page
from tests.factories import PASSWORD, MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

CLERMONT = "34079"
LODEVE = "34142"
GIGNAC = "34114"


def _client(user: User) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def _commune(code: str) -> Commune:
    return Commune.objects.get(insee_code=code)


@pytest.fixture
def listed(association) -> dict[str, Member]:
    nurse = Profession.objects.get(code="infirmier")
    members = {
        "all": MemberFactory.create(
            last_name="Ouvert",
            email="ouvert@exemple.fr",
            phone="04 67 11 11 11",
            address="1 place du Marché",
            postal_code="34800",
            commune=_commune(CLERMONT),
            directory_listed=True,
            directory_show_email=True,
            directory_show_phone=True,
            directory_show_address=True,
        ),
        "discreet": MemberFactory.create(
            last_name="Discret",
            email="discret@exemple.fr",
            phone="06 22 22 22 22",
            address="2 rue Cachée",
            commune=_commune(LODEVE),
            profession=nurse,
            directory_listed=True,
        ),
        "hidden": MemberFactory.create(
            last_name="Invisible",
            email="invisible@exemple.fr",
            phone="06 33 33 33 33",
            directory_listed=False,
        ),
        "departed": MemberFactory.create(
            last_name="Parti",
            email="parti@exemple.fr",
            status=MemberStatus.DEPARTED,
            departed_on=date(2025, 12, 31),
            directory_listed=True,
        ),
        "candidate": MemberFactory.create(
            last_name="Candidat", status=MemberStatus.CANDIDATE, directory_listed=True
        ),
        "msp": OrganisationFactory.create(
            organisation_name="MSP du Lac", directory_listed=True, directory_show_email=True
        ),
    }
    PracticeSite.objects.create(
        member=members["discreet"],
        commune=_commune(GIGNAC),
        address="5 avenue du Pont",
        structure_name="Cabinet infirmier du Pont",
        is_primary=True,
    )
    return members


def test_only_active_listed_members_appear(listed, adherent: User):
    response = _client(adherent).get(reverse("directory"))
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("OUVERT", "DISCRET", "MSP du Lac"):
        assert name in body
    for name in ("INVISIBLE", "PARTI", "CANDIDAT"):
        assert name not in body


def test_consents_are_respected(listed, adherent: User):
    body = _client(adherent).get(reverse("directory")).content.decode()
    # The member who shows everything.
    assert "ouvert@exemple.fr" in body and "04 67 11 11 11" in body
    assert "1 place du Marché" in body
    # The member who only agreed to be listed: name, profession, communes, never contacts.
    assert "Infirmier(ère)" in body and "Gignac" in body and "Cabinet infirmier du Pont" in body
    assert "discret@exemple.fr" not in body
    assert "06 22 22 22 22" not in body
    assert "2 rue Cachée" not in body and "5 avenue du Pont" not in body
    assert "06 33 33 33 33" not in body


def test_entries_carry_only_consented_fields(listed):
    _, entries = directory_page(DirectoryFilters(q="discret"), None)
    (entry,) = entries
    assert (entry.email, entry.phone, entry.address) == ("", "", "")
    assert [site.address for site in entry.sites] == [""]
    _, entries = directory_page(DirectoryFilters(q="ouvert"), None)
    assert entries[0].phone == "04 67 11 11 11"
    # Without a practice site, the member's own commune is shown.
    assert [site.commune for site in entries[0].sites] == ["Clermont-l'Hérault (34)"]


def test_hiding_the_phone_hides_it(listed, adherent: User):
    member = listed["all"]
    member.directory_show_phone = False
    member.save()
    body = _client(adherent).get(reverse("directory")).content.decode()
    assert "04 67 11 11 11" not in body
    assert "ouvert@exemple.fr" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"profession": "infirmier"}, {"DISCRET"}),
        ({"commune": GIGNAC}, {"DISCRET"}),  # through a practice site
        ({"commune": CLERMONT}, {"OUVERT"}),  # through the member's commune
        ({"q": "ouv"}, {"OUVERT"}),
        ({"q": "lac"}, {"MSP du Lac"}),
        ({"profession": "infirmier", "commune": CLERMONT}, set()),
        ({"profession": "inconnue", "q": "x" * 500}, set()),
    ],
)
def test_search(listed, adherent: User, query: dict[str, str], expected: set[str]):
    names = {"OUVERT", "DISCRET", "MSP du Lac"}
    response = _client(adherent).get(reverse("directory"), query)
    assert response.status_code == 200
    body = response.content.decode()
    assert {name for name in names if name in body} == expected


def test_filters_list_professions_and_communes_of_listed_members(listed, adherent: User):
    body = _client(adherent).get(reverse("directory")).content.decode()
    assert 'value="infirmier"' in body
    assert f'value="{GIGNAC}"' in body and f'value="{LODEVE}"' in body
    assert 'value="sage_femme"' not in body


def test_htmx_returns_the_results_only(listed, adherent: User):
    response = _client(adherent).get(reverse("directory"), {"q": "ouv"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith("<section") and "OUVERT" in body
    assert "<html" not in body


def test_pages_and_constant_queries(association, adherent: User):
    client = _client(adherent)
    gignac = _commune(GIGNAC)

    def add(count: int, start: int) -> None:
        for index in range(start, start + count):
            member = MemberFactory.create(
                last_name=f"Nom{index:03d}", directory_listed=True, commune=gignac
            )
            PracticeSite.objects.create(member=member, commune=gignac, is_primary=True)

    add(5, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("directory")).status_code == 200
    add(40, 5)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("directory"), {"page": "2"})
    assert response.status_code == 200
    assert len(many) == len(few)
    body = response.content.decode()
    assert "Page 2 sur 3" in body
    assert "45 membres" in body
    assert client.get(reverse("directory"), {"page": "abc"}).status_code == 200


def test_refused_personas(db):
    response = Client().get(reverse("directory"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
