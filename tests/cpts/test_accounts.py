"""allauth pages in French and Bootstrap: login, logout, password reset, e-mail verification,
closed sign-up, and the pages of a logged-in person (password, addresses, MFA)."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user
from django.core import mail
from django.urls import reverse

from cpts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/comptes/login/"


def _link(body: str) -> str:
    match = re.search(r"http://testserver/\S+", body)
    assert match, body
    return match.group(0)


def test_login_page_is_french_styled_and_names_the_cpts(client, association):
    response = client.get(LOGIN_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "Connexion" in html
    assert "CPTS du Cœur d&#x27;Hérault" in html
    # Every input has a visible label tied to it, with Bootstrap classes.
    assert '<label class="form-label" for="id_login">' in html
    assert '<label class="form-label" for="id_password">' in html
    assert 'type="email"' in html and 'class="form-control' in html
    assert "Mot de passe oublié ?" in html
    assert "sur invitation de la coordination" in html
    # No invitation to sign up: accounts are created by invitation only.
    assert reverse("account_signup") not in html
    assert "Sign In" not in html


def test_login_by_email_is_case_insensitive(client, adherent):
    response = client.post(LOGIN_URL, {"login": "  Adherent@EXEMPLE.fr ", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert get_user(client).pk == adherent.pk


def test_wrong_password_shows_a_french_error_and_keeps_the_email(client, adherent):
    response = client.post(LOGIN_URL, {"login": adherent.email, "password": "pas-le-bon"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "L\u2019adresse e-mail ou le mot de passe sont incorrects." in html
    assert 'class="alert alert-danger"' in html
    assert f'value="{adherent.email}"' in html
    assert 'name="password" ' in html and "pas-le-bon" not in html
    assert not get_user(client).is_authenticated


def test_missing_fields_are_reported_per_field_in_french(client, association):
    response = client.post(LOGIN_URL, {"login": "", "password": ""})
    html = response.content.decode()
    assert html.count("Ce champ est obligatoire.") == 2
    assert 'id="id_login-erreurs"' in html and 'aria-invalid="true"' in html


def test_unverified_email_gets_the_verification_sent_page(client, association):
    user = UserFactory(email="nouveau@exemple.fr", email_verified=False)
    response = client.post(LOGIN_URL, {"login": user.email, "password": PASSWORD}, follow=True)
    html = response.content.decode()
    assert "account/verification_sent.html" in [t.name for t in response.templates]
    assert "Vérifiez votre adresse e-mail" in html
    assert not get_user(client).is_authenticated
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Maillage] Confirmez votre adresse e-mail"
    assert mail.outbox[0].to == [user.email]


def test_password_reset_sends_a_french_email_and_the_key_flow_works(client, association, adherent):
    response = client.post(reverse("account_reset_password"), {"email": "ADHERENT@exemple.fr"})
    assert response.status_code == 302
    done = client.get(response["Location"])
    assert "Nous vous avons envoyé un e-mail" in done.content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[Maillage] E-mail de réinitialisation de mot de passe"
    assert message.body.startswith("Bonjour,")
    assert "L'équipe de coordination de CPTS du Cœur d'Hérault" in message.body

    key_page = client.get(_link(str(message.body)), follow=True)
    html = key_page.content.decode()
    assert "Modifier le mot de passe" in html
    assert '<label class="form-label" for="id_password1">' in html
    form_url = key_page.redirect_chain[-1][0]

    weak = client.post(form_url, {"password1": "123", "password2": "123"})
    assert "Ce mot de passe est trop court." in weak.content.decode()

    new_password = "Nouveau-secret-2026"
    changed = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert changed.status_code == 302
    assert "Votre mot de passe a été modifié." in client.get(changed["Location"]).content.decode()

    client.logout()
    assert client.login(email=adherent.email, password=new_password)


def test_reset_of_an_unknown_address_does_not_offer_to_sign_up(client, association):
    client.post(reverse("account_reset_password"), {"email": "inconnu@exemple.fr"})
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Aucun compte n'existe avec cette adresse." in body
    assert "sur invitation de la coordination" in body
    assert "/comptes/signup/" not in body


def test_a_bad_reset_key_gives_a_french_page(client, association, adherent):
    response = client.get("/comptes/password/reset/key/zz-nimportequoi/", follow=True)
    assert response.status_code == 200
    assert "Mauvais jeton d'identification" in response.content.decode()


def test_signup_is_closed_with_a_french_explanation(client, association):
    response = client.get(reverse("account_signup"))
    html = response.content.decode()
    assert "account/signup_closed.html" in [t.name for t in response.templates]
    assert "Les comptes sont créés sur invitation de la coordination" in html

    client.post(
        reverse("account_signup"),
        {"email": "intrus@exemple.fr", "password1": "Secret-2026-x", "password2": "Secret-2026-x"},
    )
    assert not User.objects.filter(email="intrus@exemple.fr").exists()


def test_logout_asks_for_confirmation_and_logs_out(client, adherent):
    client.force_login(adherent)
    page = client.get(reverse("account_logout"))
    assert "Êtes-vous sûr(e) de vouloir vous déconnecter ?" in page.content.decode()
    client.post(reverse("account_logout"))
    assert not get_user(client).is_authenticated


@pytest.mark.parametrize(
    ("url_name", "title"),
    [
        ("account_change_password", "Modifier le mot de passe"),
        ("account_email", "Adresses e-mail"),
        ("mfa_index", "Authentification à deux facteurs"),
    ],
)
def test_account_pages_use_the_application_layout(client, adherent, url_name, title):
    client.force_login(adherent)
    response = client.get(reverse(url_name))
    html = response.content.decode()
    assert response.status_code == 200
    assert title in html
    assert 'aria-label="Navigation principale"' in html  # the navbar of base.html
    assert 'aria-label="Mon compte"' in html and 'aria-current="page"' in html


@pytest.mark.parametrize("url_name", ["account_change_password", "account_email", "mfa_index"])
def test_account_pages_send_anonymous_visitors_to_login(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_password_change_shows_french_errors_on_each_field(client, adherent):
    client.force_login(adherent)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "faux", "password1": "abc", "password2": "abd"},
    )
    html = response.content.decode()
    assert "Merci d&#x27;indiquer votre mot de passe actuel." in html
    assert 'id="id_oldpassword-erreurs"' in html
    assert "Ce mot de passe est trop court." in html
    assert "faux" not in html


def test_password_change_works(client, adherent):
    client.force_login(adherent)
    new_password = "Autre-secret-2026"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    adherent.refresh_from_db()
    assert adherent.check_password(new_password)


def test_email_page_lists_addresses_with_french_badges(client, adherent):
    client.force_login(adherent)
    html = client.get(reverse("account_email")).content.decode()
    assert "Vérifiée" in html and "Principale" in html
    assert 'class="form-check-input" type="radio"' in html
    response = client.post(reverse("account_email"), {"action_add": "", "email": "pas-une-adresse"})
    assert "Saisissez une adresse de courriel valide." in response.content.decode()
    assert EmailAddress.objects.filter(user=adherent).count() == 1


def test_login_page_offers_to_ask_for_membership(client):
    html = client.get(reverse("account_login")).content.decode()
    assert reverse("membership_request_create") in html


@pytest.mark.parametrize(
    ("url_name", "section"),
    [("member_list", "members"), ("territory", "association"), ("directory", "directory")],
)
def test_navbar_marks_the_current_section(client, coordinator, url_name, section):
    client.force_login(coordinator)
    response = client.get(reverse(url_name))
    assert response.context["nav_section"] == section
    assert 'class="nav-link dropdown-toggle active"' in response.content.decode() or (
        section == "directory" and 'active" aria-current="page"' in response.content.decode()
    )
