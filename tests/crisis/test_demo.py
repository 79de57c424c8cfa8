"""The crisis demo data: two plan versions and one past crisis recognised by the ARS with
sites, shifts, sign-ups and alerts; a second run creates nothing."""

from __future__ import annotations

import pytest

from cpts.services.demo import seed_demo
from crisis.demo import PAST_CRISIS_TITLE
from crisis.models import Activation, AlertDelivery, PlanVersion, Shift, SignUp
from crisis.selectors.activations import covered_years
from crisis.selectors.rosters import roster_totals
from tests.conftest import ensure_reference_data


@pytest.mark.django_db
def test_crisis_demo_is_complete_and_idempotent():
    ensure_reference_data()
    seed_demo()
    assert list(PlanVersion.objects.values_list("number", flat=True)) == [2, 1]
    crisis = Activation.objects.get(title=PAST_CRISIS_TITLE)
    assert crisis.ars_recognised and crisis.ended_on is not None
    assert [year.number for year in covered_years(crisis)] == [2]
    assert covered_years(crisis).get().crisis_recognised
    assert crisis.sites.count() == 2
    totals = roster_totals(crisis)
    assert totals.shifts == 8 and 0 < totals.filled < 8 and totals.gaps > 0
    assert crisis.alerts.count() == 2
    # A realistic roster: the reception and the GPs' places rotate between several people.
    signups = SignUp.objects.filter(shift__site__activation=crisis)
    reception = signups.filter(need__profession__isnull=True)
    assert reception.values("member").distinct().count() >= 4
    gps = signups.filter(need__profession__code="medecin_generaliste")
    assert gps.values("member").distinct().count() >= 4
    assert AlertDelivery.objects.filter(read_at__isnull=False).exists()
    counts = (PlanVersion.objects.count(), Shift.objects.count(), SignUp.objects.count())
    messages: list[str] = []
    seed_demo(messages.append)
    assert not [m for m in messages if "crise" in m.lower()]
    assert (PlanVersion.objects.count(), Shift.objects.count(), SignUp.objects.count()) == counts
