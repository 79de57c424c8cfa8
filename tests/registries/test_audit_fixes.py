"""Defects found checking the registries against the issue, each pinned by a test: column
labels of the simple registers on a phone, an absurd new-patients capacity, the message of a
SAS month entered twice, the indicators' breakdowns (per priority criterion) on the registers'
home matching the register."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from registries.models import ProfessionalProfile, SasMonthlyActivity, UnplannedSlotOffer
from tests.registries.helpers import communes, doctor, gp_request

pytestmark = pytest.mark.django_db


def test_simple_registers_label_each_cell_for_the_phone_layout(client, coordinator, association):
    member = doctor(last_name="Soignant")
    UnplannedSlotOffer.objects.create(member=member, week=date(2025, 3, 3), slots=4)
    client.force_login(coordinator)
    page = client.get(reverse("slot_offer_list")).content.decode()
    assert '<td data-label="Semaine du">03/03/2025</td>' in page
    assert '<td data-label="Créneaux">4</td>' in page


def test_a_new_patients_capacity_beyond_500_is_refused(client, coordinator, association):
    member = doctor(last_name="Soignant")
    client.force_login(coordinator)
    url = reverse("registry_profile_edit", kwargs={"member_pk": member.pk})
    response = client.post(url, {"accepts_new_patients": "on", "new_patients_capacity": "99999"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_new_patients_capacity_error"' in body
    assert "inférieure ou égale à 500" in body
    assert not ProfessionalProfile.objects.exists()
    saved = client.post(url, {"accepts_new_patients": "on", "new_patients_capacity": "500"})
    assert saved.status_code == 302
    assert ProfessionalProfile.objects.get().new_patients_capacity == 500


def test_a_sas_month_entered_twice_gets_a_french_message(client, coordinator, association):
    SasMonthlyActivity.objects.create(month=date(2025, 3, 1), requests_received=5)
    client.force_login(coordinator)
    response = client.post(
        reverse("sas_activity_create"),
        {
            "month": "03/2025",
            "requests_received": "10",
            "appointments_given": "8",
            "honoured": "7",
            "not_honoured": "1",
            "oriented_elsewhere": "2",
        },
    )
    body = response.content.decode()
    assert 'id="id_month_error"' in body
    assert "L&#x27;activité de ce mois est déjà enregistrée" in body
    assert "Un objet" not in body
    assert SasMonthlyActivity.objects.count() == 1


def test_the_registers_home_shows_the_breakdown_per_priority_criterion(
    client, coordinator, association
):
    here, _other = communes(association)
    year = timezone.localdate().year
    day = date(year, 1, 2)
    gp = doctor(here, capacity=5)
    gp_request(here, day, ald=True, aged_70=True)
    gp_request(here, day, ald=True)
    gp_request(here, day, c2s_ame=True, status="acceptee", closed_on=date(year, 1, 12), by=gp)
    gp_request(here, date(year - 1, 6, 1), ald=True)  # last year: not counted
    client.force_login(coordinator)
    page = client.get(reverse("registries_home")).content.decode()
    figures: dict[str, dict[str, str]] = {}
    current = ""
    for kind, row in re.findall(r'data-testid="registry-figure(-part)?">(.*?)</tr>', page, re.S):
        label, number = (re.sub(r"<[^>]+>", "", cell).strip() for cell in row.split("</t", 1))
        number = re.sub(r"<[^>]+>|^[dh]>", "", number).strip()
        if not kind:
            current = label
            figures[current] = {"": number}
        else:
            figures[current][label] = number
    received = figures["Demandes de médecin traitant reçues"]
    resolved = figures["Demandes de médecin traitant résolues"]
    assert received[""] == "3"
    assert received["Critère : ALD"] == "2"
    assert received["Critère : 70 ans et plus"] == "1"
    assert received["Critère : C2S / AME"] == "1"
    assert received["Origine : Liste de la CPAM"] == "3"
    assert (resolved[""], resolved["Critère : C2S / AME"], resolved["Critère : ALD"]) == (
        "1",
        "1",
        "0",
    )


def test_a_reference_used_twice_gets_a_french_message(client, coordinator, association):
    here, _other = communes(association)
    existing = gp_request(here, date(2025, 1, 2))
    client.force_login(coordinator)
    response = client.post(
        reverse("gp_request_create"),
        {
            "reference": existing.reference,
            "received_on": "03/01/2025",
            "origin": "cpam",
            "commune": here.pk,
            "age_band": "30-59",
        },
    )
    body = response.content.decode()
    assert 'id="id_reference_error"' in body
    assert "Cette référence est déjà celle d&#x27;une autre demande" in body
    assert "Un objet" not in body


def test_a_week_of_slots_entered_twice_gets_a_french_message(client, coordinator, association):
    member = doctor(last_name="Soignant")
    UnplannedSlotOffer.objects.create(member=member, week=date(2025, 3, 3), slots=4)
    client.force_login(coordinator)
    response = client.post(
        reverse("slot_offer_create"), {"member": member.pk, "week": "05/03/2025", "slots": "2"}
    )
    body = response.content.decode()
    assert "Ce professionnel a déjà des créneaux enregistrés pour cette semaine" in body
    assert "Un objet" not in body
    assert UnplannedSlotOffer.objects.get().slots == 4


def test_the_propose_buttons_stay_short_on_a_phone(client, coordinator, association):
    here, _other = communes(association)
    doctor(here, capacity=3, first_name="Anne", last_name="Soignant")
    request = gp_request(here, date(2025, 1, 2))
    client.force_login(coordinator)
    page = client.get(reverse("gp_request_detail", kwargs={"pk": request.pk})).content.decode()
    # One block per doctor on a phone, each cell labelled; the doctor's name is read out,
    # not printed again in the button.
    assert '<table class="table align-middle table-stack">' in page
    assert '<td class="text-end" data-label="Places restantes">3</td>' in page
    assert 'Proposer<span class="visually-hidden"> à Anne SOIGNANT</span></button>' in page


def test_the_supervisors_list_labels_each_cell_for_the_phone_layout(
    client, coordinator, association
):
    member = doctor(last_name="Soignant")
    ProfessionalProfile.objects.create(
        member=member, internship_supervisor=True, supervisor_since=date(2024, 9, 1)
    )
    client.force_login(coordinator)
    page = client.get(reverse("supervisor_list")).content.decode()
    assert '<td data-label="Depuis le">01/09/2024</td>' in page
    assert '<td data-label="Membre">' in page


def test_the_year_filter_of_span_registers_keeps_every_year_a_span_meets(
    client, coordinator, association
):
    from members.models import Profession
    from registries.models import SasParticipation, Trainee, TraineeLevel

    ongoing = doctor(last_name="Encours")
    ended = doctor(last_name="Termine")
    SasParticipation.objects.create(member=ongoing, start=date(2023, 5, 1))
    SasParticipation.objects.create(member=ended, start=date(2023, 5, 1), end=date(2024, 2, 1))
    Trainee.objects.create(
        first_name="Léa",
        profession=Profession.objects.get(code="medecin_generaliste"),
        level=TraineeLevel.INTERNE,
        host=ongoing,
        start=date(2024, 11, 1),
        end=date(2025, 4, 30),
    )
    client.force_login(coordinator)
    this_year = timezone.localdate().year
    url = reverse("sas_participation_list")
    page = client.get(url, {"annee": "2025"}).content.decode()
    assert "ENCOURS" in page and "TERMINE" not in page
    page = client.get(url, {"annee": "2024"}).content.decode()
    assert "ENCOURS" in page and "TERMINE" in page
    page = client.get(url).content.decode()
    for year in range(2023, this_year + 1):
        assert f'<option value="{year}"' in page, year
    trainees = reverse("trainee_list")
    assert "Léa" in client.get(trainees, {"annee": "2025"}).content.decode()
    assert "Léa" not in client.get(trainees, {"annee": "2026"}).content.decode()


def test_the_coordinator_keeps_a_withdrawn_week_at_zero_but_never_creates_one(
    client, coordinator, association
):
    member = doctor(last_name="Soignant")
    withdrawn = UnplannedSlotOffer.objects.create(member=member, week=date(2025, 3, 3), slots=0)
    client.force_login(coordinator)
    edit = reverse("slot_offer_edit", kwargs={"pk": withdrawn.pk})
    response = client.post(edit, {"member": member.pk, "week": "03/03/2025", "slots": "0"})
    assert response.status_code == 302
    response = client.post(
        reverse("slot_offer_create"), {"member": member.pk, "week": "10/03/2025", "slots": "0"}
    )
    assert "Indiquez au moins un créneau." in response.content.decode()
    assert UnplannedSlotOffer.objects.count() == 1
