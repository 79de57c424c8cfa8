"""The crisis pages end to end through the test client: plan update with errors named,
alert sent with its preview, the portal sign-up, and constant query counts at two sizes."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crisis.models import Alert, AlertDelivery, PlanVersion, SignUp
from crisis.services.rosters import sign_up
from tests.crisis.helpers import activation, member, need_of, shift, site
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _queries(client, url: str, headers: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200, url
    return len(captured)


def _plan_post(referent_pk: int, **overrides: str) -> dict[str, str]:
    return {
        "summary": "Mise à jour annuelle",
        "referent_sse": str(referent_pk),
        "cell_place": "Salle du conseil, mairie de Lodève",
        "contact_tree": "Référent ; Dr Martin ; 06 12 34 56 78",
        "section_injured": "a",
        "section_seasonal": "b",
        "section_emerging": "c",
        "section_nrbc": "d",
        "section_supply": "e",
        **overrides,
    }


def test_plan_form_names_the_wrong_row_then_writes_version_2(client, coordinator, association):
    referent = member("medecin_generaliste")
    client.force_login(coordinator)
    url = reverse("crisis_plan_edit")
    response = client.post(url, _plan_post(referent.pk))
    assert response.status_code == 302 and PlanVersion.objects.count() == 1
    response = client.post(url, _plan_post(referent.pk, contact_tree="Référent ; Dr Martin"))
    assert response.status_code == 400
    assert "Ligne 1 : écrivez « Rôle ; Nom ; Téléphone »" in response.content.decode()
    response = client.post(url, _plan_post(referent.pk))
    assert response.status_code == 400 and "Rien n&#x27;a changé" in response.content.decode()
    client.post(url, _plan_post(referent.pk, section_nrbc="Nouvelle conduite NRBC"))
    assert list(PlanVersion.objects.values_list("number", flat=True)) == [2, 1]
    page = client.get(reverse("crisis_plan")).content.decode()
    assert "Nouvelle conduite NRBC" in page and "Version 2" in page
    old = PlanVersion.objects.get(number=1)
    assert (
        "Version ancienne"
        in client.get(reverse("crisis_plan_version", args=[old.pk])).content.decode()
    )


def test_alert_preview_counts_and_send_refuses_an_empty_segment(client, coordinator, association):
    member("infirmier")
    member("infirmier", email="")
    client.force_login(coordinator)
    preview = client.get(
        reverse("alert_preview"),
        {"segment": "profession", "profession": member("infirmier").profession_id},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "2 destinataires recevront l'alerte" in preview and "1 membre sans adresse" in preview
    empty = client.get(reverse("alert_preview"), {"segment": "commune"}).content.decode()
    assert "Choisissez la commune." in empty
    from members.models import Profession

    orthoptist = Profession.objects.get(code="orthoptiste")
    response = client.post(
        reverse("alert_create"),
        {
            "subject": "Canicule",
            "body": "Texte",
            "segment": "profession",
            "profession": orthoptist.pk,
        },
    )
    assert response.status_code == 400
    assert "aucun membre actif" in response.content.decode()
    assert not Alert.objects.exists()
    response = client.post(
        reverse("alert_create"), {"subject": "Canicule", "body": "Texte", "segment": "everyone"}
    )
    alert = Alert.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "alert_detail", args=[alert.pk]
    )
    assert AlertDelivery.objects.filter(alert=alert).count() == 3


def test_an_adherent_signs_up_withdraws_and_is_refused_clearly(client, adherent, association):
    me = MemberFactory.create(user=adherent, email=adherent.email)  # a GP
    crisis = activation()
    where = site(crisis)
    start = timezone.now() + datetime.timedelta(days=3)
    first = shift(where, start, needs=[("medecin_generaliste", 1), ("infirmier", 1)])
    overlapping = shift(
        site(crisis, "Dépistage"),
        start + datetime.timedelta(hours=1),
        needs=[("medecin_generaliste", 1)],
    )
    client.force_login(adherent)
    page = client.get(reverse("portal_shifts")).content.decode()
    assert "M'inscrire — Médecin généraliste (0/1)" in page
    assert "Infirmier(ère) (0/1)" not in page  # not offered to a GP
    client.post(reverse("portal_shift_signup", args=[need_of(first, "medecin_generaliste").pk]))
    assert SignUp.objects.filter(member=me).count() == 1
    response = client.post(
        reverse("portal_shift_signup", args=[need_of(overlapping, "medecin_generaliste").pk]),
        follow=True,
    )
    assert "chevauche" in response.content.decode()
    response = client.post(
        reverse("portal_shift_signup", args=[need_of(first, "infirmier").pk]), follow=True
    )
    assert (
        "réservée à la profession « Infirmier(ère) »" in response.content.decode()
        or "déjà inscrit" in response.content.decode()
    )
    signup = SignUp.objects.get(member=me)
    client.post(reverse("portal_shift_withdraw", args=[signup.pk]))
    assert not SignUp.objects.filter(member=me).exists()
    cards = client.get(
        reverse("portal_crisis_cards"), headers={"HX-Request": "true"}
    ).content.decode()
    assert "2 créneaux ouverts vous attendent" in cards


def _grow(crisis, where, size: int) -> None:
    start = timezone.now() + datetime.timedelta(days=5)
    for index in range(size):
        created = shift(where, start + datetime.timedelta(hours=5 * index), hours=4)
        for code in ("infirmier", "infirmier", "medecin_generaliste"):
            sign_up(member(code), need_of(created, code), force=True)


@pytest.mark.parametrize("viewer", ["coordinator"])
def test_pages_keep_a_constant_number_of_queries(
    client, association, coordinator, adherent, viewer
):
    MemberFactory.create(user=adherent, email=adherent.email)
    crisis = activation()
    where = site(crisis)
    client.force_login(coordinator)
    _grow(crisis, where, 2)
    from crisis.selectors.alerts import SegmentChoice
    from crisis.services.alerts import send_alert

    alert = send_alert(
        subject="A", body="B", choice=SegmentChoice("everyone"), activation=crisis, by=coordinator
    )
    urls = [
        reverse("crisis_home"),
        reverse("crisis_roster", args=[crisis.pk]),
        reverse("crisis_roster", args=[crisis.pk]) + "?manques=1",
        reverse("activation_detail", args=[crisis.pk]),
        reverse("alert_list"),
        reverse("alert_detail", args=[alert.pk]),
    ]
    small = {url: _queries(client, url) for url in urls}
    _grow(crisis, where, 25)
    alert = send_alert(
        subject="C", body="D", choice=SegmentChoice("everyone"), activation=crisis, by=coordinator
    )
    urls[-1] = reverse("alert_detail", args=[alert.pk])
    large = {url: _queries(client, url) for url in urls}
    assert list(small.values()) == list(large.values()), (small, large)
    client.force_login(adherent)
    portal_small = _queries(client, reverse("portal_shifts"))
    _grow(crisis, where, 10)
    assert _queries(client, reverse("portal_shifts")) == portal_small


def test_the_portal_offers_only_shifts_with_a_place_left_for_the_member(
    client, adherent, association
):
    MemberFactory.create(user=adherent, email=adherent.email)  # a GP
    where = site(activation())
    start = timezone.now() + datetime.timedelta(days=3)
    full = shift(where, start, needs=[("medecin_generaliste", 1)])
    sign_up(member("medecin_generaliste"), need_of(full, "medecin_generaliste"))
    open_one = shift(where, start + datetime.timedelta(days=1), needs=[("medecin_generaliste", 2)])
    sign_up(member("medecin_generaliste"), need_of(open_one, "medecin_generaliste"))
    client.force_login(adherent)
    cards = client.get(
        reverse("portal_crisis_cards"), headers={"HX-Request": "true"}
    ).content.decode()
    assert "1 créneau ouvert vous attend." in cards
    page = client.get(reverse("portal_shifts")).content.decode()
    assert page.count('data-testid="open-shift"') == 1
    assert "M'inscrire — Médecin généraliste (1/2)" in page


def test_the_portal_says_where_and_until_when_and_pages_its_open_shifts(
    client, adherent, association
):
    from cpts.models import Commune

    MemberFactory.create(user=adherent, email=adherent.email)  # a GP
    where = site(activation())
    where.address = "Salle Georges Brassens"
    where.commune = Commune.objects.get(insee_code="34142")
    where.save()
    start = timezone.localtime() + datetime.timedelta(days=3)
    start = start.replace(hour=9, minute=0, second=0, microsecond=0)
    for index in range(31):
        shift(where, start + datetime.timedelta(hours=5 * index), needs=[(None, 1)])
    client.force_login(adherent)
    page = client.get(reverse("portal_shifts")).content.decode()
    assert page.count('data-testid="open-shift"') == 30
    assert "Salle Georges Brassens, Lodève" in page
    deadline = (start - datetime.timedelta(hours=12)).strftime("%d/%m/%Y %H:%M")
    assert f"Inscription et désistement jusqu'au {deadline}." in page
    second = client.get(reverse("portal_shifts") + "?page=2").content.decode()
    assert second.count('data-testid="open-shift"') == 1
    assert client.get(reverse("portal_shifts") + "?page=zz").status_code == 200


def test_the_crisis_home_pages_its_crises(client, coordinator, association):
    oldest = activation(title="Canicule de 2019", started_on=datetime.date(2019, 7, 1))
    for index in range(10):
        activation(title=f"Crise {index}", started_on=datetime.date(2024, 1, 1 + index))
    client.force_login(coordinator)
    first = client.get(reverse("crisis_home")).content.decode()
    assert first.count('data-testid="activation-row"') == 10 and oldest.title not in first
    second = client.get(reverse("crisis_home") + "?page=2").content.decode()
    assert oldest.title in second
    assert client.get(reverse("crisis_home") + "?page=x").status_code == 200


def test_the_shift_form_names_the_need_row_once(client, coordinator, association):
    where = site(activation())
    client.force_login(coordinator)
    start = timezone.localtime() + datetime.timedelta(days=2)
    data = {
        "starts_at": start.strftime("%Y-%m-%dT09:00"),
        "ends_at": start.strftime("%Y-%m-%dT13:00"),
        "changes_until": start.strftime("%Y-%m-%dT07:00"),
        "need_0_profession": str(member().profession_id),
        "need_0_count": "0",
    }
    response = client.post(reverse("shift_create", args=[where.pk]), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Besoin 1 : il faut au moins 1 personne." in page
    assert "indiquez combien de personnes" not in page
    response = client.post(reverse("shift_create", args=[where.pk]), {**data, "need_0_count": ""})
    assert "Besoin 1 : indiquez combien de personnes il faut." in response.content.decode()


def test_the_portal_says_when_an_open_shift_clashes_with_ones_own(client, adherent, association):
    me = MemberFactory.create(user=adherent, email=adherent.email)  # a GP
    crisis = activation()
    start = timezone.localtime() + datetime.timedelta(days=3)
    start = start.replace(hour=9, minute=0, second=0, microsecond=0)
    mine = shift(site(crisis), start, needs=[("medecin_generaliste", 1)])
    sign_up(me, need_of(mine, "medecin_generaliste"))
    hour = datetime.timedelta(hours=1)
    shift(site(crisis, "Dépistage de Gignac"), start + 2 * hour, needs=[(None, 1)])
    shift(site(crisis, "Point de retrait"), start + 4 * hour, needs=[(None, 1)])
    client.force_login(adherent)
    page = client.get(reverse("portal_shifts")).content.decode()
    offers = page.split("Créneaux ouverts pour vous")[1]
    clash = offers.split("Dépistage de Gignac")[1].split('data-testid="open-shift"')[0]
    assert (
        "Vous êtes déjà inscrit(e) à la même heure : Centre de vaccination de Lodève, "
        "09:00 → 13:00." in clash
    )
    assert "M&#x27;inscrire" not in clash and "M'inscrire" not in clash
    after = offers.split("Point de retrait")[1]
    assert "M'inscrire — Accueil (0/1)" in after
