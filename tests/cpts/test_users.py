"""Users and roles page: list with search, hand-assigned roles, activation."""

from __future__ import annotations

from html import unescape

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cpts.models import RoleAssignment, User
from cpts.permissions import roles_of, user_can
from cpts.roles import Role
from cpts.services.accounts import create_account
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REFUSED = ["adherent", "referent", "tresorier", "president"]


def _text(response) -> str:
    return unescape(response.content.decode())


# --- Access ---


@pytest.mark.parametrize(
    ("url_name", "method", "with_pk"),
    [
        ("user_list", "get", False),
        ("user_roles", "get", True),
        ("user_roles", "post", True),
        ("user_toggle_active", "post", True),
    ],
)
def test_refused_personas(client, personas, adherent, url_name, method, with_pk):
    url = reverse(url_name, args=[adherent.pk] if with_pk else [])
    data = {"roles": [Role.PRESIDENT.value]}
    response = getattr(client, method)(url, data)
    assert response.status_code == 302 and response["Location"].startswith("/comptes/login/")
    for persona in REFUSED:
        client.force_login(personas[persona])
        assert getattr(client, method)(url, data).status_code == 403, persona
    adherent.refresh_from_db()
    assert adherent.is_active and not adherent.role_assignments.exists()


def test_toggle_is_post_only(client, coordinator, adherent):
    client.force_login(coordinator)
    assert client.get(reverse("user_toggle_active", args=[adherent.pk])).status_code == 405


def test_unknown_user_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("user_roles", args=[999999])).status_code == 404
    assert client.post(reverse("user_toggle_active", args=[999999])).status_code == 404


# --- List ---


def test_list_shows_accounts_roles_and_states(client, personas, association):
    coordinator = personas["coordinator"]
    inactive = create_account("parti@exemple.fr", PASSWORD)
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    client.force_login(coordinator)
    html = _text(client.get(reverse("user_list")))
    for persona in REFUSED:
        assert personas[persona].email in html
    assert inactive.email in html
    assert ">Coordination</span>" in html
    assert ">Président·e</span>" in html and ">Trésorier·e</span>" in html
    assert ">Référent·e de groupe</span>" in html
    assert ">Désactivé</span>" in html and ">Actif</span>" in html
    assert "rôles attribués manuellement" in html
    assert "Jamais" in html  # no login yet
    # No deactivation button for oneself.
    assert reverse("user_toggle_active", args=[coordinator.pk]) not in html
    assert reverse("user_toggle_active", args=[inactive.pk]) in html


def test_search_by_email_or_name(client, coordinator, association):
    UserFactory(email="marie.curie@exemple.fr", first_name="Marie", last_name="Curie")
    UserFactory(email="louis@exemple.fr", first_name="Louis", last_name="Pasteur")
    client.force_login(coordinator)
    by_name = _text(client.get(reverse("user_list"), {"q": "curie"}))
    assert "marie.curie@exemple.fr" in by_name and "louis@exemple.fr" not in by_name
    by_email = _text(client.get(reverse("user_list"), {"q": "LOUIS@"}))
    assert "louis@exemple.fr" in by_email and "marie.curie@exemple.fr" not in by_email
    both_words = _text(client.get(reverse("user_list"), {"q": "louis pasteur"}))
    assert "louis@exemple.fr" in both_words
    nothing = _text(client.get(reverse("user_list"), {"q": "zzz"}))
    assert "Aucun compte ne correspond à cette recherche." in nothing


def test_htmx_search_returns_the_table_only(client, coordinator, association):
    UserFactory(email="marie.curie@exemple.fr", last_name="Curie")
    client.force_login(coordinator)
    response = client.get(reverse("user_list"), {"q": "curie"}, headers={"HX-Request": "true"})
    html = _text(response)
    assert html.lstrip().startswith('<div id="tableau-utilisateurs"')
    assert "marie.curie@exemple.fr" in html and "<html" not in html


def test_list_queries_do_not_grow_with_rows(client, coordinator, association):
    client.force_login(coordinator)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("user_list")).status_code == 200
        return len(queries)

    UserFactory(roles=[Role.PRESIDENT])
    few = count_queries()
    for i in range(12):
        UserFactory(roles=[Role.REFERENT, Role.SECRETAIRE] if i % 2 else [Role.TRESORIER])
    assert count_queries() == few


def test_list_is_paginated(client, coordinator, association):
    for i in range(30):
        UserFactory(email=f"u{i:02d}@exemple.fr")
    client.force_login(coordinator)
    html = _text(client.get(reverse("user_list")))
    assert "31 comptes" in html and "Page 1 sur 2" in html
    assert _text(client.get(reverse("user_list"), {"page": "2"})).count("Rôles</a>") == 6
    assert client.get(reverse("user_list"), {"page": "n'importe"}).status_code == 200


# --- Roles ---


def test_roles_form_shows_current_roles(client, coordinator, tresorier):
    client.force_login(coordinator)
    html = _text(client.get(reverse("user_roles", args=[tresorier.pk])))
    assert "Rôles attribués manuellement" in html
    assert 'value="tresorier" id="id_roles_1" checked' in html
    assert 'value="president" id="id_roles_0">' in html
    assert 'value="coordinateur"' not in html and 'value="adherent"' not in html


def test_roles_are_replaced_and_audited(client, coordinator, tresorier):
    client.force_login(coordinator)
    response = client.post(
        reverse("user_roles", args=[tresorier.pk]),
        {"roles": [Role.PRESIDENT.value, Role.REFERENT.value]},
    )
    assert response.status_code == 302 and response["Location"] == reverse("user_list")
    fresh = User.objects.get(pk=tresorier.pk)
    assert roles_of(fresh) == {Role.ADHERENT, Role.PRESIDENT, Role.REFERENT}
    assert user_can(fresh, "association.manage") and not user_can(fresh, "finance.approve")
    entries = LogEntry.objects.get_for_model(RoleAssignment).filter(actor=coordinator)
    assert entries.filter(action=LogEntry.Action.CREATE).count() == 2
    assert entries.filter(action=LogEntry.Action.DELETE).count() == 1
    assert "Rôles de" in _text(client.get(response["Location"]))


def test_all_roles_can_be_removed(client, coordinator, president):
    client.force_login(coordinator)
    client.post(reverse("user_roles", args=[president.pk]), {})
    assert not RoleAssignment.objects.filter(user=president).exists()


@pytest.mark.parametrize("role", ["coordinateur", "adherent", "pirate"])
def test_roles_outside_the_list_are_refused(client, coordinator, adherent, role):
    client.force_login(coordinator)
    response = client.post(reverse("user_roles", args=[adherent.pk]), {"roles": [role]})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide." in _text(response)
    adherent.refresh_from_db()
    assert not adherent.is_staff and not adherent.role_assignments.exists()


# --- Activation ---


def test_deactivate_then_reactivate(client, coordinator, adherent):
    client.force_login(coordinator)
    url = reverse("user_toggle_active", args=[adherent.pk])
    response = client.post(url, {"next": reverse("user_list") + "?q=adherent"})
    assert response["Location"] == reverse("user_list") + "?q=adherent"
    adherent.refresh_from_db()
    assert not adherent.is_active
    assert "ne peut plus se connecter" in _text(client.get(response["Location"]))
    assert LogEntry.objects.get_for_object(adherent).filter(actor=coordinator).exists()

    other = client.__class__()
    login = other.post("/comptes/login/", {"login": adherent.email, "password": PASSWORD})
    assert not get_user(other).is_authenticated and login.status_code in {200, 302}

    client.post(url, {"next": "https://ailleurs.example/"})
    adherent.refresh_from_db()
    assert adherent.is_active


def test_deactivation_logs_out_an_open_session(client, coordinator, adherent):
    adherent_client = client.__class__()
    adherent_client.force_login(adherent)
    client.force_login(coordinator)
    client.post(reverse("user_toggle_active", args=[adherent.pk]))
    assert adherent_client.get(reverse("portal_home")).status_code == 302


def test_a_coordinator_cannot_deactivate_themself(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("user_toggle_active", args=[coordinator.pk]), follow=True)
    assert "Vous ne pouvez pas désactiver votre propre compte." in _text(response)
    coordinator.refresh_from_db()
    assert coordinator.is_active


def test_only_a_superuser_deactivates_a_superuser(client, coordinator):
    root = User.objects.create_superuser(email="root@exemple.fr", password=PASSWORD)
    client.force_login(coordinator)
    response = client.post(reverse("user_toggle_active", args=[root.pk]), follow=True)
    assert "Seul un super-utilisateur" in _text(response)
    root.refresh_from_db()
    assert root.is_active
