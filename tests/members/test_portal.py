"""The adherent's portal: profile and practice sites, adhesions and own documents, the JSON
export of all their data, and the page for an account without a member record."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cpts.models import Commune, GeneratedDocument, User
from members.models import FeeRule, Member, MemberEmail, MembershipRequest, PracticeSite
from members.models.adhesions import PaymentMethod
from members.models.members import PracticeMode, StructureKind
from members.selectors.portal import ATTESTATION_KIND, RECEIPT_KIND
from members.services.adhesions import ensure_adhesion, record_payment
from tests.factories import PASSWORD, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

CLERMONT = "34079"
LODEVE = "34142"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """The portal's "today" is fixed: 1 June 2026."""
    monkeypatch.setattr("members.views.portal._today", lambda: date(2026, 6, 1))


def _client(user: User) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


@pytest.fixture
def own(association, adherent: User) -> Member:
    """The adherent persona's member record: 2025 paid, 2026 partly paid."""
    for year in (2025, 2026):
        FeeRule.objects.create(year=year, amount=Decimal("20.00"))
    member = MemberFactory.create(
        email=adherent.email,
        user=adherent,
        last_name="Bonnet",
        first_name="Léa",
        phone="06 11 22 33 44",
        commune=Commune.objects.get(insee_code=CLERMONT),
    )
    PracticeSite.objects.create(
        member=member,
        commune=Commune.objects.get(insee_code=CLERMONT),
        structure_kind=StructureKind.MSP,
        structure_name="MSP du Salagou",
        is_primary=True,
    )
    paid = ensure_adhesion(member, 2025)
    record_payment(
        paid, amount=Decimal("20"), method=PaymentMethod.CHEQUE, paid_on=date(2025, 3, 1)
    )
    partial = ensure_adhesion(member, 2026)
    record_payment(
        partial, amount=Decimal("5"), method=PaymentMethod.VIREMENT, paid_on=date(2026, 2, 1)
    )
    MemberEmail.objects.create(member=member, kind="relance", subject="Votre cotisation 2026")
    return member


def _profile_data(member: Member, **overrides: str) -> dict[str, str]:
    sites = list(member.sites.order_by("pk"))
    data = {
        "phone": member.phone,
        "address": member.address,
        "postal_code": member.postal_code,
        "commune": member.commune.insee_code if member.commune else "",
        "sites-TOTAL_FORMS": str(len(sites) + 1),
        "sites-INITIAL_FORMS": str(len(sites)),
        "sites-MIN_NUM_FORMS": "0",
        "sites-MAX_NUM_FORMS": "10",
    }
    for index, site in enumerate(sites):
        prefix = f"sites-{index}-"
        data.update(
            {
                prefix + "id": str(site.pk),
                prefix + "member": str(member.pk),
                prefix + "commune": site.commune.insee_code,
                prefix + "address": site.address,
                prefix + "postal_code": site.postal_code,
                prefix + "practice_mode": site.practice_mode,
                prefix + "structure_kind": site.structure_kind,
                prefix + "structure_name": site.structure_name,
            }
        )
        if site.is_primary:
            data[prefix + "is_primary"] = "on"
    for flag in ("listed", "show_email", "show_phone", "show_address"):
        if getattr(member, f"directory_{flag}"):
            data[f"directory_{flag}"] = "on"
    data.update(overrides)
    return data


# --- Profile -----------------------------------------------------------------------------


def test_profile_shows_own_data_and_account_email(own: Member, adherent: User):
    other = MemberFactory.create(last_name="Secret", phone="04 67 99 99 99")
    response = _client(adherent).get(reverse("portal_profile"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "BONNET" in body and "06 11 22 33 44" in body
    assert "MSP du Salagou" in body
    assert adherent.email in body
    assert other.phone not in body and "SECRET" not in body
    assert 'name="email"' not in body  # the email is the account's, not editable here


def test_profile_update_contact_consents_and_new_site(own: Member, adherent: User):
    data = _profile_data(
        own,
        phone="+33 6 55 44 33 22",
        address="3 rue de la Paix",
        postal_code="34800",
        directory_listed="on",
        directory_show_email="on",
        **{
            "sites-1-commune": "Lodève (34142)",
            "sites-1-postal_code": "34700",
            "sites-1-practice_mode": PracticeMode.LIBERAL,
            "sites-1-structure_kind": StructureKind.CABINET_GROUPE,
            "sites-1-structure_name": "Cabinet des Remparts",
        },
    )
    response = _client(adherent).post(reverse("portal_profile"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    own.refresh_from_db()
    assert own.phone == "06 55 44 33 22"
    assert own.address == "3 rue de la Paix"
    assert own.directory_listed and own.directory_show_email
    assert not own.directory_show_phone
    sites = list(own.sites.order_by("pk"))
    assert [s.commune.insee_code for s in sites] == [CLERMONT, LODEVE]
    assert [s.is_primary for s in sites] == [True, False]
    assert sites[1].structure_name == "Cabinet des Remparts"


def test_profile_moves_primary_and_deletes_a_site(own: Member, adherent: User):
    second = PracticeSite.objects.create(member=own, commune=Commune.objects.get(insee_code=LODEVE))
    data = _profile_data(own)
    data.pop("sites-0-is_primary")
    data["sites-1-is_primary"] = "on"
    response = _client(adherent).post(reverse("portal_profile"), data)
    assert response.status_code == 302
    assert list(own.sites.filter(is_primary=True)) == [second]
    first = own.sites.exclude(pk=second.pk).get()
    # Both changes are in the audit trail, with the adherent as the actor.
    for site in (first, second):
        entry = LogEntry.objects.get_for_object(site).filter(action=LogEntry.Action.UPDATE).get()
        assert "is_primary" in entry.changes_dict
        assert entry.actor == adherent

    data = _profile_data(own, **{"sites-1-DELETE": "on"})
    assert _client(adherent).post(reverse("portal_profile"), data).status_code == 302
    remaining = list(own.sites.all())
    assert len(remaining) == 1 and remaining[0].is_primary  # the last site becomes primary


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"phone": "12345"}, "phone", "numéro de téléphone français"),
        ({"postal_code": "75001"}, "postal_code", "ne correspond pas à la commune"),
        ({"commune": "99999"}, "commune", "code INSEE 99999"),
        ({"sites-1-structure_name": "Sans commune"}, "sites-1-commune", "Indiquez la commune"),
        ({"sites-1-commune": "Saint"}, "sites-1-commune", "Plusieurs communes correspondent"),
    ],
)
def test_profile_errors_name_the_field_and_write_nothing(
    own: Member, adherent: User, overrides: dict[str, str], field: str, message: str
):
    before = (own.phone, own.postal_code, own.sites.count())
    data = _profile_data(own, address="Nouvelle adresse", **overrides)
    response = _client(adherent).post(reverse("portal_profile"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert f'id="id_{field}"' in body
    own.refresh_from_db()
    assert (own.phone, own.postal_code, own.sites.count()) == before
    assert own.address != "Nouvelle adresse"


def test_two_primary_sites_are_refused(own: Member, adherent: User):
    data = _profile_data(own, **{"sites-1-commune": LODEVE, "sites-1-is_primary": "on"})
    response = _client(adherent).post(reverse("portal_profile"), data)
    assert response.status_code == 400
    assert "peut être le lieu principal" in response.content.decode()
    assert own.sites.count() == 1


def test_commune_suggestions(adherent: User, association):
    response = _client(adherent).get(reverse("portal_commune_search"), {"sites-0-commune": "lodèv"})
    assert response.status_code == 200
    assert 'value="Lodève (34142)"' in response.content.decode()


# --- Users without a member record, refused personas --------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "portal_profile",
        "portal_adhesions",
        "portal_data_export",
        "directory",
        "portal_member_cards",
        "portal_account_cards",
        "portal_email_preferences",
    ],
)
def test_account_without_member_record_gets_a_friendly_page(association, name: str):
    user = UserFactory.create(email="sans.fiche@exemple.fr")
    response = _client(user).get(reverse(name))
    assert response.status_code == 200
    if name not in {"directory", "portal_member_cards", "portal_account_cards"}:
        assert "pas encore relié à une fiche" in response.content.decode()


def test_account_without_member_record_cannot_request_documents(association):
    user = UserFactory.create(email="sans.fiche@exemple.fr")
    response = _client(user).post(reverse("portal_attestation_request", args=[2026]))
    assert response.status_code == 200
    assert not GeneratedDocument.objects.exists()


@pytest.mark.parametrize("name", ["portal_profile", "portal_adhesions", "directory"])
def test_anonymous_is_sent_to_login(name: str, db):
    response = Client().get(reverse(name))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# --- Adhesions and documents ---------------------------------------------------------


def test_adhesions_page_shows_years_status_and_balance(own: Member, adherent: User):
    response = _client(adherent).get(reverse("portal_adhesions"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="adhesion-2025"' in body and 'data-testid="adhesion-2026"' in body
    assert "à jour" in body and "en retard" in body
    assert "Reste à régler" in body and "15,00 €" in body
    assert "Comment régler ma cotisation" in body
    assert "Cotisation 2026 en retard" in body
    assert reverse("portal_attestation_request", args=[2025]) in body
    assert reverse("portal_attestation_request", args=[2026]) not in body  # not settled
    assert reverse("portal_receipt_request", args=[2026]) in body  # 5 € received


def test_adhesions_page_queries_do_not_grow(own: Member, adherent: User):
    client = _client(adherent)
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("portal_adhesions"))
    for year in (2022, 2023, 2024):
        FeeRule.objects.create(year=year, amount=Decimal("20.00"))
        adhesion = ensure_adhesion(own, year)
        record_payment(adhesion, amount=Decimal("20"), method="carte", paid_on=date(year, 1, 5))
    with CaptureQueriesContext(connection) as second:
        client.get(reverse("portal_adhesions"))
    assert len(second) == len(first)


@pytest.fixture
def document_kinds(monkeypatch):
    """The membership document kinds (members/documents.py) with a one-line PDF builder when
    they are not registered in this build, so the portal flow can run end to end."""
    from cpts import jobs

    def builder(document, report):
        report(50, "Mise en page")
        return f"{document.kind}.pdf", b"%PDF-1.4\n%%EOF\n"

    for kind in (ATTESTATION_KIND, RECEIPT_KIND):
        if kind not in jobs.known_kinds():
            monkeypatch.setitem(
                jobs._KINDS,
                kind,
                jobs.DocumentKind(key=kind, label=kind, permission="portal.view", builder=builder),
            )


def test_attestation_request_builds_own_document_and_downloads(
    own: Member, adherent: User, document_kinds, django_capture_on_commit_callbacks
):
    client = _client(adherent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal_attestation_request", args=[2025]))
    document = GeneratedDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal_document", args=[document.pk])
    assert document.requested_by == adherent
    assert document.kind == ATTESTATION_KIND
    assert document.parameters == {"member_id": own.pk, "year": 2025}
    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.DONE, document.error_message

    page = client.get(reverse("portal_document", args=[document.pk]))
    assert page.status_code == 200
    assert reverse("portal_document_download", args=[document.pk]) in page.content.decode()
    progress = client.get(
        reverse("portal_document_progress", args=[document.pk]), HTTP_HX_REQUEST="true"
    )
    assert "hx-trigger" not in progress.content.decode()  # finished: polling stops
    download = client.get(reverse("portal_document_download", args=[document.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert download.getvalue().startswith(b"%PDF")


def test_receipt_request_uses_the_adhesion(own: Member, adherent: User, document_kinds):
    response = _client(adherent).post(reverse("portal_receipt_request", args=[2026]))
    document = GeneratedDocument.objects.get()
    assert response.status_code == 302
    assert document.kind == RECEIPT_KIND
    assert document.parameters == {"adhesion_id": own.adhesions.get(year=2026).pk}


@pytest.mark.parametrize(
    ("name", "year", "message"),
    [
        ("portal_attestation_request", 2026, "une fois votre cotisation réglée"),
        ("portal_attestation_request", 2019, "pas d&#x27;adhésion pour l&#x27;année 2019"),
        ("portal_receipt_request", 2019, "pas d&#x27;adhésion pour l&#x27;année 2019"),
    ],
)
def test_refused_document_requests_explain_why(
    own: Member, adherent: User, document_kinds, name: str, year: int, message: str
):
    response = _client(adherent).post(reverse(name, args=[year]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal_adhesions")
    assert message in response.content.decode()
    assert not GeneratedDocument.objects.exists()


def test_receipt_needs_a_payment(association, adherent: User, document_kinds):
    FeeRule.objects.create(year=2026, amount=Decimal("20.00"))
    member = MemberFactory.create(email=adherent.email, user=adherent)
    ensure_adhesion(member, 2026)
    response = _client(adherent).post(reverse("portal_receipt_request", args=[2026]), follow=True)
    assert "Aucun paiement n&#x27;est enregistré pour 2026" in response.content.decode()
    assert not GeneratedDocument.objects.exists()


def test_another_members_document_is_not_found(own: Member, adherent: User):
    someone = UserFactory.create(email="autre@exemple.fr")
    theirs = GeneratedDocument.objects.create(
        kind=ATTESTATION_KIND,
        status=GeneratedDocument.Status.DONE,
        progress=100,
        requested_by=someone,
        finished_at=timezone.now(),
    )
    theirs.file.save("attestation.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    client = _client(adherent)
    for name in ("portal_document", "portal_document_progress", "portal_document_download"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404, name
    # A coordinator's report requested by the adherent is not a portal document either.
    report = GeneratedDocument.objects.create(kind="identity_sheet", requested_by=adherent)
    assert client.get(reverse("portal_document", args=[report.pk])).status_code == 404


def test_unfinished_document_cannot_be_downloaded(own: Member, adherent: User):
    document = GeneratedDocument.objects.create(kind=ATTESTATION_KIND, requested_by=adherent)
    client = _client(adherent)
    page = client.get(reverse("portal_document", args=[document.pk])).content.decode()
    assert reverse("portal_document_progress", args=[document.pk]) in page  # polling
    assert client.get(reverse("portal_document_download", args=[document.pk])).status_code == 404


# --- RGPD export --------------------------------------------------------------------------


def test_data_export_contains_all_my_data(own: Member, adherent: User):
    other = MemberFactory.create(last_name="Autre")
    MembershipRequest.objects.create(
        last_name="Bonnet", email=adherent.email, message="Je souhaite adhérer.", member=own
    )
    MembershipRequest.objects.create(last_name="Autre", email="autre@exemple.fr", member=other)
    response = _client(adherent).get(reverse("portal_data_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="mes-donnees-')
    data = json.loads(response.content)
    assert data["identite"]["nom"] == "Bonnet"
    assert data["identite"]["email"] == adherent.email
    assert data["identite"]["telephone"] == "06 11 22 33 44"
    assert data["lieux_exercice"][0]["nom_structure"] == "MSP du Salagou"
    assert data["lieux_exercice"][0]["code_insee"] == CLERMONT
    assert data["consentements_annuaire"] == {
        "figurer_dans_annuaire": False,
        "montrer_email": False,
        "montrer_telephone": False,
        "montrer_adresse": False,
    }
    by_year = {row["annee"]: row for row in data["adhesions"]}
    assert by_year[2025]["a_jour"] is True and by_year[2026]["a_jour"] is False
    assert by_year[2026]["montant_regle"] == "5.00"
    assert by_year[2025]["paiements"][0]["moyen"] == "Chèque"
    assert data["emails_recus"][0]["objet"] == "Votre cotisation 2026"
    assert data["demandes_adhesion"][0]["message"] == "Je souhaite adhérer."
    assert data["compte"]["email"] == adherent.email
    assert other.email not in response.content.decode()


# --- Portal home -------------------------------------------------------------------------


def test_portal_home_loads_member_cards(own: Member, adherent: User):
    client = _client(adherent)
    home = client.get(reverse("portal_home")).content.decode()
    assert reverse("portal_member_cards") in home
    cards = client.get(reverse("portal_member_cards"), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="card-fee-status"' in cards
    assert reverse("portal_adhesions") in cards
    assert "Pas à jour pour 2026" in cards
    assert "15,00 € à régler" in cards
    account = client.get(reverse("portal_account_cards"), HTTP_HX_REQUEST="true").content.decode()
    assert reverse("portal_profile") in account and reverse("directory") in account
    assert reverse("portal_email_preferences") in account
    assert reverse("portal_data_export") in account
