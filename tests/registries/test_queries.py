"""Every page of the registries runs the same number of SQL queries with a handful of rows in
each register and with more than a page of them (the lists are paginated by 25)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Profession
from registries.models import (
    GpRequest,
    Installation,
    Mentorship,
    ProfessionalProfile,
    SasMonthlyActivity,
    SasParticipation,
    Trainee,
    UnplannedSlotOffer,
)
from registries.views.registers import REGISTERS
from tests.registries.helpers import communes, doctor, gp_request

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 40
STATUSES = ("attente", "proposee", "acceptee", "sans_solution")


def grow(association: Any, start: int, count: int) -> None:
    """``count`` more rows in every register (rows numbered from ``start``)."""
    here, other = communes(association)
    nurse = Profession.objects.get(code="infirmier")
    for index in range(start, start + count):
        commune = here if index % 2 else other
        gp = doctor(commune, capacity=3, site=other, last_name=f"Médecin{index:03d}")
        newcomer = doctor(commune, last_name=f"Nouveau{index:03d}")
        ProfessionalProfile.objects.create(
            member=newcomer, internship_supervisor=True, supervisor_since=date(2024, 1, 1)
        )
        status = STATUSES[index % 4]
        received = date(2025, 1, 1) + timedelta(days=index)
        closed = received + timedelta(days=9) if status in ("acceptee", "sans_solution") else None
        proposer = gp if status in ("proposee", "acceptee") else None
        gp_request(commune, received, status=status, closed_on=closed, by=proposer, ald=True)
        SasParticipation.objects.create(member=gp, start=date(2024, 1, 1) + timedelta(days=index))
        SasMonthlyActivity.objects.create(
            month=date(2020 + index // 12, index % 12 + 1, 1),
            requests_received=10,
            appointments_given=8,
            honoured=6,
            not_honoured=1,
            oriented_elsewhere=2,
        )
        UnplannedSlotOffer.objects.create(
            member=gp, week=date(2025, 1, 6) + timedelta(weeks=index), slots=4
        )
        Trainee.objects.create(
            first_name="Léa",
            profession=nurse,
            level="paramedical",
            host=newcomer,
            start=date(2025, 1, 1) + timedelta(days=index),
            end=date(2025, 3, 1) + timedelta(days=index),
        )
        Installation.objects.create(
            professional=newcomer,
            installed_on=date(2025, 2, 1) + timedelta(days=index),
            commune=commune,
            help_premises=True,
        )
        Mentorship.objects.create(
            mentor=gp, newcomer=newcomer, start=date(2025, 2, 1), hours=Decimal("2.5")
        )


def urls(association: Any) -> list[str]:
    here, _other = communes(association)
    request = GpRequest.objects.filter(status="attente").order_by("pk").first()
    assert request is not None
    pages = [
        reverse("registries_home"),
        reverse("gp_request_list"),
        reverse("gp_request_list") + "?statut=acceptee&critere=ald&annee=2025&q=MT",
        reverse("gp_request_list") + "?page=2",
        reverse("gp_request_detail", args=[request.pk]),
        reverse("gp_doctor_list"),
        reverse("gp_doctor_list") + f"?commune={here.pk}",
        reverse("supervisor_list"),
        reverse("supervisor_list") + "?q=nouveau",
        reverse("registry_profile_pick") + "?q=m",
    ]
    for register in REGISTERS:
        pages += [
            reverse(f"{register.key}_list"),
            reverse(f"{register.key}_list") + "?annee=2025&q=e",
        ]
    return pages


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_every_registry_page_runs_a_constant_number_of_queries(
    client, association, coordinator, django_assert_max_num_queries
):
    client.force_login(coordinator)
    grow(association, 0, SMALL)
    small = {url: _count(client, url) for url in urls(association)}
    grow(association, SMALL, LARGE)
    assert GpRequest.objects.count() == SMALL + LARGE
    for url in urls(association):
        with django_assert_max_num_queries(small[url], info=url):
            response = client.get(url)
        assert response.status_code == 200
    # A full page is shown at the larger size: the rows were really read.
    page = client.get(reverse("gp_request_list")).content.decode()
    assert page.count('data-testid="request-row"') == 25
    for register in REGISTERS:
        page = client.get(reverse(f"{register.key}_list")).content.decode()
        assert page.count('data-testid="register-row"') == 25, register.key


def test_the_portal_card_and_form_are_constant(
    client, association, adherent, django_assert_max_num_queries
):
    from tests.factories import MemberFactory

    member = MemberFactory.create(user=adherent, email=adherent.email)
    ProfessionalProfile.objects.create(
        member=member, accepts_new_patients=True, new_patients_capacity=30
    )
    client.force_login(adherent)
    card = reverse("portal_registry_card")
    form = reverse("portal_registry_profile")
    here, _other = communes(association)
    gp_request(here, date(2025, 1, 2), status="acceptee", closed_on=date(2025, 1, 3), by=member)
    small = {url: _count(client, url) for url in (card, form)}
    for day in range(2, 28):
        gp_request(
            here, date(2025, 1, day), status="acceptee", closed_on=date(2025, 2, day), by=member
        )
    for url in (card, form):
        with django_assert_max_num_queries(small[url], info=url):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "?page=abc",
        "?page=999999",
        "?annee=deux-mille&statut=inconnu&critere=rien&origine=ailleurs",
        "?commune=abc&q=" + "x" * 500,
        "?commune=999999999999999999999",
    ],
)
def test_bad_query_strings_never_break_a_list(client, association, coordinator, query):
    client.force_login(coordinator)
    grow(association, 0, 2)
    for url in urls(association):
        response = client.get(url.split("?")[0] + query)
        assert response.status_code == 200, (url, query)
