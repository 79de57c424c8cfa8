"""The médecin traitant register: transitions and their refusals, the doctors who can take a
request (capacity left, commune first), the pages the coordination uses and the refusal of an
identity typed into the reference (nothing written)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from registries.models import GpRequest, ProfessionalProfile, RequestStatus
from registries.selectors import available_doctors, candidate_doctors
from registries.services import suggested_reference, transition_request
from tests.registries.helpers import communes, doctor, gp_request

pytestmark = pytest.mark.django_db


def test_a_request_goes_from_waiting_to_accepted(association):
    here, _other = communes(association)
    gp = doctor(here, capacity=2)
    today = timezone.localdate()
    request = gp_request(here, today - timedelta(days=12))
    proposed = transition_request(request, "propose", doctor=gp, on=today - timedelta(days=5))
    assert proposed.status == RequestStatus.PROPOSED
    assert proposed.proposed_to == gp
    accepted = transition_request(proposed, "accept", on=today - timedelta(days=2))
    assert accepted.status == RequestStatus.ACCEPTED
    assert accepted.doctor == gp
    assert accepted.closed_on == today - timedelta(days=2)
    assert accepted.waiting_days == 10


def test_a_declined_proposal_returns_to_waiting_and_can_close_without_solution(association):
    here, _other = communes(association)
    gp = doctor(here, capacity=1)
    request = gp_request(here, date(2025, 3, 1))
    transition_request(request, "propose", doctor=gp, on=date(2025, 3, 2))
    declined = transition_request(request, "decline", on=date(2025, 3, 4))
    assert declined.status == RequestStatus.WAITING
    assert declined.proposed_to is None
    closed = transition_request(request, "no_solution", on=date(2025, 4, 1))
    assert (closed.status, closed.doctor, closed.waiting_days) == (
        RequestStatus.NO_SOLUTION,
        None,
        31,
    )
    reopened = transition_request(request, "reopen", on=date(2025, 4, 2))
    assert (reopened.status, reopened.closed_on, reopened.waiting_days) == (
        RequestStatus.WAITING,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ("accept", "Impossible depuis le statut « En attente »"),
        ("decline", "Impossible depuis le statut"),
        ("reopen", "Impossible depuis le statut"),
        ("propose", "Choisissez le médecin"),
        ("fly", "Action inconnue"),
    ],
)
def test_transitions_that_do_not_apply_are_refused(association, action, message):
    here, _other = communes(association)
    request = gp_request(here, date(2025, 3, 1))
    with pytest.raises(ValidationError) as refused:
        transition_request(request, action, on=date(2025, 3, 2))
    assert message in " ".join(refused.value.messages)
    request.refresh_from_db()
    assert request.status == RequestStatus.WAITING


def test_a_date_before_the_request_or_in_the_future_is_refused(association):
    here, _other = communes(association)
    gp = doctor(here, capacity=1)
    request = gp_request(here, date(2025, 3, 10))
    with pytest.raises(ValidationError, match="ne peut pas précéder"):
        transition_request(request, "propose", doctor=gp, on=date(2025, 3, 9))
    with pytest.raises(ValidationError, match="futur"):
        transition_request(
            request, "propose", doctor=gp, on=timezone.localdate() + timedelta(days=1)
        )


def test_remaining_capacity_counts_requests_accepted_since_the_declaration(association):
    here, other = communes(association)
    full = doctor(here, capacity=2, since=date(2025, 1, 1), last_name="Plein")
    roomy = doctor(other, capacity=3, since=date(2025, 1, 1), last_name="Large")
    # Accepted before the declaration: does not count; two after it: the capacity is used up.
    gp_request(here, date(2024, 11, 1), status="acceptee", closed_on=date(2024, 12, 1), by=full)
    for day in (2, 3):
        gp_request(here, date(2025, 2, 1), status="acceptee", closed_on=date(2025, 2, day), by=full)
    gp_request(here, date(2025, 2, 1), status="acceptee", closed_on=date(2025, 2, 5), by=roomy)
    profiles: list[Any] = list(available_doctors())  # with the capacity annotations
    rows = {p.member.last_name: (p.accepted_count, p.remaining) for p in profiles}
    assert rows == {"Plein": (2, 0), "Large": (1, 2)}
    request = gp_request(here, date(2025, 3, 1))
    assert [p.member.last_name for p in candidate_doctors(request)] == ["Large"]


def test_a_capacity_without_a_declaration_date_counts_every_acceptance(association):
    here, _other = communes(association)
    undated = doctor(here, last_name="Sansdate")
    ProfessionalProfile.objects.create(
        member=undated, accepts_new_patients=True, new_patients_capacity=2
    )
    gp_request(here, date(2020, 1, 1), status="acceptee", closed_on=date(2020, 2, 1), by=undated)
    [profile] = list[Any](available_doctors())
    assert (profile.accepted_count, profile.remaining) == (1, 1)


def test_candidates_of_the_request_commune_come_first(association):
    here, other = communes(association)
    doctor(other, capacity=5, last_name="Ailleurs")
    doctor(other, capacity=1, site=here, last_name="Cabinet")  # practises here
    doctor(here, capacity=1, last_name="Voisin")
    away = doctor(here, capacity=4, last_name="Parti")
    away.status = "departed"
    away.departed_on = date(2025, 1, 1)
    away.save()
    ProfessionalProfile.objects.create(member=doctor(here, last_name="Complet"))  # not taking
    request = gp_request(here, date(2025, 3, 1))
    names = [p.member.last_name for p in candidate_doctors(request)]
    assert names[2] == "Ailleurs"
    assert sorted(names[:2]) == ["Cabinet", "Voisin"]
    assert "Parti" not in names and "Complet" not in names


def test_the_suggested_reference_is_the_next_free_one(association):
    here, _other = communes(association)
    assert suggested_reference(date(2026, 5, 1)) == "MT-2026-0001"
    GpRequest.objects.create(
        reference="MT-2026-0001", commune=here, origin="cpam", received_on=date(2026, 1, 2)
    )
    assert suggested_reference(date(2026, 5, 1)) == "MT-2026-0002"


def _form(commune_pk: int, **values: str) -> dict[str, str]:
    data = {
        "reference": "MT-2026-0100",
        "received_on": "02/03/2026",
        "origin": "pharmacie",
        "commune": str(commune_pk),
        "age_band": "75+",
        "ald": "on",
        "aged_70": "on",
    }
    data.update(values)
    return data


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("Jean DUPONT", "ressemble à un nom ou à un prénom"),
        ("1 85 05 78 006 084 91", "numéro de sécurité sociale"),
        ("06 12 34 56 78", "numéro de téléphone"),
        ("MT 12/03/1950", "date de naissance"),
    ],
)
def test_the_form_refuses_an_identity_in_the_reference(
    client, coordinator, association, reference, message
):
    here, _other = communes(association)
    client.force_login(coordinator)
    response = client.post(reverse("gp_request_create"), _form(here.pk, reference=reference))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not GpRequest.objects.exists()


def test_the_coordinator_records_proposes_and_closes_a_request(client, coordinator, association):
    here, _other = communes(association)
    gp = doctor(here, capacity=2, last_name="Soignant")
    client.force_login(coordinator)
    response = client.post(reverse("gp_request_create"), _form(here.pk))
    request = GpRequest.objects.get(reference="MT-2026-0100")
    assert response.url == reverse("gp_request_detail", args=[request.pk])
    assert request.ald and request.aged_70 and not request.precarity
    page = client.get(response.url).content.decode()
    assert "SOIGNANT" in page and 'data-testid="propose-button"' in page
    url = reverse("gp_request_transition", args=[request.pk])
    client.post(url, {"action": "propose", "doctor": gp.pk, "on": "2026-03-03"})
    client.post(url, {"action": "accept", "on": "2026-03-09"})
    request.refresh_from_db()
    assert (request.status, request.doctor, request.waiting_days) == ("acceptee", gp, 7)
    assert LogEntry.objects.get_for_object(request).count() == 3
    # A second acceptance is refused with a message, nothing changes.
    response = client.post(url, {"action": "accept", "on": "2026-03-10"}, follow=True)
    assert "Impossible depuis le statut « Acceptée »" in response.content.decode()


def test_a_future_request_date_is_refused(client, coordinator, association):
    here, _other = communes(association)
    client.force_login(coordinator)
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.post(reverse("gp_request_create"), _form(here.pk, received_on=tomorrow))
    assert "ne peut pas être dans le futur" in response.content.decode()
    assert not GpRequest.objects.exists()


def test_a_doctor_declares_availability_from_the_portal(client, adherent, association):
    from tests.factories import MemberFactory

    member = MemberFactory.create(user=adherent, email=adherent.email)
    client.force_login(adherent)
    url = reverse("portal_registry_profile")
    refused = client.post(url, {"accepts_new_patients": "on", "new_patients_capacity": "0"})
    assert "au moins 1" in refused.content.decode()
    assert not ProfessionalProfile.objects.exists()
    saved = client.post(
        url,
        {"accepts_new_patients": "on", "new_patients_capacity": "4", "internship_supervisor": "on"},
    )
    assert saved.status_code == 302, saved.content.decode()[-3000:]
    profile = ProfessionalProfile.objects.get(member=member)
    assert (profile.new_patients_capacity, profile.internship_supervisor) == (4, True)
    assert profile.capacity_since == timezone.localdate()
    card = client.get(reverse("portal_registry_card"), HTTP_HX_REQUEST="true").content.decode()
    assert "4 nouveaux patients" in card
