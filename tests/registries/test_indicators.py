"""The registries' computed indicators against hand counts, over the first quarter of 2025
(01/01/2025 → 31/03/2025, both days included): every fixture row sits on a boundary (the day
before, the first day, the last day, the day after) so an off-by-one in any direction fails."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cpts.indicator_registry import as_breakdown, registered_indicators
from members.models import Profession
from registries import indicators  # noqa: F401  (registers the computations)
from registries.models import (
    Installation,
    ProfessionalProfile,
    SasMonthlyActivity,
    SasParticipation,
    Trainee,
    UnplannedSlotOffer,
)
from registries.services import transition_request
from tests.factories import MemberFactory
from tests.registries.helpers import communes, doctor, gp_request

pytestmark = pytest.mark.django_db

START, END = date(2025, 1, 1), date(2025, 3, 31)
BEFORE, AFTER = date(2024, 12, 31), date(2025, 4, 1)
ACCEPTED, NO_SOLUTION, PROPOSED = "acceptee", "sans_solution", "proposee"


def compute(code: str, start: date = START, end: date = END) -> dict[str, Decimal]:
    return as_breakdown(registered_indicators()[code].function(start, end))


def criteria(**values: int | str) -> dict[str, Decimal]:
    names = {
        "ald": "ALD",
        "aged_70": "70 ans et plus",
        "c2s_ame": "C2S / AME",
        "precarity": "Précarité",
        "hospital_discharge": "Sortie d'hospitalisation",
    }
    return {f"Critère : {label}": Decimal(values.get(name, 0)) for name, label in names.items()}


# --- Médecin traitant ------------------------------------------------------------------------


def test_requests_received_count_by_request_date_criterion_and_origin(association):
    here, other = communes(association)
    gp = doctor(here)
    gp_request(here, BEFORE, ald=True, origin="pharmacie")  # the day before: out
    gp_request(here, START, ald=True, aged_70=True)  # first day, two criteria
    gp_request(other, date(2025, 2, 15), precarity=True, origin="pharmacie")
    # Last day; its status does not matter, nor its closing after the period.
    gp_request(here, END, status=ACCEPTED, closed_on=AFTER, by=gp, origin="direct", ald=True)
    gp_request(here, END, status=NO_SOLUTION, closed_on=END, origin="hopital")
    gp_request(here, AFTER, ald=True, origin="direct")  # the day after: out
    assert compute("gp_requests") == {
        "": Decimal(4),
        **criteria(ald=2, aged_70=1, precarity=1),
        "Origine : Liste de la CPAM": Decimal(1),
        "Origine : Pharmacie": Decimal(1),
        "Origine : Hôpital": Decimal(1),
        "Origine : Demande directe": Decimal(1),
    }


def _resolved_fixture(association) -> None:
    """Accepted in the period: 61, 10, 80 and 20 days (ALD: 61, 10; 70+: 20; C2S: 80)."""
    here, _other = communes(association)
    gp = doctor(here)
    # Received before the period, accepted on its first day: counts (61 days).
    gp_request(here, date(2024, 11, 1), status=ACCEPTED, closed_on=START, by=gp, ald=True)
    gp_request(
        here, date(2025, 2, 1), status=ACCEPTED, closed_on=date(2025, 2, 11), by=gp, ald=True
    )
    gp_request(here, date(2025, 1, 10), status=ACCEPTED, closed_on=END, by=gp, c2s_ame=True)
    gp_request(
        here, date(2025, 3, 1), status=ACCEPTED, closed_on=date(2025, 3, 21), by=gp, aged_70=True
    )
    # Not counted: accepted the day before or the day after, closed without a solution in
    # the period, still waiting or proposed (open requests have no waiting days yet).
    gp_request(here, date(2024, 12, 20), status=ACCEPTED, closed_on=BEFORE, by=gp, ald=True)
    gp_request(here, date(2025, 1, 5), status=ACCEPTED, closed_on=AFTER, by=gp, ald=True)
    gp_request(here, date(2025, 1, 2), status=NO_SOLUTION, closed_on=date(2025, 2, 1), ald=True)
    gp_request(here, date(2024, 6, 1), ald=True, aged_70=True)
    gp_request(here, date(2024, 7, 1), status=PROPOSED, by=gp, c2s_ame=True)


def test_requests_resolved_count_acceptances_by_closing_date(association):
    _resolved_fixture(association)
    assert compute("gp_requests_resolved") == {
        "": Decimal(4),
        **criteria(ald=2, aged_70=1, c2s_ame=1),
    }


def test_median_waiting_days_of_an_even_count_averages_the_two_middle_values(association):
    _resolved_fixture(association)
    # All: 10, 20, 61, 80 → (20 + 61) / 2; ALD: 10, 61 → 35.5; one value; none → 0.
    assert compute("gp_waiting_median_days") == {
        "": Decimal("40.5"),
        **criteria(ald="35.5", aged_70=20, c2s_ame=80),
    }


def test_median_waiting_days_of_an_odd_count_is_the_middle_value(association):
    _resolved_fixture(association)
    # Up to 30/03/2025 the 80-day request (closed on 31/03) drops out: 10, 20, 61 → 20.
    result = compute("gp_waiting_median_days", START, date(2025, 3, 30))
    assert result[""] == Decimal(20)
    assert result["Critère : C2S / AME"] == Decimal(0)
    # Up to 20/03/2025 the 20-day one (closed on 21/03) too: 10, 61 → 35.5.
    assert compute("gp_waiting_median_days", START, date(2025, 3, 20))[""] == Decimal("35.5")
    # On February alone: one value.
    assert compute("gp_waiting_median_days", date(2025, 2, 1), date(2025, 2, 28))[""] == 10


def test_median_is_zero_without_accepted_request(association):
    here, _other = communes(association)
    gp_request(here, START)  # open
    gp_request(here, START, status=NO_SOLUTION, closed_on=END)
    assert compute("gp_waiting_median_days")[""] == Decimal(0)
    assert compute("gp_requests_resolved")[""] == Decimal(0)


def test_waiting_days_set_by_the_service_feed_the_median(association):
    here, _other = communes(association)
    gp = doctor(here, capacity=5)
    for received, accepted in ((date(2025, 1, 1), date(2025, 1, 4)), (date(2025, 1, 2), END)):
        request = gp_request(here, received)
        transition_request(request, "propose", doctor=gp, on=received)
        transition_request(request, "accept", on=accepted)
    # 3 and 88 days.
    assert compute("gp_waiting_median_days")[""] == Decimal("45.5")


# --- SAS and unplanned care ------------------------------------------------------------------


def _participation(member, start: date, end: date | None = None) -> None:
    SasParticipation.objects.create(member=member, start=start, end=end)


def test_doctors_taking_part_in_the_sas_overlap_the_period(association):
    here, _other = communes(association)
    ended_before, ends_first_day, starts_last_day, starts_after, twice, always = (
        doctor(here) for _ in range(6)
    )
    _participation(ended_before, date(2024, 6, 1), BEFORE)
    _participation(ends_first_day, date(2024, 6, 1), START)
    _participation(starts_last_day, END)
    _participation(starts_after, AFTER)
    _participation(twice, date(2025, 1, 10), date(2025, 1, 31))
    _participation(twice, date(2025, 3, 1))
    _participation(always, date(2023, 1, 1))
    assert compute("sas_doctors") == {"": Decimal(4)}
    assert compute("sas_doctors", AFTER, date(2025, 6, 30)) == {"": Decimal(4)}
    assert compute("sas_doctors", date(2024, 1, 1), date(2024, 5, 31)) == {"": Decimal(1)}


def _month(day: date, requests: int, given: int, honoured: int, missed: int, other: int) -> None:
    SasMonthlyActivity.objects.create(
        month=day,
        requests_received=requests,
        appointments_given=given,
        honoured=honoured,
        not_honoured=missed,
        oriented_elsewhere=other,
    )


def _sas_months() -> None:
    _month(date(2024, 12, 1), 900, 800, 700, 50, 40)  # out
    _month(date(2025, 1, 1), 100, 80, 70, 6, 15)
    _month(date(2025, 3, 1), 50, 40, 30, 4, 5)
    _month(date(2025, 4, 1), 900, 800, 700, 50, 40)  # out


def test_sas_appointments_sum_the_months_of_the_period(db):
    _sas_months()
    assert compute("sas_appointments") == {
        "": Decimal(120),
        "Demandes reçues": Decimal(150),
        "Rendez-vous honorés": Decimal(100),
        "Rendez-vous non honorés": Decimal(10),
        "Réorientations": Decimal(20),
    }


def test_sas_honoured_rate_over_the_outcomes_known(db):
    _sas_months()
    # 100 honoured out of 110 known outcomes (the 10 appointments of unknown outcome do not
    # count): 90.909… → 90.91.
    assert compute("sas_honoured_rate") == {"": Decimal("90.91")}
    # March alone: 30 / 34 = 88.235… → 88.24; a month of 2 out of 3 → 66.67.
    assert compute("sas_honoured_rate", date(2025, 3, 1), END) == {"": Decimal("88.24")}
    _month(date(2025, 5, 1), 3, 3, 2, 1, 0)
    assert compute("sas_honoured_rate", date(2025, 5, 1), date(2025, 5, 31))[""] == Decimal("66.67")
    # No month, or months without any known outcome: 0, not a division error.
    assert compute("sas_honoured_rate", date(2023, 1, 1), date(2023, 12, 31))[""] == 0
    _month(date(2023, 6, 1), 5, 0, 0, 0, 2)
    assert compute("sas_honoured_rate", date(2023, 1, 1), date(2023, 12, 31))[""] == 0


def test_unplanned_slots_count_weeks_by_their_monday(association):
    here, _other = communes(association)
    member = doctor(here)
    for monday, slots in (
        (date(2024, 12, 30), 100),  # its week reaches January, but its Monday is before
        (date(2025, 1, 6), 4),
        (date(2025, 3, 31), 6),  # the last day is a Monday
        (date(2025, 4, 7), 100),
    ):
        UnplannedSlotOffer.objects.create(member=member, week=monday, slots=slots)
    UnplannedSlotOffer.objects.create(member=doctor(here), week=date(2025, 1, 6), slots=3)
    assert compute("unplanned_slots") == {"": Decimal(13)}


# --- Accompagnement des professionnels -------------------------------------------------------


def test_trainees_hosted_overlap_the_period_with_their_level(association):
    here, _other = communes(association)
    host = doctor(here)
    nurse = Profession.objects.get(code="infirmier")
    spans = (
        (date(2024, 11, 1), BEFORE, "interne", False),  # out
        (date(2024, 11, 1), START, "interne", True),
        (END, date(2025, 6, 30), "externe", False),
        (AFTER, date(2025, 6, 30), "externe", False),  # out
        (date(2024, 10, 1), date(2025, 9, 30), "docteur_junior", False),
        (date(2025, 2, 1), date(2025, 2, 28), "paramedical", False),
    )
    for start, end, level, housing in spans:
        Trainee.objects.create(
            first_name="Léa",
            profession=nurse,
            level=level,
            host=host,
            start=start,
            end=end,
            housing_provided=housing,
        )
    assert compute("trainees_hosted") == {
        "": Decimal(4),
        "Niveau : Externe (2e cycle)": Decimal(1),
        "Niveau : Interne (3e cycle)": Decimal(1),
        "Niveau : Docteur junior": Decimal(1),
        "Niveau : Étudiant·e paramédical·e": Decimal(1),
        "Niveau : Autre": Decimal(0),
    }


def test_maitres_de_stage_flagged_no_later_than_the_last_day(association):
    here, _other = communes(association)
    for since, flagged in ((END, True), (AFTER, True), (date(2020, 1, 1), True)):
        ProfessionalProfile.objects.create(
            member=doctor(here), internship_supervisor=flagged, supervisor_since=since
        )
    # No longer a maître de stage: not counted, whatever the date once recorded.
    ProfessionalProfile.objects.create(
        member=doctor(here), internship_supervisor=False, supervisor_since=date(2020, 1, 1)
    )
    ProfessionalProfile.objects.create(member=doctor(here), accepts_new_patients=True)
    assert compute("internship_supervisors") == {"": Decimal(2)}
    assert compute("internship_supervisors", AFTER, date(2025, 6, 30)) == {"": Decimal(3)}


def test_installations_supported_by_date_with_the_help_given(association):
    _here, other = communes(association)
    for day, premises, administrative, introductions in (
        (BEFORE, True, True, True),
        (START, True, True, False),
        (END, False, False, True),
        (AFTER, True, False, False),
    ):
        Installation.objects.create(
            professional=MemberFactory.create(),
            installed_on=day,
            commune=other,
            help_premises=premises,
            help_administrative=administrative,
            help_introductions=introductions,
        )
    assert compute("installations_supported") == {
        "": Decimal(2),
        "Aide : locaux": Decimal(1),
        "Aide : administrative": Decimal(1),
        "Aide : mise en relation": Decimal(1),
    }
    assert compute("installations_supported", date(2026, 1, 1), date(2026, 12, 31)) == {
        "": Decimal(0),
        "Aide : locaux": Decimal(0),
        "Aide : administrative": Decimal(0),
        "Aide : mise en relation": Decimal(0),
    }


def test_every_registry_indicator_is_tested_here():
    codes = {
        code
        for code, definition in registered_indicators().items()
        if definition.function.__module__ == "registries.indicators"
    }
    tested = {
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
    }
    assert codes == tested
