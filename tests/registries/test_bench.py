"""The benchmark's registry data set (cpts/bench/registries.py) at a tiny scale: rows grow
with the scale, a second run adds nothing, and the declared pages answer."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cpts.bench import registries as bench
from cpts.bench.targets import PAGES
from members.models import Profession
from registries.models import (
    GpRequest,
    Installation,
    ProfessionalProfile,
    RequestStatus,
    SasParticipation,
    Trainee,
    UnplannedSlotOffer,
)
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny(monkeypatch: pytest.MonkeyPatch, association: Any) -> None:
    for name, value in {
        "REQUESTS_PER_SCALE": 30,
        "SAS_PER_SCALE": 6,
        "SLOT_MEMBERS_PER_SCALE": 2,
        "TRAINEES_PER_SCALE": 4,
        "INSTALLATIONS_PER_SCALE": 3,
        "WEEKS": 5,
    }.items():
        monkeypatch.setattr(bench, name, value)
    MemberFactory.create_batch(24)
    nurse = Profession.objects.get(code="infirmier")
    MemberFactory.create_batch(16, profession=nurse)


def _counts() -> tuple[int, ...]:
    return (
        GpRequest.objects.count(),
        SasParticipation.objects.count(),
        UnplannedSlotOffer.objects.count(),
        Trainee.objects.count(),
        Installation.objects.count(),
    )


def test_registry_rows_grow_with_the_scale_and_only_once(tiny):
    assert bench.seed_registries(1) == 30
    assert _counts() == (30, 6, 10, 4, 3)
    assert set(GpRequest.objects.values_list("status", flat=True)) == set(RequestStatus.values)
    assert ProfessionalProfile.objects.filter(accepts_new_patients=True).count() == 6
    assert ProfessionalProfile.objects.filter(internship_supervisor=True).count() == 2
    assert bench.seed_registries(2) == 60
    assert _counts() == (60, 12, 20, 8, 6)
    bench.seed_registries(2)
    assert _counts() == (60, 12, 20, 8, 6)


def test_the_declared_registry_pages_answer(tiny, coordinator, monkeypatch):
    monkeypatch.setattr(bench, "bench_scale", lambda: 1)
    mine = [page for page in PAGES if page.kwargs in (bench.grown_kwargs, bench.request_kwargs)]
    assert len(mine) == 12
    client = Client()
    client.force_login(coordinator)
    for page in mine:
        assert client.get(page.url()).status_code == 200, page.name


def test_the_portal_slots_page_is_benched_as_the_demo_adherent(tiny, monkeypatch):
    from cpts.models import User

    monkeypatch.setattr(bench, "bench_scale", lambda: 1)
    user = User.objects.create_user(email=bench.PORTAL_USER, password="x")
    member = MemberFactory.create(user=user, email=user.email)
    (page,) = [p for p in PAGES if p.kwargs is bench.portal_slot_kwargs]
    assert page.user == bench.PORTAL_USER
    client = Client()
    client.force_login(user)
    assert client.get(page.url()).status_code == 200
    declared = UnplannedSlotOffer.objects.filter(member=member).count()
    assert declared == bench.WEEKS + 8
    page.url()
    assert UnplannedSlotOffer.objects.filter(member=member).count() == declared
