"""Indicators computed from the actions and events (missions/selectors/indicators.py), against
hand-counted fixtures: period boundaries (first day, last day, day before, day after, the Paris
midnight that closes an action), breakdown keys, agreement with the activity totals of the
action pages, and a query count that does not grow with the number of events."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cpts.indicator_registry import Number, as_breakdown, registered_indicators
from governance.models import Body, BodyKind
from members.models import Member, Profession
from members.models.members import MemberStatus
from missions.models import (
    Action,
    ActionStatus,
    AgeBand,
    Contract,
    ContractYear,
    Event,
    EventKind,
    IndicatorLine,
    LineKind,
    Livrable,
    LivrableStatus,
    Mission,
    MissionEnvelope,
    ParticipantCount,
    Proof,
    Taille,
)
from missions.selectors import actions as action_selectors
from missions.selectors import indicators
from missions.services import actions as services
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

YEAR_2026 = (date(2026, 1, 1), date(2026, 12, 31))

ACCES = "Mission : Accès aux soins (médecin traitant, soins non programmés, SAS)"
PARCOURS = "Mission : Parcours pluriprofessionnels"
PREVENTION = "Mission : Prévention"
CRISE = "Mission : Réponse aux crises sanitaires graves"
QUALITE = "Mission : Qualité et pertinence des soins"
ACCOMPAGNEMENT = "Mission : Accompagnement des professionnels de santé"
NO_MISSION = {ACCES: 0, CRISE: 0, QUALITE: 0, ACCOMPAGNEMENT: 0}

CODES = (
    "actions_by_status",
    "events_held",
    "event_participants_professionals",
    "event_participants_public",
    "professionals_mobilised",
    "livrables_expected",
    "livrables_with_proof",
)


def _value(code: str, start: date, end: date) -> dict[str, Number]:
    value = registered_indicators()[code].function(start, end)
    assert isinstance(value, Mapping)
    return dict(value)


def _action(title: str, missions: list[str], **values) -> Action:
    data = {
        "title": title,
        "missions": [Mission.objects.get(key=key) for key in missions],
        "status": ActionStatus.PLANNED,
        "start": None,
        "planned_end": None,
    }
    data.update(values)
    return services.create_action(data)


def _modified(action: Action, at: datetime) -> None:
    """Set the last modification (auto_now cannot be given to a save)."""
    Action.objects.filter(pk=action.pk).update(updated_at=at)


@dataclass
class World:
    contract: Contract
    actions: dict[str, Action]
    members: list[Member]


@pytest.fixture
def world(association) -> World:
    contract = Contract.objects.create(
        signed_on=date(2024, 3, 1), cpam="CPAM du Rhône", ars="ARS ARA", taille=Taille.T2
    )
    group = Body.objects.create(kind=BodyKind.GROUP, name="Groupe prévention")
    a: dict[str, Action] = {}
    # Active in 2026
    a["running"] = _action(
        "Ateliers mémoire",
        ["prevention"],
        start=date(2025, 6, 1),
        status=ActionStatus.IN_PROGRESS,
        working_group=group,
    )
    a["starts_last_day"] = _action(
        "Dépistage", ["prevention", "parcours"], start=date(2026, 12, 31)
    )
    a["ends_first_day"] = _action(
        "Parcours IC",
        ["parcours"],
        start=date(2025, 1, 1),
        planned_end=date(2026, 1, 1),
        status=ActionStatus.DONE,
    )
    a["abandoned_in_period"] = _action(
        "Stand marché", ["prevention"], start=date(2025, 3, 1), status=ActionStatus.ABANDONED
    )
    a["held_without_start"] = _action("Soirée BPCO", ["parcours"], status=ActionStatus.DRAFT)
    a["june"] = _action(
        "Parcours diabète",
        ["parcours"],
        start=date(2026, 6, 1),
        planned_end=date(2026, 6, 30),
        status=ActionStatus.IN_PROGRESS,
    )
    # Not active in 2026
    a["starts_day_after"] = _action("Plan canicule", ["prevention"], start=date(2027, 1, 1))
    a["ends_day_before"] = _action(
        "Parcours AVC",
        ["parcours"],
        start=date(2025, 1, 1),
        planned_end=date(2025, 12, 31),
        status=ActionStatus.DONE,
    )
    a["abandoned_before"] = _action(
        "Vaccination", ["prevention"], start=date(2025, 3, 1), status=ActionStatus.ABANDONED
    )
    a["draft_without_start"] = _action("Idée", ["prevention"], status=ActionStatus.DRAFT)
    # Paris midnight of 01/01/2026 is 23:00 UTC on 31/12/2025.
    _modified(a["abandoned_before"], datetime(2025, 12, 31, 22, 59, 59, tzinfo=UTC))
    _modified(a["abandoned_in_period"], datetime(2025, 12, 31, 23, 0, 0, tzinfo=UTC))
    _modified(a["ends_first_day"], datetime(2026, 1, 2, 9, 0, tzinfo=UTC))
    _modified(a["ends_day_before"], datetime(2026, 1, 15, 12, 0, tzinfo=UTC))

    gp = Profession.objects.get(code="medecin_generaliste")
    nurse = Profession.objects.get(code="infirmier")
    m = [MemberFactory.create() for _ in range(5)]
    services.create_event(  # first day
        a["running"],
        {"kind": EventKind.WORKSHOP, "title": "E1", "date": date(2026, 1, 1)},
        professionals=[m[0], m[1]],
        profession_counts={gp.pk: 2, nurse.pk: 1},
        age_band_counts={AgeBand.SENIORS: 10, AgeBand.UNKNOWN: 2},
    )
    services.create_event(  # last day, an action of two missions
        a["starts_last_day"],
        {"kind": EventKind.PLURIPRO, "title": "E2", "date": date(2026, 12, 31)},
        professionals=[m[1], m[2]],
        profession_counts={gp.pk: 4},
        age_band_counts={AgeBand.ADULTS: 5},
    )
    services.create_event(  # day after
        a["running"],
        {"kind": EventKind.STAND, "title": "E3", "date": date(2027, 1, 1)},
        professionals=[m[3]],
        profession_counts={gp.pk: 50},
        age_band_counts={AgeBand.SENIORS: 100},
    )
    services.create_event(  # day before
        a["ends_day_before"],
        {"kind": EventKind.TRAINING, "title": "E4", "date": date(2025, 12, 31)},
        professionals=[m[4]],
        profession_counts={nurse.pk: 20},
        age_band_counts={AgeBand.YOUNG: 30},
    )
    services.create_event(
        a["held_without_start"],
        {"kind": EventKind.STAND, "title": "E5", "date": date(2026, 5, 5)},
        professionals=[m[1]],
        profession_counts={nurse.pk: 3},
        age_band_counts={AgeBand.CHILDREN: 7},
    )
    return World(contract=contract, actions=a, members=m)


# --- Registration ---------------------------------------------------------------------------


def test_indicators_are_registered_with_french_labels_and_descriptions():
    registry = registered_indicators()
    for code in CODES:
        computed = registry[code]
        assert computed.unit == "count"
        assert computed.direction == "increasing"
        assert computed.mission == ""
        assert len(str(computed.description)) > 80
    assert str(registry["events_held"].label) == "Événements organisés"
    assert "Paris" in str(registry["actions_by_status"].description)


# --- Actions --------------------------------------------------------------------------------


def test_actions_by_status_in_a_year(world):
    assert _value("actions_by_status", *YEAR_2026) == {
        "": 6,
        PREVENTION: 3,  # running, starts_last_day, abandoned_in_period
        PARCOURS: 4,  # starts_last_day, ends_first_day, held_without_start, june
        **NO_MISSION,
        "Statut : En préparation": 1,
        "Statut : Programmée": 1,
        "Statut : En cours": 2,
        "Statut : Terminée": 1,
        "Statut : Abandonnée": 1,
    }


def test_active_actions_boundaries(world):
    a = world.actions
    active = set(indicators.active_actions(*YEAR_2026).values_list("pk", flat=True))
    expected = {"running", "starts_last_day", "ends_first_day", "abandoned_in_period"}
    expected |= {"held_without_start", "june"}
    assert active == {a[name].pk for name in expected}
    # A later period: the action that ended on 01/01/2026 and the one started and ended in June
    # are out; the one starting on 01/01/2027 is in; done or abandoned, modified in 2026: out.
    later = set(
        indicators.active_actions(date(2027, 1, 1), date(2027, 3, 31)).values_list("pk", flat=True)
    )
    assert later == {a["running"].pk, a["starts_last_day"].pk, a["starts_day_after"].pk}
    # A done action last modified on the first day of the period is not known closed before it.
    first_of_june = indicators.active_actions(date(2026, 6, 1), date(2026, 6, 1))
    assert a["june"].pk in set(first_of_june.values_list("pk", flat=True))
    Action.objects.filter(pk=a["june"].pk).update(status=ActionStatus.DONE)
    _modified(a["june"], datetime(2026, 5, 31, 22, 0, tzinfo=UTC))  # 01/06 00:00 Paris
    assert first_of_june.filter(pk=a["june"].pk).exists()
    _modified(a["june"], datetime(2026, 5, 31, 21, 59, 59, tzinfo=UTC))
    assert not first_of_june.filter(pk=a["june"].pk).exists()


def test_an_event_in_the_period_makes_a_closed_action_active(world):
    a = world.actions
    services.create_event(
        a["abandoned_before"],
        {"kind": EventKind.OTHER, "title": "Rattrapage", "date": date(2026, 2, 2)},
    )
    result = _value("actions_by_status", *YEAR_2026)
    assert result[""] == 7
    assert result["Statut : Abandonnée"] == 2
    assert result[PREVENTION] == 4


def test_actions_agree_with_the_action_list_year_filter(world, coordinator):
    """The list's year filter shares the span and event expressions; it only keeps the actions
    closed before the year, which the indicator leaves out."""
    rows = action_selectors.action_rows(coordinator, action_selectors.ActionFilters(year=2026))
    listed = set(rows.values_list("pk", flat=True))
    active = set(indicators.active_actions(*YEAR_2026).values_list("pk", flat=True))
    assert listed - active == {world.actions["abandoned_before"].pk}
    assert active <= listed


# --- Events -----------------------------------------------------------------------------------


def test_events_held(world):
    assert _value("events_held", *YEAR_2026) == {
        "": 3,  # E1 (first day), E2 (last day), E5; not E3 (day after), E4 (day before)
        PREVENTION: 2,  # E1, E2
        PARCOURS: 2,  # E2, E5
        **NO_MISSION,
        "Type : Atelier de prévention": 1,
        "Type : Soirée pluriprofessionnelle": 1,
        "Type : Stand d'information": 1,
        "Type : Formation": 0,
        "Type : Réunion de concertation": 0,
        "Type : Campagne / dépistage": 0,
        "Type : Autre": 0,
    }


def test_events_of_narrower_periods(world):
    # The first quarter holds E1 only (first day); 02/01 to 30/12 holds E5 only.
    q1 = _value("events_held", date(2026, 1, 1), date(2026, 3, 31))
    assert (q1[""], q1[PREVENTION], q1[PARCOURS]) == (1, 1, 0)
    inner = _value("events_held", date(2026, 1, 2), date(2026, 12, 30))
    assert (inner[""], inner[PREVENTION], inner[PARCOURS]) == (1, 0, 1)
    assert inner["Type : Stand d'information"] == 1
    # The last day alone; the day after alone.
    assert _value("events_held", date(2026, 12, 31), date(2026, 12, 31))[""] == 1
    day_after = _value("events_held", date(2027, 1, 1), date(2027, 1, 1))
    assert (day_after[""], day_after["Type : Stand d'information"]) == (1, 1)
    assert _value("event_participants_professionals", date(2026, 1, 2), date(2026, 12, 30))[""] == 3
    assert _value("event_participants_public", date(2025, 12, 31), date(2025, 12, 31)) == {
        "": 30,
        PREVENTION: 0,
        PARCOURS: 30,
        **NO_MISSION,
        "Tranche d'âge : Moins de 18 ans": 0,
        "Tranche d'âge : 18 à 29 ans": 30,
        "Tranche d'âge : 30 à 59 ans": 0,
        "Tranche d'âge : 60 à 74 ans": 0,
        "Tranche d'âge : 75 ans et plus": 0,
        "Tranche d'âge : Âge non connu": 0,
    }


def test_event_participants_professionals(world):
    assert _value("event_participants_professionals", *YEAR_2026) == {
        "": 10,  # E1 2 + 1, E2 4, E5 3
        PREVENTION: 7,  # E1, E2
        PARCOURS: 7,  # E2, E5
        **NO_MISSION,
    }


def test_event_participants_public(world):
    assert _value("event_participants_public", *YEAR_2026) == {
        "": 24,  # E1 10 + 2, E2 5, E5 7
        PREVENTION: 17,
        PARCOURS: 12,
        **NO_MISSION,
        "Tranche d'âge : Moins de 18 ans": 7,
        "Tranche d'âge : 18 à 29 ans": 0,
        "Tranche d'âge : 30 à 59 ans": 5,
        "Tranche d'âge : 60 à 74 ans": 10,
        "Tranche d'âge : 75 ans et plus": 0,
        "Tranche d'âge : Âge non connu": 2,
    }


def test_professionals_mobilised(world):
    # E1 m0, m1; E2 m1, m2; E5 m1: three distinct members, m1 counted once.
    assert _value("professionals_mobilised", *YEAR_2026) == {
        "": 3,
        PREVENTION: 3,  # m0, m1, m2
        PARCOURS: 2,  # m1, m2
        **NO_MISSION,
    }
    # A member who has left since still counts for the period they took part in.
    Member.objects.filter(pk=world.members[2].pk).update(
        status=MemberStatus.DEPARTED, departed_on=date(2026, 11, 1)
    )
    assert _value("professionals_mobilised", *YEAR_2026)[""] == 3


def test_event_indicators_agree_with_the_activity_totals(world):
    totals = action_selectors.activity_totals(*YEAR_2026)
    by_mission = action_selectors.activity_totals_by_mission(*YEAR_2026)
    prevention = Mission.objects.get(key="prevention")
    assert _value("events_held", *YEAR_2026)[""] == totals.events
    assert _value("event_participants_professionals", *YEAR_2026)[""] == totals.professionals
    assert _value("event_participants_public", *YEAR_2026)[""] == totals.public
    assert _value("professionals_mobilised", *YEAR_2026)[""] == totals.mobilised
    assert _value("event_participants_public", *YEAR_2026)[PREVENTION] == (
        by_mission[prevention.pk].public
    )


def test_empty_period_gives_zeros_for_every_category(world):
    for code in CODES:
        value = registered_indicators()[code].function(date(2020, 1, 1), date(2020, 12, 31))
        breakdown = as_breakdown(value)
        assert breakdown[""] == 0
        assert set(breakdown.values()) == {0}
        assert PREVENTION in breakdown


# --- Queries ------------------------------------------------------------------------------------


def _add_events(action: Action, count: int, professions: list[Profession]) -> None:
    events = Event.objects.bulk_create(
        Event(action=action, kind=EventKind.WORKSHOP, title=f"Atelier {i}", date=date(2026, 4, 1))
        for i in range(count)
    )
    ParticipantCount.objects.bulk_create(
        [ParticipantCount(event=e, profession=p, count=2) for e in events for p in professions]
        + [ParticipantCount(event=e, age_band=AgeBand.ADULTS, count=3) for e in events]
    )
    members = [MemberFactory.create() for _ in range(3)]
    through = Event.professionals.through
    through.objects.bulk_create(
        through(event_id=e.pk, member_id=member.pk) for e in events for member in members
    )


def _queries(
    code: str, start: date = YEAR_2026[0], end: date = YEAR_2026[1]
) -> tuple[int, dict[str, Number]]:
    with CaptureQueriesContext(connection) as queries:
        value = _value(code, start, end)
    return len(queries), value


def test_query_count_does_not_grow_with_events(association):
    professions = list(Profession.objects.order_by("pk")[:3])
    a = _action("Ateliers", ["prevention", "parcours"], start=date(2026, 1, 1))
    _add_events(a, 3, professions)
    few = {code: _queries(code) for code in CODES}
    _add_events(
        _action("Soirées", ["parcours"], start=date(2026, 2, 1), status=ActionStatus.IN_PROGRESS),
        27,
        professions,
    )
    many = {code: _queries(code) for code in CODES}
    for code in CODES:
        assert many[code][0] == few[code][0], code
    assert (few["events_held"][1][""], many["events_held"][1][""]) == (3, 30)
    assert many["event_participants_professionals"][1][""] == 30 * 3 * 2
    assert many["event_participants_public"][1][PARCOURS] == 30 * 3
    assert many["professionals_mobilised"][1][""] == 6
    assert many["actions_by_status"][1]["Statut : En cours"] == 1


# --- Livrables ----------------------------------------------------------------------------------


def _livrable(year: ContractYear, mission: str, label: str, **values) -> Livrable:
    envelope, _created = MissionEnvelope.objects.get_or_create(
        year=year, mission=Mission.objects.get(key=mission)
    )
    line = IndicatorLine.objects.create(envelope=envelope, label=label, kind=LineKind.BINARY)
    return Livrable.objects.create(line=line, label=label, **values)


def _proof(livrable: Livrable, at: datetime) -> None:
    proof = Proof.objects.create(livrable=livrable, title="Émargement", file="x.pdf")
    Proof.objects.filter(pk=proof.pk).update(created_at=at)


@pytest.fixture
def years(association) -> list[ContractYear]:
    contract = Contract.objects.create(
        signed_on=date(2024, 3, 1), cpam="CPAM", ars="ARS", taille=Taille.T1
    )
    spans = [
        (date(2024, 3, 1), date(2025, 2, 28)),
        (date(2025, 3, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2027, 2, 28)),
    ]
    return [
        ContractYear.objects.create(contract=contract, number=n, start=start, end=end)
        for n, (start, end) in enumerate(spans, start=1)
    ]


def test_livrables_expected_and_with_proof(years):
    y1, y2, y3 = years
    # Year 2 ends on 28/02/2026; Paris midnight after it is 23:00 UTC on 28/02.
    _proof(_livrable(y2, "prevention", "Lv1"), datetime(2026, 2, 28, 22, 59, 59, tzinfo=UTC))
    _proof(_livrable(y2, "prevention", "Lv2"), datetime(2026, 2, 28, 23, 0, 0, tzinfo=UTC))
    _livrable(y2, "prevention", "Lv3", status=LivrableStatus.PROVIDED)  # no proof
    both = _livrable(y2, "parcours", "Lv4")
    _proof(both, datetime(2025, 6, 1, 8, 0, tzinfo=UTC))
    _proof(both, datetime(2025, 7, 1, 8, 0, tzinfo=UTC))
    _proof(_livrable(y3, "prevention", "Lv5"), datetime(2026, 4, 1, 8, 0, tzinfo=UTC))
    _livrable(y1, "crise", "Lv6")

    year_2 = (y2.start, y2.end)
    assert _value("livrables_expected", *year_2) == {
        "": 4,
        PREVENTION: 3,
        PARCOURS: 1,
        ACCES: 0,
        CRISE: 0,
        QUALITE: 0,
        ACCOMPAGNEMENT: 0,
    }
    assert _value("livrables_with_proof", *year_2) == {
        "": 2,  # Lv1 (last instant of the year), Lv4 (two proofs, counted once)
        PREVENTION: 1,
        PARCOURS: 1,
        **NO_MISSION,
    }
    year_3 = (y3.start, y3.end)
    assert _value("livrables_expected", *year_3)[""] == 1
    assert _value("livrables_with_proof", *year_3)[""] == 1
    # A calendar year meets years 2 and 3; Lv2's proof (01/03 Paris) is within it.
    assert _value("livrables_expected", *YEAR_2026)[""] == 5
    proved = _value("livrables_with_proof", *YEAR_2026)
    assert (proved[""], proved[PREVENTION], proved[PARCOURS]) == (4, 3, 1)
    # 2024 meets year 1 only (from 01/03/2024).
    assert _value("livrables_expected", date(2024, 1, 1), date(2024, 12, 31))[CRISE] == 1
    assert _value("livrables_expected", date(2024, 1, 1), date(2024, 2, 29))[""] == 0
    assert _value("livrables_with_proof", date(2024, 1, 1), date(2024, 12, 31))[""] == 0


def test_livrables_query_count_does_not_grow(years):
    y2 = years[1]
    for i in range(3):
        _proof(_livrable(y2, "prevention", f"L{i}"), datetime(2025, 6, 1, tzinfo=UTC))
    few = {code: _queries(code, y2.start, y2.end) for code in CODES[-2:]}
    for i in range(27):
        _proof(_livrable(y2, "parcours", f"M{i}"), datetime(2025, 6, 1, tzinfo=UTC))
    many = {code: _queries(code, y2.start, y2.end) for code in CODES[-2:]}
    for code in CODES[-2:]:
        assert many[code][0] == few[code][0], code
        assert (few[code][1][""], many[code][1][""]) == (3, 30)
