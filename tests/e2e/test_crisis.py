"""A crisis in a real browser: the coordinator updates the crisis plan and sends an alert to
the nurses; a nurse, on a phone (390 by 844), reads the alert from its emailed link, confirms
her reading and takes the last nurse's place of a shift from the portal; the roster then shows
the shift complete. Then the coordinator fixes a roster herself: she puts a GP without an
account on a gap past its deadline (the gap closes) and deletes a shift created by mistake."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cpts.models import Association, User
from crisis.models import AlertDelivery, DeliveryStatus, PlanVersion, Shift, SignUp
from crisis.services.plan import publish_version
from crisis.services.rosters import sign_up
from tests.crisis.helpers import activation, member, need_of, shift, site
from tests.crisis.test_plan import plan_values
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_plan_update_alert_and_a_nurse_filling_the_roster_from_her_phone(
    page: Any,
    browser: Any,
    live_server: Any,
    log_in: Callable[[User], None],
    association: Association,
    coordinator: User,
    adherent: User,
) -> None:
    referent = member("medecin_generaliste", first_name="Anne", last_name="Martin")
    publish_version(values=plan_values(referent), summary="Première rédaction", by=coordinator)
    nurse = member(
        "infirmier", first_name="Léa", last_name="Roux", email=adherent.email, user=adherent
    )
    colleague = member("infirmier", first_name="Paul", last_name="Vidal")
    member("medecin_generaliste", first_name="Marc", last_name="Blanc")
    crisis = activation(title="Épidémie de grippe de décembre")
    centre = site(crisis, name="Centre de vaccination de Lodève")
    start = timezone.localtime() + datetime.timedelta(days=3)
    start = start.replace(hour=9, minute=0, second=0, microsecond=0)
    slot = shift(centre, start, hours=4, needs=[("infirmier", 2)])
    sign_up(colleague, need_of(slot, "infirmier"))

    # The coordinator updates the plan: a new version, the earlier one kept.
    log_in(coordinator)
    page.goto(reverse("crisis_plan_edit"))
    page.get_by_label("Objet de la mise à jour").fill("Nouveau lieu de la cellule")
    page.get_by_label("Lieu de la cellule de crise").fill("Mairie de Lodève, salle du conseil")
    page.get_by_role("button", name="Enregistrer la nouvelle version").click()
    expect(
        page.get_by_role("alert").filter(has_text="La version 2 du plan de crise est enregistrée.")
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text("Mairie de Lodève, salle du conseil")
    assert list(PlanVersion.objects.values_list("number", flat=True)) == [2, 1]
    assert PlanVersion.objects.get(number=1).cell_place == "Maison de santé de Lodève, salle 2"

    # The coordinator alerts the nurses; the live count names how many will receive it.
    page.goto(reverse("alert_create"))
    page.get_by_label("Objet").fill("Renfort de vaccination")
    page.get_by_label("Message").fill("Le centre de Lodève cherche une infirmière jeudi matin.")
    page.get_by_label("Destinataires").select_option(label="Une profession")
    page.get_by_label("Profession", exact=True).select_option(label="Infirmier(ère)")
    expect(page.get_by_test_id("alert-preview")).to_have_text(
        re.compile("^2 destinataires recevront l'alerte")
    )
    page.get_by_role("button", name="Envoyer l'alerte").click()
    expect(page.get_by_role("alert").filter(has_text="part vers 2 destinataire(s)")).to_be_visible()
    deliveries = AlertDelivery.objects.filter(alert__subject="Renfort de vaccination")
    assert sorted(deliveries.values_list("member__last_name", flat=True)) == ["Roux", "Vidal"]
    assert set(deliveries.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    message = next(m for m in mail.outbox if m.to == [nurse.email])
    found = re.search(r"https?://[^/\s]+(/alerte/[^\s]+/)", str(message.body))
    assert found is not None
    read_link = found.group(1)

    # The nurse, on her phone: the alert's link, then the portal card, then one tap.
    phone = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport={"width": 390, "height": 844},
    )
    try:
        mobile = phone.new_page()
        mobile.goto(read_link)
        expect(mobile.locator("main")).to_contain_text("cherche une infirmière jeudi matin")
        mobile.get_by_role("button", name="Je confirme avoir lu ce message").click()
        expect(mobile.locator("main")).to_contain_text("Lecture confirmée")
        assert deliveries.get(member=nurse).read_at is not None

        mobile.goto(reverse("account_login"))
        mobile.locator("input[name=login]").fill(adherent.email)
        mobile.locator("input[name=password]").fill(PASSWORD)
        mobile.get_by_role("button", name="Se connecter").click()
        expect(mobile).to_have_url(re.compile(re.escape(reverse("portal_home")) + "$"))
        card = mobile.get_by_test_id("card-crisis-shifts")
        expect(card).to_contain_text("1 créneau ouvert vous attend.")
        card.get_by_role("link", name="M'inscrire, échanger ou me désister").click()
        offer = mobile.get_by_test_id("open-shift").filter(has_text="Centre de vaccination")
        offer.get_by_role("button", name="M'inscrire — Infirmier(ère) (1/2)").click()
        expect(mobile.get_by_role("alert").filter(has_text="Vous êtes inscrit(e)")).to_be_visible()
        expect(mobile.get_by_test_id("my-signup")).to_contain_text(
            "Centre de vaccination de Lodève"
        )
        assert SignUp.objects.filter(shift=slot).count() == 2
    finally:
        phone.close()

    # The coordinator's roster: the shift is complete, both nurses named.
    page.goto(reverse("crisis_roster", args=[crisis.pk]))
    expect(page.get_by_test_id("roster-totals")).to_contain_text("1 complet(s)")
    roster = page.get_by_test_id("roster-shift").filter(has_text="Centre de vaccination")
    expect(roster.get_by_text("Complet", exact=True)).to_be_visible()
    expect(roster.get_by_test_id("roster-signup")).to_have_count(2)
    expect(roster).to_contain_text("Léa ROUX")
    expect(roster).to_contain_text("Paul VIDAL")


def test_the_coordinator_fills_a_gap_herself_and_deletes_a_mistaken_shift(
    page: Any,
    live_server: Any,
    log_in: Callable[[User], None],
    association: Association,
    coordinator: User,
) -> None:
    # A GP without an account phoned in; the shift's sign-up deadline is already past.
    member("medecin_generaliste", first_name="Hélène", last_name="Garnier", user=None)
    member("medecin_generaliste", first_name="Marc", last_name="Blanc")
    member("infirmier", first_name="Paul", last_name="Vidal")
    crisis = activation(title="Épidémie de grippe de décembre")
    centre = site(crisis, name="Centre de vaccination de Lodève")
    start = timezone.localtime() + datetime.timedelta(days=1)
    start = start.replace(hour=14, minute=0, second=0, microsecond=0)
    slot = shift(
        centre,
        start,
        hours=4,
        needs=[("medecin_generaliste", 1)],
        changes_until=timezone.now() - datetime.timedelta(hours=1),
    )
    mistake = shift(centre, start + datetime.timedelta(days=1), needs=[("infirmier", 1)])

    log_in(coordinator)
    page.goto(reverse("crisis_roster", args=[crisis.pk]))
    expect(page.get_by_test_id("roster-totals")).to_contain_text("0 complet(s)")
    gap = page.locator(f"#creneau-{slot.pk}")
    expect(gap.get_by_test_id("shift-gap")).to_have_text("0 sur 1")
    gap.get_by_role("link", name="Inscrire un bénévole — Médecin généraliste").click()
    expect(page.get_by_test_id("need-summary")).to_contain_text("1 place à pourvoir")
    expect(page.locator("main")).to_contain_text("la coordination peut encore inscrire")
    expect(page.get_by_test_id("candidate")).to_have_count(2)  # the two GPs, not the nurse
    page.get_by_label("Chercher un membre (nom, prénom, e-mail, RPPS)").fill("garn")
    expect(page.get_by_test_id("candidate")).to_have_count(1)  # the list follows the typing
    candidate = page.get_by_test_id("candidate")
    expect(candidate).to_contain_text("Hélène GARNIER")
    expect(candidate).to_contain_text("sans compte")
    candidate.get_by_role("button", name="Inscrire Hélène GARNIER").click()

    expect(
        page.get_by_role("alert").filter(has_text="Hélène GARNIER est inscrit(e)")
    ).to_be_visible()
    filled = page.locator(f"#creneau-{slot.pk}")
    expect(filled.get_by_text("Complet", exact=True)).to_be_visible()
    expect(filled.get_by_test_id("roster-signup")).to_contain_text("Hélène GARNIER")
    expect(page.get_by_test_id("roster-totals")).to_contain_text("1 complet(s)")
    assert SignUp.objects.get(shift=slot).member.last_name == "Garnier"

    # The shift typed twice by mistake: confirmation page, then gone from the roster.
    page.locator(f"#creneau-{mistake.pk}").get_by_role("link", name="Supprimer").click()
    expect(page.get_by_test_id("delete-confirmation")).to_contain_text("Personne n'est inscrit")
    page.get_by_role("button", name="Supprimer définitivement le créneau").click()
    expect(page.get_by_role("alert").filter(has_text="est supprimé")).to_be_visible()
    expect(page.get_by_test_id("roster-shift")).to_have_count(1)
    assert not Shift.objects.filter(pk=mistake.pk).exists()

    # The filled shift cannot be deleted: the page says what to do instead.
    page.locator(f"#creneau-{slot.pk}").get_by_role("link", name="Supprimer").click()
    expect(page.get_by_test_id("delete-refusal")).to_contain_text(
        "Retirez d'abord les bénévoles inscrits depuis le planning"
    )
    expect(page.get_by_role("button", name="Supprimer définitivement le créneau")).to_have_count(0)
