"""Invitations: the only way an account is created. The coordination invites, the invitee
follows the emailed link, chooses a password and lands logged in as an adherent (or, when a
superuser invited them so, a member of the coordination team). No other role comes from an
invitation: roles come from mandates."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cpts.models import Invitation, User
from cpts.permissions import roles_of
from cpts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Tisane-Verveine-2026"
REFUSED = ["adherent", "referent", "tresorier", "president"]


def _text(response) -> str:
    return unescape(response.content.decode())


def _invite(client, django_capture_on_commit_callbacks, **data):
    payload = {"email": "nouvelle@exemple.fr", "first_name": "Inès", "last_name": "Roux"}
    payload.update(data)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("invitation_create"), payload)


def _make_invitation(coordinator, **fields) -> Invitation:
    values = {"email": "invitee@exemple.fr", "invited_by": coordinator}
    values.update(fields)
    return Invitation.objects.create(**values)


def _accept_url(invitation: Invitation) -> str:
    return reverse("invitation_accept", args=[invitation.token])


# --- Access ---


@pytest.mark.parametrize(
    ("url_name", "method"),
    [
        ("invitation_list", "get"),
        ("invitation_create", "get"),
        ("invitation_create", "post"),
        ("invitation_resend", "post"),
        ("invitation_revoke", "post"),
    ],
)
def test_refused_personas(client, personas, coordinator, url_name, method):
    invitation = _make_invitation(coordinator)
    args = [invitation.pk] if url_name in {"invitation_resend", "invitation_revoke"} else []
    url = reverse(url_name, args=args)
    response = getattr(client, method)(url, {"email": "x@exemple.fr"})
    assert response.status_code == 302 and response["Location"].startswith("/comptes/login/")
    for persona in REFUSED:
        client.force_login(personas[persona])
        assert getattr(client, method)(url).status_code == 403, persona
    invitation.refresh_from_db()
    assert invitation.revoked_at is None and Invitation.objects.count() == 1


@pytest.mark.parametrize("url_name", ["invitation_resend", "invitation_revoke"])
def test_actions_are_post_only(client, coordinator, url_name):
    invitation = _make_invitation(coordinator)
    client.force_login(coordinator)
    assert client.get(reverse(url_name, args=[invitation.pk])).status_code == 405


def test_unknown_invitation_is_404_for_actions(client, coordinator):
    client.force_login(coordinator)
    assert client.post(reverse("invitation_resend", args=[999999])).status_code == 404
    assert client.post(reverse("invitation_revoke", args=[999999])).status_code == 404


# --- List ---


def test_list_shows_every_state_with_its_label(client, coordinator, association):
    now = timezone.now()
    _make_invitation(coordinator, email="attente@exemple.fr")
    _make_invitation(coordinator, email="expiree@exemple.fr", expires_at=now - timedelta(days=1))
    _make_invitation(coordinator, email="revoquee@exemple.fr", revoked_at=now)
    _make_invitation(coordinator, email="acceptee@exemple.fr", accepted_at=now)
    client.force_login(coordinator)
    html = _text(client.get(reverse("invitation_list")))
    for email in ["attente", "expiree", "revoquee", "acceptee"]:
        assert f"{email}@exemple.fr" in html
    for label in ["En attente", "Expirée", "Révoquée", "Acceptée"]:
        assert f">{label}</span>" in html
    assert 'name="email"' in html and "Inviter une personne" in html

    only_expired = _text(client.get(reverse("invitation_list"), {"statut": "expirees"}))
    assert "expiree@exemple.fr" in only_expired and "attente@exemple.fr" not in only_expired
    pending = _text(client.get(reverse("invitation_list"), {"statut": "en-attente"}))
    assert "attente@exemple.fr" in pending and "revoquee@exemple.fr" not in pending
    # An unknown filter or page number shows the first page of everything, never an error.
    assert client.get(reverse("invitation_list"), {"statut": "x", "page": "abc"}).status_code == 200


def test_list_queries_do_not_grow_with_rows(client, coordinator, association):
    client.force_login(coordinator)
    inviters = [UserFactory() for _ in range(3)]

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("invitation_list")).status_code == 200
        return len(queries)

    for i in range(2):
        _make_invitation(inviters[i % 3], email=f"a{i}@exemple.fr")
    few = count_queries()
    for i in range(12):
        _make_invitation(inviters[i % 3], email=f"b{i}@exemple.fr", accepted_at=timezone.now())
    assert count_queries() == few


def test_list_is_paginated(client, coordinator, association):
    for i in range(30):
        _make_invitation(coordinator, email=f"p{i:02d}@exemple.fr")
    client.force_login(coordinator)
    first = _text(client.get(reverse("invitation_list")))
    assert first.count("@exemple.fr</div>") == 25
    assert "Page 1 sur 2" in first
    second = _text(client.get(reverse("invitation_list"), {"page": 2}))
    assert second.count("@exemple.fr</div>") == 5


# --- Create ---


def test_create_form_page(client, coordinator, association):
    client.force_login(coordinator)
    html = _text(client.get(reverse("invitation_create")))
    assert '<label class="form-label" for="id_email">' in html
    assert 'name="role"' not in html and 'name="as_coordinator"' not in html
    assert "Le compte créé est celui d'un·e adhérent·e." in html


def test_invitation_to_account_journey(
    client, coordinator, association, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    response = _invite(client, django_capture_on_commit_callbacks, email=" Nouvelle@Exemple.FR ")
    assert response.status_code == 302 and response["Location"] == reverse("invitation_list")
    invitation = Invitation.objects.get()
    assert invitation.email == "nouvelle@exemple.fr"
    assert invitation.invited_by == coordinator and not invitation.as_coordinator
    assert "Invitation envoyée à nouvelle@exemple.fr." in _text(client.get(response["Location"]))

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["nouvelle@exemple.fr"]
    assert message.subject == "Invitation à rejoindre CPTS du Cœur d'Hérault sur Maillage"
    link = f"http://testserver/invitations/accepter/{invitation.token}/"
    assert link in message.body
    assert "Bonjour Inès," in message.body and "rôle" not in message.body
    assert "vous invite à créer votre compte sur Maillage" in message.body
    assert "équipe de coordination." not in message.body
    expiry = timezone.localtime(invitation.expires_at).strftime("%d/%m/%Y")
    assert f"valable jusqu'au {expiry}" in message.body
    html_body, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and link in html_body and expiry in html_body

    client.logout()
    page = client.get(link)
    html = _text(page)
    assert page.status_code == 200
    assert "CPTS du Cœur d'Hérault" in html and "nouvelle@exemple.fr" in html
    assert '<label class="form-label" for="id_password1">' in html

    done = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("home")
    user = User.objects.get(email="nouvelle@exemple.fr")
    assert (user.first_name, user.last_name) == ("Inès", "Roux")
    assert user.check_password(NEW_PASSWORD)
    assert EmailAddress.objects.filter(user=user, email=user.email, verified=True, primary=True)
    assert roles_of(user) == {Role.ADHERENT} and not user.is_staff
    assert get_user(client).pk == user.pk
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None and invitation.user == user
    assert client.get(reverse("home"))["Location"] == reverse("portal_home")
    greetings = [str(m) for m in get_messages(client.get(reverse("portal_home")).wsgi_request)]
    assert greetings == ["Bienvenue ! Votre compte est créé."]  # not allauth's login message too
    # The link is spent.
    client.logout()
    assert client.get(link).status_code == 410


def test_an_empty_post_shows_the_errors(client, coordinator, association):
    client.force_login(coordinator)
    response = client.post(reverse("invitation_create"), {})
    assert 'id="id_email_error">Ce champ est obligatoire.' in _text(response)
    invitation = _make_invitation(coordinator)
    client.logout()
    accept = client.post(_accept_url(invitation), {})
    assert 'id="id_password1_error">Ce champ est obligatoire.' in _text(accept)


def test_email_leaves_only_after_commit(
    client, coordinator, association, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("invitation_create"), {"email": "a@exemple.fr"})
    assert len(callbacks) == 1 and mailoutbox == []


def test_email_of_an_existing_account_is_refused(
    client, coordinator, adherent, association, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    response = _invite(client, django_capture_on_commit_callbacks, email="ADHERENT@exemple.fr")
    html = _text(response)
    assert response.status_code == 200
    assert 'id="id_email_error">Un compte existe déjà avec cette adresse e-mail.' in html
    assert Invitation.objects.count() == 0 and mailoutbox == []


def test_a_pending_invitation_blocks_a_second_one(
    client, coordinator, association, django_capture_on_commit_callbacks
):
    _make_invitation(coordinator, email="nouvelle@exemple.fr")
    client.force_login(coordinator)
    response = _invite(client, django_capture_on_commit_callbacks)
    assert "Une invitation est déjà en attente pour cette adresse e-mail" in _text(response)
    assert Invitation.objects.count() == 1


def test_an_expired_or_revoked_invitation_does_not_block_a_new_one(
    client, coordinator, association, django_capture_on_commit_callbacks
):
    now = timezone.now()
    _make_invitation(coordinator, email="nouvelle@exemple.fr", expires_at=now)
    _make_invitation(coordinator, email="nouvelle@exemple.fr", revoked_at=now)
    client.force_login(coordinator)
    assert _invite(client, django_capture_on_commit_callbacks).status_code == 302
    assert Invitation.objects.count() == 3


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"email": "pas-une-adresse"}, "email", "Saisissez une adresse de courriel valide."),
        ({"email": ""}, "email", "Ce champ est obligatoire."),
        ({"first_name": "x" * 151}, "first_name", "Assurez-vous que cette valeur comporte au plus"),
    ],
)
def test_bad_input_gets_a_french_error_on_the_field(
    client, coordinator, association, django_capture_on_commit_callbacks, data, field, error
):
    client.force_login(coordinator)
    response = _invite(client, django_capture_on_commit_callbacks, **data)
    assert response.status_code == 200
    assert f'id="id_{field}_error">{error}' in _text(response)
    assert Invitation.objects.count() == 0


# --- Resend and revoke ---


def test_resend_changes_token_and_expiry_and_emails_again(
    client, coordinator, association, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = _make_invitation(coordinator, expires_at=timezone.now() - timedelta(days=2))
    old_token, old_expiry = invitation.token, invitation.expires_at
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("invitation_resend", args=[invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.token != old_token
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    assert invitation.expires_at > old_expiry
    assert len(mailoutbox) == 1 and invitation.token in mailoutbox[0].body
    assert "avec un nouveau lien" in _text(client.get(response["Location"]))
    client.logout()
    assert client.get(f"/invitations/accepter/{old_token}/").status_code == 404
    assert client.get(_accept_url(invitation)).status_code == 200


def test_resend_of_an_accepted_or_revoked_invitation_is_refused(
    client, coordinator, association, mailoutbox, django_capture_on_commit_callbacks
):
    accepted = _make_invitation(coordinator, email="a@exemple.fr", accepted_at=timezone.now())
    revoked = _make_invitation(coordinator, email="r@exemple.fr", revoked_at=timezone.now())
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("invitation_resend", args=[accepted.pk]), follow=True)
        second = client.post(reverse("invitation_resend", args=[revoked.pk]), follow=True)
    assert "Cette invitation a déjà été acceptée." in _text(first)
    assert "Cette invitation a été révoquée." in _text(second)
    assert mailoutbox == []
    assert Invitation.objects.get(pk=accepted.pk).token == accepted.token


def test_resend_is_refused_once_the_address_has_an_account(
    client, coordinator, adherent, association, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = _make_invitation(coordinator, email=adherent.email)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("invitation_resend", args=[invitation.pk]), follow=True)
    assert "Un compte existe déjà avec cette adresse e-mail." in _text(response)
    assert mailoutbox == []


def test_revoke_stops_the_link(client, coordinator, association):
    invitation = _make_invitation(coordinator)
    client.force_login(coordinator)
    response = client.post(reverse("invitation_revoke", args=[invitation.pk]), follow=True)
    assert "son lien ne fonctionne plus" in _text(response)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    again = client.post(reverse("invitation_revoke", args=[invitation.pk]), follow=True)
    assert "Cette invitation a été révoquée." in _text(again)
    client.logout()
    assert client.get(_accept_url(invitation)).status_code == 410


# --- Accept ---


@pytest.mark.parametrize(
    ("state", "status", "title"),
    [
        ("expired", 410, "Invitation expirée"),
        ("revoked", 410, "Invitation révoquée"),
        ("accepted", 410, "Invitation déjà utilisée"),
    ],
)
def test_unusable_links_explain_in_french(client, coordinator, association, state, status, title):
    now = timezone.now()
    fields = {
        "expired": {"expires_at": now - timedelta(minutes=1)},
        "revoked": {"revoked_at": now},
        "accepted": {"accepted_at": now},
    }[state]
    invitation = _make_invitation(coordinator, **fields)
    for method in ("get", "post"):
        response = getattr(client, method)(
            _accept_url(invitation), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        )
        assert response.status_code == status
        assert title in _text(response)
    assert not User.objects.filter(email=invitation.email).exists()


@pytest.mark.parametrize("token", ["inconnu", "x" * 65, "a" * 43])
def test_unknown_token_is_404_in_french(client, association, token):
    response = client.get(f"/invitations/accepter/{token}/")
    assert response.status_code == 404
    assert "Lien d'invitation inconnu" in _text(response)


@pytest.mark.parametrize(
    ("password1", "password2", "field", "error"),
    [
        ("court", "court", "password1", "Ce mot de passe est trop court."),
        ("12345678901", "12345678901", "password1", "Ce mot de passe est entièrement numérique."),
        ("invitee-exemple", "invitee-exemple", "password1", "trop semblable"),
        (NEW_PASSWORD, "autre-chose-2026", "password2", "Les deux mots de passe ne correspondent"),
        ("", "", "password1", "Ce champ est obligatoire."),
    ],
)
def test_bad_passwords_get_french_errors(
    client, coordinator, association, password1, password2, field, error
):
    invitation = _make_invitation(coordinator)
    response = client.post(
        _accept_url(invitation), {"password1": password1, "password2": password2}
    )
    html = _text(response)
    assert response.status_code == 200
    assert f'id="id_{field}_error">' in html and error in html
    assert password1 not in re.findall(r'value="([^"]*)"', html) or not password1
    assert not User.objects.filter(email=invitation.email).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_logged_in_person_is_told_to_log_out_first(client, coordinator, adherent, association):
    invitation = _make_invitation(coordinator)
    client.force_login(adherent)
    page = client.get(_accept_url(invitation))
    html = _text(page)
    assert page.status_code == 200
    assert "Vous êtes connecté·e en tant que adherent@exemple.fr" in html
    assert reverse("account_logout") in html
    client.post(_accept_url(invitation), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert not User.objects.filter(email=invitation.email).exists()
    assert get_user(client).pk == adherent.pk


def test_an_account_created_meanwhile_makes_the_link_unusable(client, coordinator, association):
    invitation = _make_invitation(coordinator)
    UserFactory(email=invitation.email.upper())
    response = client.post(
        _accept_url(invitation), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 410
    assert "Un compte existe déjà pour cette adresse e-mail." in _text(response)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accepting_twice_creates_one_account(client, coordinator, association):
    invitation = _make_invitation(coordinator)
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client.post(_accept_url(invitation), data).status_code == 302
    client.logout()
    assert client.post(_accept_url(invitation), data).status_code == 410
    assert User.objects.filter(email=invitation.email).count() == 1
    assert roles_of(User.objects.get(email=invitation.email)) == {Role.ADHERENT}


# --- Coordination team invitations ---


def test_a_coordinator_cannot_invite_a_coordination_team_member(
    client, coordinator, association, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    response = _invite(client, django_capture_on_commit_callbacks, as_coordinator="on")
    assert response.status_code == 302  # the box is not offered: an adherent is invited
    assert not Invitation.objects.get().as_coordinator


@pytest.mark.parametrize(
    ("role", "error"),
    [
        (
            Role.COORDINATEUR,
            "Seul un super-utilisateur peut inviter un membre de l'équipe de coordination.",
        ),
        (
            Role.TRESORIER,
            "Une invitation crée un compte d'adhérent·e ou de l'équipe de coordination : "
            "les autres rôles viennent des mandats.",
        ),
    ],
)
def test_the_service_refuses_other_roles_and_coordination_from_a_non_superuser(
    coordinator, association, role, error
):
    from django.core.exceptions import ValidationError

    from cpts.services.invitations import create_invitation

    with pytest.raises(ValidationError) as raised:
        create_invitation(
            email="salariee@exemple.fr",
            invited_by=coordinator,
            build_absolute_uri=lambda path: path,
            role=role,
        )
    assert raised.value.message_dict == {"role": [error]}
    assert Invitation.objects.count() == 0


def test_an_invitation_with_another_role_cannot_be_stored(coordinator):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        _make_invitation(coordinator, role=Role.TRESORIER)


def test_a_superuser_invites_a_coordination_team_member(
    client, association, mailoutbox, django_capture_on_commit_callbacks
):
    root = User.objects.create_superuser(email="root@exemple.fr", password=NEW_PASSWORD)
    client.force_login(root)
    form_html = _text(client.get(reverse("invitation_create")))
    assert 'name="as_coordinator"' in form_html
    assert "Membre de l'équipe de coordination" in form_html
    response = _invite(client, django_capture_on_commit_callbacks, as_coordinator="on")
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.as_coordinator and invitation.role == Role.COORDINATEUR
    assert "Vous rejoindrez l'équipe de coordination." in mailoutbox[0].body
    assert "Équipe de coordination" in _text(client.get(reverse("invitation_list")))

    client.logout()
    page = _text(client.get(_accept_url(invitation)))
    assert "en tant que membre de l'équipe de coordination" in page
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client.post(_accept_url(invitation), data).status_code == 302
    user = User.objects.get(email="nouvelle@exemple.fr")
    assert user.is_staff and not user.is_superuser
    assert Role.COORDINATEUR in roles_of(user)
