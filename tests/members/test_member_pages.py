"""The coordinator's member pages: the member page, the create and edit forms (each identifier
and each refusal), departure, reactivation, duplicates, merge and anonymisation."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cpts.models import Commune, User
from members.forms.members import MemberForm
from members.models import FeeRule, Member, MemberEmail, PracticeSite, Profession
from members.models.adhesions import PaymentMethod
from members.models.members import MemberStatus
from members.models.reference import MemberKind
from members.services.adhesions import ensure_adhesion, record_payment
from members.services.members import depart_member
from tests.factories import CollegeFactory, MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
VALID_SIRET = "73282932000074"


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _gp() -> Profession:
    return Profession.objects.get(code="medecin_generaliste")


def _sites(*rows: dict[str, Any], initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        "sites-TOTAL_FORMS": str(len(rows)),
        "sites-INITIAL_FORMS": str(initial),
        "sites-MIN_NUM_FORMS": "0",
        "sites-MAX_NUM_FORMS": "20",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"sites-{index}-{name}"] = value
    return data


def _person_data(**extra: Any) -> dict[str, Any]:
    data = {
        "kind": MemberKind.PERSON,
        "status": MemberStatus.ACTIVE,
        "civility": "mme",
        "last_name": "Martin",
        "first_name": "Claire",
        "profession": _gp().pk,
        "rpps": "100 0123 4567",
        "email": "Claire.Martin@exemple.fr",
        "phone": "+33 4 67 00 00 00",
        "commune": "34079",
    }
    data.update(extra)
    return data


def _form(**extra: Any) -> MemberForm:
    form = MemberForm(data=_person_data(**extra), instance=Member())
    form.is_valid()
    return form


# --- Form validation, one identifier at a time ---------------------------------------------


def test_a_valid_person_is_normalised(association):
    form = _form()
    assert form.is_valid(), form.errors
    data = form.cleaned_data
    assert data["rpps"] == "10001234567"
    assert data["phone"] == "04 67 00 00 00"
    assert data["email"] == "claire.martin@exemple.fr"
    assert data["commune"].insee_code == "34079"
    assert data["postal_code"] == "34800"  # the commune's only postal code


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rpps", "1234", "11 chiffres"),
        ("rpps", "1000123456A", "11 chiffres"),
        ("adeli", "12345678", "9 caractères"),
        ("adeli", "34AB12345", "au plus une lettre"),
        ("email", "pas-une-adresse", "adresse de courriel valide"),
        ("phone", "12 34", "numéro de téléphone français"),
        ("postal_code", "3480", "5 chiffres"),
        ("postal_code", "75001", "ne correspond pas à la commune"),
        ("commune", "99999", "Aucune commune ne porte le code INSEE"),
        ("commune", "Clermont", "code INSEE de la commune"),
        ("last_name", "", "Indiquez le nom"),
        ("profession", "", "Indiquez la profession"),
        ("joined_on", (TODAY + datetime.timedelta(days=3)).isoformat(), "dans le futur"),
    ],
)
def test_person_field_errors(association, field, value, message):
    form = _form(**{field: value})
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_adeli_accepts_digits_and_one_letter(association):
    assert _form(adeli="2A 1234567").is_valid()
    assert _form(adeli="341234567").cleaned_data["adeli"] == "341234567"


def _organisation_data(**extra: Any) -> dict[str, Any]:
    data = {
        "kind": MemberKind.ORGANISATION,
        "status": MemberStatus.ACTIVE,
        "organisation_name": "MSP du Lac",
        "organisation_kind": "msp",
        "siret": "732 829 320 00074",
        "finess": "2a0001234",
        "email": "msp@exemple.fr",
        "rpps": "10001234567",
    }
    data.update(extra)
    return data


def test_a_valid_organisation_keeps_only_its_fields(association):
    form = MemberForm(data=_organisation_data(), instance=Member())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["siret"] == VALID_SIRET
    assert form.cleaned_data["finess"] == "2A0001234"
    assert form.cleaned_data["rpps"] == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siret", "73282932000075", "clé de contrôle"),
        ("siret", "1234", "14 chiffres"),
        ("finess", "2C0001234", "FINESS"),
        ("finess", "34000123", "FINESS"),
        ("organisation_name", "", "raison sociale"),
        ("organisation_kind", "", "type de structure"),
    ],
)
def test_organisation_field_errors(association, field, value, message):
    form = MemberForm(data=_organisation_data(**{field: value}), instance=Member())
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_identifiers_already_used_name_the_other_member(association):
    other = MemberFactory.create(email="claire.martin@exemple.fr", rpps="10001234567")
    form = _form()
    assert (
        f"déjà utilisée par le membre {other.display_name} (n° {other.pk})"
        in (form.errors["email"][0])
    )
    assert "Ce RPPS est déjà utilisé" in form.errors["rpps"][0]
    structure = OrganisationFactory.create(siret=VALID_SIRET)
    form = MemberForm(data=_organisation_data(email="x@exemple.fr"), instance=Member())
    assert f"n° {structure.pk}" in form.errors["siret"][0]
    # Editing the member itself is not a conflict.
    assert MemberForm(data=_person_data(), instance=other).is_valid()


def test_college_is_proposed_from_the_profession_and_refused_when_not_admitting(association):
    pharmacie = CollegeFactory.create(
        name="Pharmacie", code="pharma", position=0, eligible_categories=["pharmacie"]
    )
    medical = CollegeFactory.create(
        name="Médical", code="medical", position=1, eligible_categories=["medicale"]
    )
    assert _form().cleaned_data["college"] == medical
    form = _form(college=pharmacie.pk)
    assert "n'admet pas ce membre" in form.errors["college"][0]


# --- Pages --------------------------------------------------------------------------------


@pytest.fixture
def full_member(association):
    FeeRule.objects.create(year=2026, amount=Decimal("20.00"))
    member = MemberFactory.create(
        commune=Commune.objects.get(insee_code="34079"), phone="04 67 00 00 00"
    )
    return member


def _enrich(member: Member, count: int) -> None:
    communes = list(Commune.objects.filter(insee_code__in=["34079", "34142", "34114"]))
    for index in range(count):
        PracticeSite.objects.create(member=member, commune=communes[index % 3])
        MemberEmail.objects.create(member=member, kind="relance", subject=f"Relance {index}")
        adhesion = ensure_adhesion(member, 2026 - index)
        record_payment(adhesion, amount=Decimal("5"), method=PaymentMethod.CHEQUE, paid_on=TODAY)


def _detail_queries(client: Client, member: Member) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("member_detail", args=[member.pk]))
    assert response.status_code == 200
    return len(queries)


def test_member_page_shows_everything_in_a_constant_number_of_queries(full_member, coordinator):
    for year in (2023, 2024, 2025):
        FeeRule.objects.create(year=year, amount=Decimal("20.00"))
    other = MemberFactory.create(last_name="Sans", first_name="Doublon")
    client = _client(coordinator)
    _enrich(other, 1)
    _detail_queries(client, other)  # warms the per-process caches (content types, session)
    few = _detail_queries(client, other)
    _enrich(full_member, 4)
    MemberFactory.create(last_name=full_member.last_name, first_name=full_member.first_name)
    many = _detail_queries(client, full_member)
    assert many == few
    page = client.get(reverse("member_detail", args=[full_member.pk])).content.decode()
    assert full_member.display_name in page
    assert "Relance 3" in page and "Lieux d'exercice" in page
    assert 'data-testid="member-adhesions"' in page and "5,00 €" in page
    assert 'data-testid="member-duplicates"' in page
    assert 'data-testid="audit-history"' in page
    assert "Les instances et mandats" not in page


def test_member_page_for_the_board_has_no_write_buttons(full_member, president):
    page = _client(president).get(reverse("member_detail", args=[full_member.pk]))
    assert page.status_code == 200
    assert reverse("member_edit", args=[full_member.pk]) not in page.content.decode()


@pytest.mark.parametrize("persona", ["adherent", "referent", "tresorier", "president"])
def test_write_pages_refuse_other_personas(full_member, personas, persona):
    client = _client(personas[persona])
    for url in (
        reverse("member_create"),
        reverse("member_edit", args=[full_member.pk]),
        reverse("member_depart", args=[full_member.pk]),
        reverse("member_anonymise", args=[full_member.pk]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403
    assert client.post(reverse("member_reactivate", args=[full_member.pk])).status_code == 403


def test_anonymous_visitors_go_to_login(full_member):
    response = Client().get(reverse("member_detail", args=[full_member.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_unknown_member_is_404(coordinator):
    client = _client(coordinator)
    assert client.get(reverse("member_detail", args=[999_999])).status_code == 404
    assert client.get(reverse("member_edit", args=[999_999])).status_code == 404
    assert client.get(reverse("member_merge", args=[999_999, 999_998])).status_code == 404


def test_create_a_member_with_a_site(association, coordinator):
    data = {**_person_data(), **_sites({"commune": "34142", "structure_kind": "msp"})}
    response = _client(coordinator).post(reverse("member_create"), data)
    member = Member.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("member_detail", args=[member.pk])
    assert member.rpps == "10001234567" and member.phone == "04 67 00 00 00"
    site = member.sites.get()
    assert site.commune.insee_code == "34142" and site.is_primary


def test_create_form_shows_errors_and_writes_nothing(association, coordinator):
    data = {**_person_data(rpps="12", siret="1"), **_sites({"commune": "00000"})}
    response = _client(coordinator).post(reverse("member_create"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Le RPPS doit comporter exactement 11 chiffres." in content
    assert "Lieu d'exercice n° 1, Commune</a> : Aucune commune" in content
    assert not Member.objects.exists()


def test_two_primary_sites_are_refused(association, coordinator):
    data = {
        **_person_data(),
        **_sites(
            {"commune": "34142", "is_primary": "on"}, {"commune": "34079", "is_primary": "on"}
        ),
    }
    response = _client(coordinator).post(reverse("member_create"), data)
    assert "Un seul lieu d&#x27;exercice peut être le lieu principal." in response.content.decode()
    assert not Member.objects.exists()


def test_edit_a_member_and_delete_a_site(full_member, coordinator):
    site = PracticeSite.objects.create(
        member=full_member, commune=Commune.objects.get(insee_code="34142"), is_primary=True
    )
    client = _client(coordinator)
    assert client.get(reverse("member_edit", args=[full_member.pk])).status_code == 200
    data = {
        **_person_data(last_name="Nouveau", email=full_member.email, rpps=""),
        **_sites({"id": site.pk, "commune": "34142", "DELETE": "on"}, {"commune": ""}, initial=1),
    }
    response = client.post(reverse("member_edit", args=[full_member.pk]), data)
    assert response.status_code == 302
    full_member.refresh_from_db()
    assert full_member.last_name == "Nouveau" and not full_member.sites.exists()


def test_depart_and_reactivate_pages(full_member, coordinator):
    client = _client(coordinator)
    url = reverse("member_depart", args=[full_member.pk])
    assert client.get(url).status_code == 200
    future = (TODAY + datetime.timedelta(days=1)).isoformat()
    response = client.post(url, {"departed_on": future, "departure_reason": "Démission"})
    assert "ne peut pas être dans le futur" in response.content.decode()
    response = client.post(url, {"departed_on": TODAY.isoformat(), "departure_reason": "Démission"})
    assert response.status_code == 302
    full_member.refresh_from_db()
    assert full_member.status == MemberStatus.DEPARTED
    client.post(reverse("member_reactivate", args=[full_member.pk]))
    full_member.refresh_from_db()
    assert full_member.status == MemberStatus.ACTIVE
    assert client.get(reverse("member_reactivate", args=[full_member.pk])).status_code == 405


def test_duplicates_page_and_merge(full_member, coordinator, president):
    twin = MemberFactory.create(last_name=full_member.last_name, first_name=full_member.first_name)
    page = _client(president).get(reverse("member_duplicates")).content.decode()
    assert 'data-testid="duplicate-group"' in page and "même nom et même profession" in page
    client = _client(coordinator)
    url = reverse("member_merge", args=[full_member.pk, twin.pk])
    confirm = client.get(url).content.decode()
    assert "Conservée" in confirm and twin.display_name in confirm
    assert client.post(url).status_code == 302
    twin.refresh_from_db()
    assert twin.merged_into == full_member
    assert "Aucun doublon possible" in client.get(reverse("member_duplicates")).content.decode()


def test_merge_refusal_is_shown(full_member, coordinator):
    structure = OrganisationFactory.create()
    response = _client(coordinator).post(
        reverse("member_merge", args=[full_member.pk, structure.pk])
    )
    assert response.status_code == 200
    assert "Une personne et une structure ne peuvent pas être fusionnées." in (
        response.content.decode()
    )
    structure.refresh_from_db()
    assert structure.merged_into is None


def test_anonymise_page(full_member, coordinator):
    client = _client(coordinator)
    url = reverse("member_anonymise", args=[full_member.pk])
    response = client.post(url)
    assert "Seul un membre parti peut être anonymisé" in response.content.decode()
    depart_member(full_member, TODAY, "Départ")
    assert "Anonymiser définitivement" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    full_member.refresh_from_db()
    assert full_member.anonymised_at is not None
    page = client.get(reverse("member_detail", args=[full_member.pk])).content.decode()
    assert f"Membre anonymisé n° {full_member.pk}" in page
    assert client.get(reverse("member_edit", args=[full_member.pk])).status_code == 302


def test_commune_options(association, coordinator):
    client = _client(coordinator)
    response = client.get(reverse("member_commune_options"), {"q": "clermont-l"})
    assert "34079 — Clermont-l&#x27;Hérault (34)" in response.content.decode()
    response = client.get(reverse("member_commune_options"), {"sites-0-commune": "34142"})
    assert "34142" in response.content.decode()
