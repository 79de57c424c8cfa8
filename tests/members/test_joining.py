"""Joining: the public request form (honeypot, rate limit, collège proposal) and the
coordination's queue (accept creates the member and invites them; decline needs a reason)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cpts.models import Invitation, User
from cpts.services.invitations import accept_invitation
from members.models import Member, MembershipRequest, Profession
from members.models.joining import RequestStatus
from members.models.reference import MemberKind, ProfessionCategory
from members.selectors.joining import proposed_college
from members.services.joining import JOIN_RATE_LIMIT
from tests.factories import CollegeFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("membership_request_create")


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def colleges(association):
    liberaux = CollegeFactory.create(
        name="Libéraux de santé",
        code="liberaux",
        position=1,
        eligible_kinds=[MemberKind.PERSON],
        eligible_categories=[
            ProfessionCategory.MEDICALE,
            ProfessionCategory.PHARMACIE,
            ProfessionCategory.AUXILIAIRE_MEDICAL,
        ],
        description="Professionnels de santé libéraux",
    )
    structures = CollegeFactory.create(
        name="Structures", code="structures", position=2, eligible_kinds=[MemberKind.ORGANISATION]
    )
    usagers = CollegeFactory.create(
        name="Usagers et élus",
        code="usagers",
        position=3,
        is_voting=False,
        eligible_kinds=[MemberKind.PERSON],
        eligible_categories=[ProfessionCategory.AUTRE],
    )
    return {"liberaux": liberaux, "structures": structures, "usagers": usagers}


def _gp() -> Profession:
    return Profession.objects.get(code="medecin_generaliste")


def _person(**overrides: Any) -> dict[str, Any]:
    data = {
        "kind": MemberKind.PERSON,
        "last_name": "Martin",
        "first_name": "Claire",
        "profession": _gp().pk,
        "rpps": "10001234567",
        "email": "claire.martin@exemple.fr",
        "phone": "04 67 11 22 33",
        "message": "Installée depuis janvier.",
    }
    data.update(overrides)
    return data


def test_the_form_is_public_and_french(client, association, colleges):
    response = client.get(CREATE)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Demander à adhérer" in content
    assert 'name="site_web"' in content  # the honeypot is there, hidden
    # No profession chosen yet: no collège admits the person so far.
    assert "Aucun collège ne correspond encore à ce choix" in content


def test_the_college_is_proposed_from_the_profession_over_htmx(client, association, colleges):
    nurse = Profession.objects.get(code="infirmier")
    # htmx sends the whole form, the collège still empty (or no longer fitting).
    for college in ("", colleges["structures"].pk):
        response = client.get(
            CREATE,
            {"kind": MemberKind.PERSON, "profession": nurse.pk, "college": college},
            headers={"HX-Request": "true"},
        )
        assert f'<option value="{colleges["liberaux"].pk}" selected>' in response.content.decode()
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="champ-college"' in content and "<html" not in content
    assert "Libéraux de santé" in content and "Professionnels de santé libéraux" in content
    assert "Usagers et élus" not in content
    response = client.get(CREATE, {"kind": MemberKind.ORGANISATION}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "Structures" in content and "Libéraux de santé" not in content
    assert proposed_college(MemberKind.ORGANISATION, None) == colleges["structures"]


def test_a_request_lands_in_the_queue_with_the_proposed_college(client, association, colleges):
    response = client.post(CREATE, _person())
    assert response.status_code == 302
    assert response["Location"] == reverse("membership_request_done")
    request = MembershipRequest.objects.get()
    assert request.status == RequestStatus.PENDING
    assert request.college == colleges["liberaux"]  # proposed: none was chosen
    assert request.phone == "04 67 11 22 33"
    assert client.get(response["Location"]).status_code == 200


def test_a_college_that_does_not_admit_the_profession_is_refused(client, association, colleges):
    response = client.post(CREATE, _person(college=colleges["structures"].pk))
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not MembershipRequest.objects.exists()


def test_missing_and_malformed_fields_are_named_in_french(client, association, colleges):
    response = client.post(
        CREATE, _person(last_name="", profession="", rpps="123", email="", siret="1")
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Indiquez votre nom." in content
    assert "Choisissez votre profession." in content
    assert "Le RPPS doit comporter exactement 11 chiffres." in content
    assert not MembershipRequest.objects.exists()
    response = client.post(
        CREATE,
        {"kind": MemberKind.ORGANISATION, "email": "msp@exemple.fr", "siret": "12345678901234"},
    )
    content = response.content.decode()
    assert "Indiquez la raison sociale de la structure." in content
    assert "clé de contrôle" in content  # SIRET Luhn
    assert not MembershipRequest.objects.exists()


def test_a_structure_request_keeps_only_structure_identifiers(client, association, colleges):
    response = client.post(
        CREATE,
        {
            "kind": MemberKind.ORGANISATION,
            "organisation_name": "MSP des Rives",
            "organisation_kind": "msp",
            "siret": "73282932000074",
            "finess": "340012345",
            "rpps": "10001234567",
            "email": "msp.rives@exemple.fr",
        },
    )
    assert response.status_code == 302
    request = MembershipRequest.objects.get()
    assert request.siret == "73282932000074" and request.rpps == ""
    assert request.college == colleges["structures"]


def test_the_honeypot_silently_drops_bots(client, association, colleges):
    response = client.post(CREATE, _person(site_web="http://spam.example"))
    assert response.status_code == 302  # the bot believes it worked
    assert response["Location"] == reverse("membership_request_done")
    assert not MembershipRequest.objects.exists()


def test_requests_are_rate_limited_per_address(client, association, colleges):
    for number in range(JOIN_RATE_LIMIT):
        response = client.post(
            CREATE, _person(email=f"p{number}@exemple.fr", rpps=""), REMOTE_ADDR="203.0.113.9"
        )
        assert response.status_code == 302
    response = client.post(
        CREATE, _person(email="encore@exemple.fr", rpps=""), REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert MembershipRequest.objects.count() == JOIN_RATE_LIMIT
    # Another address is not affected.
    response = client.post(
        CREATE, _person(email="autre@exemple.fr", rpps=""), REMOTE_ADDR="198.51.100.4"
    )
    assert response.status_code == 302


def test_behind_the_proxy_the_address_added_by_the_proxy_counts(
    client, association, colleges, settings
):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    for number in range(JOIN_RATE_LIMIT):
        client.post(
            CREATE,
            _person(email=f"q{number}@exemple.fr", rpps=""),
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 203.0.113.50",  # forged first entries
        )
    response = client.post(
        CREATE,
        _person(email="r@exemple.fr", rpps=""),
        HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.50",
    )
    assert response.status_code == 429


# --- The queue ---


@pytest.fixture
def pending(association, colleges) -> MembershipRequest:
    return MembershipRequest.objects.create(
        kind=MemberKind.PERSON,
        last_name="Durand",
        first_name="Léa",
        profession=_gp(),
        rpps="10009876543",
        email="lea.durand@exemple.fr",
        college=colleges["liberaux"],
        commune=association.communes.first(),
    )


def test_the_queue_lists_pending_requests_first(client, coordinator, pending):
    decided = MembershipRequest.objects.create(
        last_name="Ancien",
        email="ancien@exemple.fr",
        status=RequestStatus.DECLINED,
        decline_reason="Hors territoire",
    )
    client.force_login(coordinator)
    content = client.get(reverse("membership_request_list")).content.decode()
    assert "Léa Durand" in content and "Ancien" not in content
    content = client.get(reverse("membership_request_list"), {"statut": "refusees"}).content
    assert str(decided).encode() in content and b"Durand" not in content
    # An unknown filter falls back to the pending requests.
    response = client.get(reverse("membership_request_list"), {"statut": "x", "page": "abc"})
    assert response.status_code == 200


def test_the_queue_queries_do_not_grow_with_rows(
    client, coordinator, association, colleges, django_assert_max_num_queries
):
    client.force_login(coordinator)
    for number in range(3):
        MembershipRequest.objects.create(
            last_name=f"N{number}", email=f"n{number}@exemple.fr", profession=_gp()
        )
    client.get(reverse("membership_request_list"))
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("membership_request_list"))
    for number in range(3, 20):
        MembershipRequest.objects.create(
            last_name=f"N{number}",
            email=f"n{number}@exemple.fr",
            profession=_gp(),
            college=colleges["liberaux"],
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("membership_request_list"))


def test_accept_creates_the_member_and_emails_an_invitation(
    client, coordinator, pending, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    assert client.get(reverse("membership_request_detail", args=[pending.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("membership_request_accept", args=[pending.pk]))
    assert response.status_code == 302
    member = Member.objects.get(email="lea.durand@exemple.fr")
    assert member.status == "active" and member.joined_on == timezone.localdate()
    assert member.college == pending.college and member.rpps == "10009876543"
    assert member.profession == _gp() and member.commune == pending.commune
    pending.refresh_from_db()
    assert pending.status == RequestStatus.ACCEPTED and pending.member == member
    assert pending.decided_by == coordinator
    invitation = Invitation.objects.get(email="lea.durand@exemple.fr")
    assert invitation.first_name == "Léa" and invitation.role == "adherent"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["lea.durand@exemple.fr"]
    assert invitation.token in mailoutbox[0].body
    logged = member.emails_sent.get()  # the invitation is in the member's email log
    assert (logged.kind, logged.subject, logged.sent_by) == (
        "invitation",
        mailoutbox[0].subject,
        coordinator,
    )
    # Once the invitee chooses a password, the new account is the member's account.
    account = accept_invitation(invitation, "un-mot-de-passe-solide-2026")
    member.refresh_from_db()
    assert member.user == account
    # Accepting twice is refused, nothing more created.
    response = client.post(reverse("membership_request_accept", args=[pending.pk]), follow=True)
    assert "déjà été traitée" in response.content.decode()
    assert Member.objects.filter(email="lea.durand@exemple.fr").count() == 1


@pytest.mark.parametrize(
    "existing",
    [
        {"email": "LEA.DURAND@exemple.fr"},
        {"rpps": "10009876543", "email": "autre@exemple.fr"},
    ],
)
def test_accept_refuses_a_duplicate_and_creates_nothing(
    client, coordinator, pending, existing, mailoutbox, django_capture_on_commit_callbacks
):
    MemberFactory.create(last_name="Déjà", **existing)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("membership_request_accept", args=[pending.pk]), follow=True)
    content = response.content.decode()
    assert "Un membre existe déjà" in content and "DÉJÀ" in content
    assert Member.objects.count() == 1
    assert not Invitation.objects.exists() and mailoutbox == []
    pending.refresh_from_db()
    assert pending.status == RequestStatus.PENDING


def test_accept_links_an_existing_account_instead_of_inviting(
    client, coordinator, pending, mailoutbox, django_capture_on_commit_callbacks
):
    account: User = UserFactory.create(email="lea.durand@exemple.fr")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("membership_request_accept", args=[pending.pk]))
    member = Member.objects.get(email="lea.durand@exemple.fr")
    assert member.user == account
    assert not Invitation.objects.exists() and mailoutbox == []


def test_decline_requires_a_reason_and_emails_it(
    client, coordinator, pending, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    url = reverse("membership_request_decline", args=[pending.pk])
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 200
    assert "Indiquez le motif du refus." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == RequestStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Votre lieu d'exercice est hors du territoire."})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == RequestStatus.DECLINED
    assert pending.decline_reason == "Votre lieu d'exercice est hors du territoire."
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["lea.durand@exemple.fr"]
    assert "Votre demande d'adhésion" in message.subject
    assert "hors du territoire" in message.body and "Bonjour Léa" in message.body
    assert not Member.objects.exists()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("membership_request_list", "get"),
        ("membership_request_detail", "get"),
        ("membership_request_accept", "post"),
        ("membership_request_decline", "post"),
    ],
)
def test_refused_personas(client, personas, pending, name, method):
    url = reverse(name, args=[pending.pk]) if name != "membership_request_list" else reverse(name)
    for persona in ("anonymous", "adherent", "referent", "tresorier", "president"):
        client.logout()
        if personas[persona] is not None:
            client.force_login(personas[persona])
        response = getattr(client, method)(url, {"reason": "x"})
        expected = 302 if persona == "anonymous" else 403
        assert response.status_code == expected, persona
    pending.refresh_from_db()
    assert pending.status == RequestStatus.PENDING
