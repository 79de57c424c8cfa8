"""The médecin traitant register in a real browser: the coordinator records a request (a
patient's name typed as the reference is refused first, with its French message), proposes it
to a doctor who has room, and records the acceptance; the request shows as accepted and the
doctor's remaining places go down by one."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cpts.models import Association, User
from registries.models import GpRequest, ProfessionalProfile, RequestStatus
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
