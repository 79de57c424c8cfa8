"""Users and roles page: list with search, roles derived from mandates (read-only), the
per-account "Rôles et mandats" page, activation."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cpts.models import User
from cpts.permissions import roles_of
from cpts.roles import Role
from cpts.services.accounts import create_account
from governance.models import Body, BodyKind, Mandate, MandateRole
from members.models.members import MemberStatus
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
        ("user_toggle_active", "post", True),
    ],
)
def test_refused_personas(client, personas, adherent, url_name, method, with_pk):
    url = reverse(url_name, args=[adherent.pk] if with_pk else [])
    response = getattr(client, method)(url)
    assert response.status_code == 302 and response["Location"].startswith("/comptes/login/")
    for persona in REFUSED:
        client.force_login(personas[persona])
        assert getattr(client, method)(url).status_code == 403, persona
    adherent.refresh_from_db()
    assert adherent.is_active


def test_roles_page_is_read_only(client, coordinator, adherent):
    client.force_login(coordinator)
    url = reverse("user_roles", args=[adherent.pk])
    assert client.post(url, {"roles": [Role.PRESIDENT.value]}).status_code == 405
    assert roles_of(User.objects.get(pk=adherent.pk)) == {Role.ADHERENT}


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
    assert ">Coordinateur·rice</span>" in html
    assert ">Président·e</span>" in html and ">Trésorier·e</span>" in html
    assert ">Référent·e de groupe</span>" in html
    assert ">Désactivé</span>" in html and ">Actif</span>" in html
    assert "attribués manuellement" not in html
    assert "Les rôles découlent des mandats en cours" in html
    assert ">Adhérent·e uniquement<" in html  # the adherent and the inactive account
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
    assert _text(client.get(reverse("user_list"), {"page": "2"})).count("Rôles et mandats</a>") == 6
    assert client.get(reverse("user_list"), {"page": "n'importe"}).status_code == 200


# --- Roles from mandates ---


def test_list_shows_mandate_roles_and_links_to_the_member_page(
    client, coordinator, tresorier, adherent, association
):
    client.force_login(coordinator)
    html = _text(client.get(reverse("user_list")))
    member_url = reverse("member_detail", args=[tresorier.member.pk])
    assert f'href="{member_url}"' in html
    row = html[html.index(tresorier.email) :]
    row = row[: row.index("</tr>")]
    assert ">Trésorier·e</span>" in row and "Fiche membre" in row
    adherent_row = html[html.index(adherent.email) :]
    adherent_row = adherent_row[: adherent_row.index("</tr>")]
    assert "Fiche membre" not in adherent_row and "Adhérent·e uniquement" in adherent_row


def test_a_role_leaves_the_list_when_its_mandate_has_ended(client, coordinator, tresorier):
    mandate = Mandate.objects.get(member__user=tresorier, body__kind=BodyKind.BUREAU)
    mandate.end_date = timezone.localdate() - datetime.timedelta(days=1)
    mandate.save()
    client.force_login(coordinator)
    html = _text(client.get(reverse("user_list")))
    row = html[html.index(tresorier.email) :]
    row = row[: row.index("</tr>")]
    assert "Trésorier·e" not in row and "Adhérent·e uniquement" in row


def test_roles_page_lists_running_mandates_and_the_role_each_grants(client, coordinator, tresorier):
    record = tresorier.member
    group = Body.objects.create(kind=BodyKind.GROUP, name="Parcours diabète")
    Mandate.objects.create(
        member=record,
        body=group,
        role=MandateRole.MEMBRE,
        start_date=datetime.date(2025, 3, 1),
        end_date=datetime.date(2099, 12, 31),
    )
    Mandate.objects.create(  # ended: not shown
        member=record,
        body=Body.objects.create(kind=BodyKind.GROUP, name="Ancien groupe"),
        role=MandateRole.REFERENT,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    client.force_login(coordinator)
    response = client.get(reverse("user_roles", args=[tresorier.pk]))
    html = _text(response)
    assert response.status_code == 200
    assert "Rôles et mandats" in html and tresorier.email in html
    assert ">Trésorier·e</span>" in html
    assert "Bureau" in html and "01/01/2020" in html and "Sans date de fin" in html
    assert "Parcours diabète" in html and "01/03/2025" in html and "31/12/2099" in html
    assert "Aucun rôle au-delà d'adhérent·e" in html  # a plain group member
    assert "Ancien groupe" not in html
    assert f'href="{reverse("member_detail", args=[record.pk])}"' in html


def test_roles_page_of_an_account_without_member_record(client, coordinator, adherent):
    client.force_login(coordinator)
    html = _text(client.get(reverse("user_roles", args=[adherent.pk])))
    assert "Aucun mandat en cours." in html
    assert "n'est relié à aucune fiche membre" in html
    assert "Adhérent·e uniquement" in html


def test_roles_page_shows_the_coordination_flag(client, coordinator):
    client.force_login(coordinator)
    html = _text(client.get(reverse("user_roles", args=[coordinator.pk])))
    assert ">Coordinateur·rice</span>" in html


def test_a_departed_member_s_mandates_grant_no_role(client, coordinator, president):
    record = president.member
    record.status = MemberStatus.DEPARTED
    record.departed_on = timezone.localdate()
    record.save()
    client.force_login(coordinator)
    html = _text(client.get(reverse("user_roles", args=[president.pk])))
    assert "Président·e</span>" not in html and "Aucun rôle au-delà d'adhérent·e" in html


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
