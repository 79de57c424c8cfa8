"""Two-factor authentication: the allauth MFA pages in French, TOTP activation and login with
a code, and the middleware that makes TOTP mandatory for the coordination team."""

from __future__ import annotations

import time
from html import unescape

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth import get_user
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
MFA_MESSAGE = "La double authentification est obligatoire pour l'équipe de coordination"


def _current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _text(response) -> str:
    return unescape(response.content.decode())


def _login(client, user) -> None:
    response = client.post("/comptes/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def _open_totp_activation(client):
    """allauth asks for the password again before adding an authenticator."""
    first = client.get(reverse("mfa_activate_totp"))
    assert first.status_code == 302
    assert first["Location"].startswith(reverse("account_reauthenticate"))
    confirm = client.get(first["Location"])
    assert "Confirmer l'accès" in _text(confirm)
    back = client.post(first["Location"], {"password": PASSWORD})
    assert back.status_code == 302
    page = client.get(back["Location"])
    assert page.status_code == 200
    return confirm, page


@pytest.fixture
def mfa_required(settings):
    settings.MAILLAGE_MFA_REQUIRED_FOR_COORDINATOR = True


# --- allauth MFA pages ---


def test_totp_activation_page_is_french_and_activates(client, adherent, association):
    _login(client, adherent)
    _, page = _open_totp_activation(client)
    html = _text(page)
    assert "Activer l'application d'authentification" in html
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code
    assert '<label class="form-label" for="authenticator_secret">' in html
    assert '<label class="form-label" for="id_code">Code de l\'authentificateur</label>' in html

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert "Code incorrect." in _text(wrong)
    assert not Authenticator.objects.filter(user=adherent).exists()

    secret = page.context["form"].secret
    done = client.post(reverse("mfa_activate_totp"), {"code": _current_code(secret)})
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=adherent, type=Authenticator.Type.TOTP).exists()
    # Recovery codes are generated with the first authenticator.
    codes = client.get(done["Location"])
    assert "Codes inutilisés" in _text(codes)


def test_login_with_totp_asks_for_the_code_in_french(client, adherent, association):
    TOTP.activate(adherent, SECRET)
    response = client.post("/comptes/login/", {"login": adherent.email, "password": PASSWORD})
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = _text(page)
    assert "Authentification à deux facteurs" in html
    assert '<label class="form-label" for="id_code">' in html
    assert not get_user(client).is_authenticated

    done = client.post(response["Location"], {"code": _current_code(SECRET)})
    assert done.status_code == 302
    assert get_user(client).pk == adherent.pk


def test_mfa_index_offers_totp_to_every_logged_in_person(client, adherent):
    client.force_login(adherent)
    html = _text(client.get(reverse("mfa_index")))
    assert "Aucune application d'authentification active." in html
    assert reverse("mfa_activate_totp") in html


# --- Middleware: TOTP required for the coordination team ---


def test_setting_off_lets_a_coordinator_without_totp_in(client, coordinator, association):
    client.force_login(coordinator)
    assert client.get(reverse("backoffice_home")).status_code == 200


def test_coordinator_without_totp_is_sent_to_activation(
    client, coordinator, association, mfa_required
):
    client.force_login(coordinator)
    response = client.get(reverse("backoffice_home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert any(MFA_MESSAGE in str(m) for m in get_messages(response.wsgi_request))


def test_every_page_outside_accounts_is_blocked(client, coordinator, association, mfa_required):
    client.force_login(coordinator)
    for url in [reverse("invitation_list"), reverse("user_list"), reverse("home"), "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp"), url
    post = client.post(reverse("invitation_create"), {"email": "x@exemple.fr", "role": "adherent"})
    assert post["Location"] == reverse("mfa_activate_totp")


def test_account_pages_and_static_stay_reachable(client, coordinator, association, mfa_required):
    client.force_login(coordinator)
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("account_change_password")).status_code == 200
    # Not redirected to the activation page (the file does not exist in tests: 404).
    assert client.get("/static/introuvable.css").status_code == 404
    client.post(reverse("account_logout"))
    assert not get_user(client).is_authenticated


def test_htmx_request_gets_an_hx_redirect(client, coordinator, association, mfa_required):
    client.force_login(coordinator)
    response = client.get(reverse("user_list"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("mfa_activate_totp")
    assert "Location" not in response


def test_coordinator_with_totp_goes_through(client, coordinator, association, mfa_required):
    TOTP.activate(coordinator, SECRET)
    client.force_login(coordinator)
    assert client.get(reverse("backoffice_home")).status_code == 200
    assert client.get(reverse("user_list"), headers={"HX-Request": "true"}).status_code == 200


def test_a_recovery_code_authenticator_alone_is_not_enough(
    client, coordinator, association, mfa_required
):
    Authenticator.objects.create(
        user=coordinator, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"}
    )
    client.force_login(coordinator)
    assert client.get(reverse("backoffice_home")).status_code == 302


@pytest.mark.parametrize("persona", ["adherent", "referent", "tresorier", "president"])
def test_other_personas_are_not_forced(client, personas, association, mfa_required, persona):
    client.force_login(personas[persona])
    response = client.get(reverse("home"))
    assert response["Location"] != reverse("mfa_activate_totp")
    follow = client.get(response["Location"])
    assert follow.status_code == 200


def test_anonymous_visitors_are_not_affected(client, association, mfa_required):
    response = client.get(reverse("backoffice_home"))
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/")


def test_full_journey_login_activate_then_work(client, coordinator, association, mfa_required):
    _login(client, coordinator)
    assert client.get(reverse("backoffice_home"))["Location"] == reverse("mfa_activate_totp")
    confirm, page = _open_totp_activation(client)
    assert MFA_MESSAGE in _text(confirm)  # shown on the next page, the password check
    secret = page.context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": _current_code(secret)})
    assert client.get(reverse("backoffice_home")).status_code == 200
