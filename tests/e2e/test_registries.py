"""The médecin traitant register in a real browser: the coordinator records a request (a
patient's name typed as the reference is refused first, with its French message), proposes it
to a doctor who has room, and records the acceptance; the request shows as accepted and the
doctor's remaining places go down by one. On a phone, the demo adherent declares her
unplanned-care slots of the week from the portal, then withdraws them."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cpts.models import Association, User
from cpts.services.demo import DEMO_PASSWORD
from registries.models import GpRequest, ProfessionalProfile, RequestStatus, UnplannedSlotOffer
from tests.conftest import ensure_reference_data
from tests.factories import MemberFactory

pytestmark = pytest.mark.browser


def test_coordinator_creates_proposes_and_accepts_a_request(
    page: Any, log_in: Callable[[User], None], association: Association, coordinator: User
) -> None:
    commune = association.communes.order_by("name").first()
    assert commune is not None
    gp = MemberFactory.create(first_name="Anne", last_name="Soignant", commune=commune)
    ProfessionalProfile.objects.create(
        member=gp, accepts_new_patients=True, new_patients_capacity=3
    )
    log_in(coordinator)

    page.goto(reverse("gp_request_create"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("demande")
    page.get_by_label("Référence").fill("Jean Dupont")
    page.get_by_label("Commune").select_option(str(commune.pk))
    page.get_by_label("Origine").select_option("pharmacie")
    page.get_by_label("Tranche d'âge").select_option("75+")
    page.get_by_label("ALD", exact=True).check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#id_reference_error")).to_contain_text(
        "« Jean » ressemble à un nom ou à un prénom : la référence doit être pseudonyme "
        "(ex. MT-2026-0042), jamais le nom du patient."
    )
    assert not GpRequest.objects.exists()

    page.get_by_label("Référence").fill("MT-2026-0042")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Demande MT-2026-0042")
    expect(page.get_by_test_id("request-status")).to_have_text("En attente")
    candidate = page.get_by_test_id("candidate-row").filter(has_text="Anne SOIGNANT")
    expect(candidate.locator("td").nth(2)).to_have_text("3")

    candidate.get_by_role("button", name="Proposer à Anne SOIGNANT").click()
    expect(page.get_by_test_id("request-status")).to_have_text("Proposée à un médecin")
    expect(page.get_by_test_id("proposed-to")).to_contain_text("Anne SOIGNANT")

    page.get_by_role("button", name="Le médecin accepte").click()
    expect(page.get_by_test_id("request-status")).to_have_text("Acceptée")
    expect(page.get_by_test_id("accepted-by")).to_have_text("Anne SOIGNANT")
    expect(page.get_by_text(re.compile(r"— 0 jours? d'attente"))).to_be_visible()
    request = GpRequest.objects.get(reference="MT-2026-0042")
    assert (request.status, request.doctor, request.ald) == (RequestStatus.ACCEPTED, gp, True)

    page.goto(reverse("gp_doctor_list"))
    row = page.get_by_test_id("doctor-row").filter(has_text="Anne SOIGNANT")
    expect(row.locator("td").nth(3)).to_have_text("1")
    expect(row.locator("td").nth(4)).to_have_text("2")
    page.goto(reverse("gp_request_list") + "?statut=acceptee")
    expect(page.get_by_test_id("request-row")).to_have_count(1)
    expect(page.get_by_test_id("request-row")).to_contain_text(re.compile("MT-2026-0042"))


DEMO_ADHERENT = "adherent@cpts-demo.fr"


@pytest.mark.django_db(transaction=True)
def test_the_demo_adherent_declares_her_slots_on_a_phone(page: Any) -> None:
    ensure_reference_data()  # an earlier browser test's flush emptied the professions
    call_command("seed_demo", stdout=StringIO())
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    mine = UnplannedSlotOffer.objects.filter(member__user__email=DEMO_ADHERENT)
    before = mine.count()
    assert before and not mine.filter(week=monday).exists()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("account_login"))
    page.locator("input[name=login]").fill(DEMO_ADHERENT)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    card = page.get_by_test_id("card-slots")
    expect(card).to_contain_text(f"Cette semaine ({monday:%d/%m/%Y}) : non déclarés")
    card.get_by_role("link", name="Déclarer mes créneaux").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mes créneaux de soins non programmés"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    form = page.get_by_test_id("slot-form")
    expect(form.get_by_label("Semaine du")).to_have_value(monday.isoformat())
    # A week beyond the correction window is refused, in French, nothing written.
    form.get_by_label("Semaine du").fill((monday - datetime.timedelta(weeks=5)).isoformat())
    form.get_by_label("Créneaux de soins non programmés proposés").fill("4")
    form.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#id_week_error")).to_contain_text("est trop ancienne")
    assert mine.count() == before

    form = page.get_by_test_id("slot-form")
    form.get_by_label("Semaine du").fill(monday.isoformat())
    form.get_by_label("Créneaux de soins non programmés proposés").fill("4")
    form.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert").filter(has_text="4 créneau(x) déclaré(s)")).to_be_visible()
    row = page.locator(f"#semaine-{monday:%Y-%m-%d}")
    expect(row.get_by_test_id("slot-count")).to_have_text("4")
    assert mine.get(week=monday).slots == 4

    # Updating the week keeps one row; 0 withdraws the offer.
    row.get_by_role("link", name=f"Modifier la semaine du {monday:%d/%m/%Y}").click()
    form = page.get_by_test_id("slot-form")
    expect(form.get_by_label("Créneaux de soins non programmés proposés")).to_have_value("4")
    form.get_by_label("Créneaux de soins non programmés proposés").fill("0")
    form.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(f"#semaine-{monday:%Y-%m-%d}").get_by_test_id("slot-count")).to_have_text(
        "0"
    )
    assert mine.count() == before + 1 and mine.get(week=monday).slots == 0
    page.goto(reverse("portal_home"))
    expect(page.get_by_test_id("card-slots")).to_contain_text("0 créneau")
