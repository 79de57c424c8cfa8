"""The registries' demo data: every register filled over the last two years, consistent with
the rules (capacities respected, territory communes, first names only), feeding the
indicators; a second run creates nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db.models import Count, Max, Min
from django.utils import timezone

from cpts.indicator_registry import as_breakdown, registered_indicators
from cpts.models import Association
from cpts.services.demo import seed_demo
from registries.demo import TRAINEE_FIRST_NAMES
from registries.models import (
    PRIORITY_CRITERIA,
    GpRequest,
    Installation,
    Mentorship,
    ProfessionalProfile,
    RequestStatus,
    SasMonthlyActivity,
    SasParticipation,
    Trainee,
    UnplannedSlotOffer,
)
from registries.selectors import available_doctors
from tests.conftest import ensure_reference_data


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            ProfessionalProfile,
            GpRequest,
            SasParticipation,
            SasMonthlyActivity,
            UnplannedSlotOffer,
            Trainee,
            Installation,
            Mentorship,
        )
    )


@pytest.mark.django_db
def test_registries_demo_is_complete_consistent_and_idempotent():
    ensure_reference_data()
    seed_demo()
    today = timezone.localdate()
    two_years_ago = today - datetime.timedelta(days=731)

    requests = GpRequest.objects.all()
    statuses = dict(requests.values_list("status").annotate(n=Count("pk")))
    assert set(statuses) == set(RequestStatus.values), statuses
    span = requests.aggregate(first=Min("received_on"), last=Max("received_on"))
    assert two_years_ago <= span["first"] <= today - datetime.timedelta(days=600)
    assert span["last"] >= today - datetime.timedelta(days=30)
    for name, _label in PRIORITY_CRITERIA:
        assert requests.filter(**{name: True}).exists(), name
    territory = set(Association.objects.get_solo().communes.values_list("pk", flat=True))
    assert set(requests.values_list("commune_id", flat=True)) <= territory
    assert len(set(requests.values_list("commune_id", flat=True))) > 1
    assert not requests.filter(reference__regex=r"[a-z]").exists()  # MT-2025-0001 style

    # No doctor accepted more than the capacity declared; some still have room.
    taking: list[Any] = list(available_doctors())  # with the capacity annotations
    assert taking and all(p.accepted_count <= p.new_patients_capacity for p in taking)
    assert any(p.remaining > 0 for p in taking)
    assert ProfessionalProfile.objects.filter(internship_supervisor=True).count() >= 10

    months = SasMonthlyActivity.objects.order_by("month")
    assert months.count() >= 12
    latest = months.last()
    assert latest is not None and latest.month <= today
    assert SasParticipation.objects.filter(end__isnull=True).count() >= 10
    assert UnplannedSlotOffer.objects.count() >= 200
    # The demo adherent has declared her past weeks from the portal, not yet this one.
    monday = today - datetime.timedelta(days=today.weekday())
    own = UnplannedSlotOffer.objects.filter(member__user__email="adherent@cpts-demo.fr")
    assert own.count() >= 4 and not own.filter(week__gte=monday).exists()

    trainees = Trainee.objects.all()
    assert trainees.count() >= 10
    names = set(trainees.values_list("first_name", flat=True))
    assert names <= {"", *TRAINEE_FIRST_NAMES}
    assert all(" " not in name for name in names)  # a first name, nothing else
    hosts = set(trainees.values_list("host_id", flat=True))
    supervisors = ProfessionalProfile.objects.filter(internship_supervisor=True)
    assert hosts <= set(supervisors.values_list("member_id", flat=True))
    assert Installation.objects.count() >= 5 and Mentorship.objects.count() >= 3

    # The indicators of the last twelve months read these rows.
    start = today - datetime.timedelta(days=365)
    registry = registered_indicators()
    for code in (
        "gp_requests",
        "gp_requests_resolved",
        "gp_waiting_median_days",
        "sas_doctors",
        "sas_appointments",
        "sas_honoured_rate",
        "unplanned_slots",
        "trainees_hosted",
        "internship_supervisors",
        "installations_supported",
    ):
        assert as_breakdown(registry[code].function(start, today))[""] > 0, code

    counts = _counts()
    messages: list[str] = []
    seed_demo(messages.append)
    assert not [m for m in messages if m.startswith("Registres")]
    assert _counts() == counts
