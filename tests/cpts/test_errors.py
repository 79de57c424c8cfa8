"""French error pages, rendered by the project's handlers."""

import pytest
from django.test import Client
from django.urls import path

from cpts.views import errors


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]
handler500 = "cpts.views.errors.server_error"


@pytest.mark.django_db
def test_unknown_page_is_a_french_404(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.django_db
def test_refused_page_is_a_french_403(client, adherent):
    client.force_login(adherent)
    response = client.get("/tableau-de-bord/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.cpts.test_errors")
def test_unexpected_error_is_a_french_500_without_details():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Erreur du serveur" in body
    assert "boom" not in body and "Traceback" not in body


def test_handlers_render_without_a_request_context():
    assert errors.bad_request(None).status_code == 400  # type: ignore[arg-type]
    assert "Requête invalide" in errors.bad_request(None).content.decode()  # type: ignore[arg-type]


@pytest.mark.django_db
def test_a_csrf_failure_is_explained_in_french():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/comptes/login/", {"login": "x@exemple.fr", "password": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Le formulaire n'a pas pu être vérifié" in body
    assert 'lang="fr"' in body and "Forbidden" not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/membres/?q=%00", "/association/territoire/?q=a%00b", "/utilisateurs/?x%00=1"]
)
def test_a_nul_character_in_a_query_is_a_french_400(client, coordinator, url):
    client.force_login(coordinator)
    response = client.get(url)
    assert response.status_code == 400
    assert "Requête invalide" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_character_in_a_posted_field_is_a_french_400(client, coordinator, association):
    client.force_login(coordinator)
    response = client.post("/association/territoire/ajouter/", {"codes": "34079\x00"})
    assert response.status_code == 400
