"""Services and selectors of actions: validation of the fiche action, meetings linked only
from the action's working group, and the activity totals of a period."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from governance.models import Body, BodyKind, Meeting
from members.models import Profession
from members.models.members import MemberStatus
from missions.models import (
    Action,
    ActionStatus,
    AgeBand,
    Contract,
    ContractStatus,
    Event,
    EventKind,
    Mission,
    Taille,
)
from missions.selectors import actions as selectors
from missions.services import actions as services
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def prevention(association) -> Mission:
    return Mission.objects.get(key="prevention")


@pytest.fixture
def group(db) -> Body:
    return Body.objects.create(kind=BodyKind.GROUP, name="Groupe prévention")


def _data(**overrides):
    data = {
        "title": "Ateliers mémoire",
        "missions": [Mission.objects.get(key="prevention")],
        "diagnosis": "Isolement des personnes âgées",
        "start": date(2026, 1, 10),
        "planned_end": date(2026, 12, 31),
        "status": ActionStatus.PLANNED,
    }
    data.update(overrides)
    return data


def _errors(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_create_action_belongs_to_the_current_contract(prevention, group):
    Contract.objects.create(
        signed_on=date(2020, 1, 1), cpam="C", ars="A", taille=Taille.T1, status="ended"
    )
    signed = Contract.objects.create(
        signed_on=date(2024, 3, 1), cpam="C", ars="A", taille=Taille.T1
    )
    Contract.objects.create(
        signed_on=date(2025, 1, 1),
        cpam="C",
        ars="A",
        taille=Taille.T1,
        status=ContractStatus.DRAFT,
    )
    action = services.create_action(_data(working_group=group, title="  Ateliers  "))
    assert action.contract == signed
    assert action.title == "Ateliers"
    assert list(action.missions.all()) == [prevention]
    assert action.working_group == group


def test_planned_end_before_start_is_refused(prevention):
    with pytest.raises(ValidationError) as excinfo:
        services.create_action(_data(start=date(2026, 5, 1), planned_end=date(2026, 4, 30)))
    assert _errors(excinfo)["planned_end"] == [
        "La fin prévue ne peut précéder le début de l'action."
    ]
    assert not Action.objects.exists()


def test_an_action_needs_a_mission_and_a_title(prevention):
    with pytest.raises(ValidationError) as excinfo:
        services.create_action(_data(missions=[], title=" "))
    errors = _errors(excinfo)
    assert errors["missions"] == ["Choisissez au moins une mission."]
    assert errors["title"] == ["Indiquez l'intitulé de l'action."]
    assert not Action.objects.exists()


def test_working_group_must_be_a_group(prevention):
    ca = Body.objects.get_or_create(kind=BodyKind.CA, defaults={"name": "CA"})[0]
    with pytest.raises(ValidationError) as excinfo:
        services.create_action(_data(working_group=ca))
    assert "working_group" in _errors(excinfo)


def test_update_action_and_group_change_with_meetings(prevention, group):
    action = services.create_action(_data(working_group=group))
    meeting = Meeting.objects.create(body=group, title="Réunion", starts_at=timezone.now())
    services.link_meeting(action, meeting)
    other = Body.objects.create(kind=BodyKind.GROUP, name="Autre groupe")
    with pytest.raises(ValidationError) as excinfo:
        services.update_action(action, _data(working_group=other))
    assert "working_group" in _errors(excinfo)
    action.refresh_from_db()
    assert action.working_group == group
    parcours = Mission.objects.get(key="parcours")
    services.update_action(
        action, _data(working_group=group, missions=[parcours], status=ActionStatus.DONE)
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert list(action.missions.all()) == [parcours]


def test_meeting_of_another_group_cannot_be_linked(prevention, group):
    action = services.create_action(_data(working_group=group))
    other = Body.objects.create(kind=BodyKind.GROUP, name="Autre groupe")
    foreign = Meeting.objects.create(body=other, title="Autre", starts_at=timezone.now())
    with pytest.raises(ValidationError) as excinfo:
        services.link_meeting(action, foreign)
    assert _errors(excinfo)["meeting"] == [
        "Seules les réunions du groupe de travail de l'action peuvent y être liées."
    ]
    assert not action.meetings.exists()
    own = Meeting.objects.create(body=group, title="Réunion", starts_at=timezone.now())
    services.link_meeting(action, own)
    assert list(action.meetings.all()) == [own]
    services.unlink_meeting(action, own)
    assert not action.meetings.exists()


def test_meeting_needs_a_working_group(prevention, group):
    action = services.create_action(_data())
    meeting = Meeting.objects.create(body=group, title="Réunion", starts_at=timezone.now())
    with pytest.raises(ValidationError):
        services.link_meeting(action, meeting)


def test_action_with_events_cannot_be_deleted(prevention):
    action = services.create_action(_data())
    event = services.create_event(
        action, {"kind": EventKind.WORKSHOP, "title": "Atelier", "date": date(2026, 2, 1)}
    )
    with pytest.raises(ValidationError) as excinfo:
        services.delete_action(action)
    assert "événements" in excinfo.value.messages[0]
    services.delete_event(event)
    services.delete_action(action)
    assert not Action.objects.exists()


# --- Events ---


@pytest.fixture
def action(prevention) -> Action:
    return services.create_action(_data())


def _event(action, **overrides) -> Event:
    data = {"kind": EventKind.WORKSHOP, "title": "Atelier", "date": date(2026, 3, 3)}
    data.update(overrides)
    return services.create_event(action, data)


def test_event_fields_are_validated(action):
    with pytest.raises(ValidationError) as excinfo:
        services.create_event(action, {"kind": "bal", "title": "", "date": None, "hours": "-1"})
    errors = _errors(excinfo)
    assert set(errors) == {"kind", "title", "date", "hours"}
    assert not Event.objects.exists()


def test_counts_are_replaced_in_one_go(action):
    nurse = Profession.objects.get(code="infirmier")
    gp = Profession.objects.get(code="medecin_generaliste")
    event = _event(action)
    services.set_participant_counts(
        event, {gp.pk: 3, nurse.pk: 2}, {AgeBand.SENIORS: 12, AgeBand.ELDERLY: 4}
    )
    assert {(r.profession_id, r.age_band, r.count) for r in event.counts.all()} == {
        (gp.pk, "", 3),
        (nurse.pk, "", 2),
        (None, "60-74", 12),
        (None, "75+", 4),
    }
    first_gp_row = event.counts.get(profession=gp).pk
    services.set_participant_counts(event, {gp.pk: 5, nurse.pk: 0}, {AgeBand.SENIORS: 12})
    assert {(r.profession_id, r.age_band, r.count) for r in event.counts.all()} == {
        (gp.pk, "", 5),
        (None, "60-74", 12),
    }
    assert event.counts.get(profession=gp).pk == first_gp_row  # updated, not recreated


def test_negative_count_is_refused_and_nothing_changes(action):
    gp = Profession.objects.get(code="medecin_generaliste")
    event = _event(action)
    services.set_participant_counts(event, {gp.pk: 3}, {})
    with pytest.raises(ValidationError) as excinfo:
        services.set_participant_counts(event, {gp.pk: 4}, {AgeBand.ADULTS: -2})
    assert _errors(excinfo)["age_30-59"] == [
        "30 à 59 ans : le nombre de participants ne peut être négatif."
    ]
    assert [(r.profession_id, r.count) for r in event.counts.all()] == [(gp.pk, 3)]


def test_unknown_categories_and_non_numbers_are_refused(action):
    event = _event(action)
    with pytest.raises(ValidationError) as excinfo:
        services.set_participant_counts(event, {999_999: 1}, {"centenaires": 1, "nc": "beaucoup"})
    assert set(_errors(excinfo)) == {"profession_999999", "age_centenaires", "age_nc"}


def test_inactive_professional_cannot_be_mobilised(action):
    active = MemberFactory.create()
    departed = MemberFactory.create(
        last_name="Parti", status=MemberStatus.DEPARTED, departed_on=date(2025, 1, 1)
    )
    with pytest.raises(ValidationError) as excinfo:
        services.create_event(
            action,
            {"kind": EventKind.WORKSHOP, "title": "Atelier", "date": date(2026, 3, 3)},
            professionals=[active, departed],
        )
    assert "professionals" in _errors(excinfo)
    assert not Event.objects.exists()
    event = services.create_event(
        action,
        {"kind": EventKind.WORKSHOP, "title": "Atelier", "date": date(2026, 3, 3)},
        professionals=[active],
    )
    assert list(event.professionals.all()) == [active]


def test_a_professional_who_left_since_stays_on_the_event(action):
    member = MemberFactory.create()
    event = services.create_event(
        action,
        {"kind": EventKind.WORKSHOP, "title": "Atelier", "date": date(2026, 3, 3)},
        professionals=[member],
    )
    member.status = MemberStatus.DEPARTED
    member.departed_on = date(2026, 4, 1)
    member.save()
    services.update_event(
        event,
        {"kind": EventKind.WORKSHOP, "title": "Atelier renommé", "date": date(2026, 3, 3)},
        professionals=[member],
    )
    event.refresh_from_db()
    assert event.title == "Atelier renommé"
    assert list(event.professionals.all()) == [member]


# --- Totals ---


def test_activity_totals_of_a_period(action, group):
    gp = Profession.objects.get(code="medecin_generaliste")
    nurse = Profession.objects.get(code="infirmier")
    parcours_action = services.create_action(
        _data(title="Parcours", missions=[Mission.objects.get(key="parcours")])
    )
    both = services.create_action(
        _data(
            title="Les deux",
            missions=[Mission.objects.get(key="parcours"), Mission.objects.get(key="prevention")],
        )
    )
    a, b = MemberFactory.create(), MemberFactory.create()
    services.create_event(
        action,
        {"kind": EventKind.WORKSHOP, "title": "1", "date": date(2026, 3, 1)},
        professionals=[a, b],
        profession_counts={gp.pk: 2},
        age_band_counts={AgeBand.SENIORS: 10},
    )
    services.create_event(
        action,
        {"kind": EventKind.STAND, "title": "2", "date": date(2026, 4, 1)},
        professionals=[a],
        profession_counts={nurse.pk: 1},
        age_band_counts={AgeBand.ADULTS: 5, AgeBand.UNKNOWN: 1},
    )
    services.create_event(  # outside the period
        action,
        {"kind": EventKind.STAND, "title": "3", "date": date(2027, 1, 1)},
        profession_counts={gp.pk: 50},
    )
    services.create_event(
        parcours_action,
        {"kind": EventKind.PLURIPRO, "title": "4", "date": date(2026, 6, 1)},
        profession_counts={gp.pk: 7},
    )
    services.create_event(
        both,
        {"kind": EventKind.PLURIPRO, "title": "5", "date": date(2026, 12, 31)},
        professionals=[b],
        age_band_counts={AgeBand.YOUNG: 3},
    )
    year = (date(2026, 1, 1), date(2026, 12, 31))
    prevention = Mission.objects.get(key="prevention")
    totals = selectors.activity_totals(*year, mission=prevention)
    assert totals == selectors.ActivityTotals(events=3, professionals=3, public=19, mobilised=2)
    assert totals.participants == 22
    assert selectors.activity_totals(*year) == selectors.ActivityTotals(
        events=4, professionals=10, public=19, mobilised=2
    )
    parcours = Mission.objects.get(key="parcours")
    by_mission = selectors.activity_totals_by_mission(*year)
    assert by_mission[prevention.pk] == totals
    assert by_mission[parcours.pk] == selectors.ActivityTotals(
        events=2, professionals=7, public=3, mobilised=1
    )
    assert selectors.activity_totals(*year, mission=parcours.pk) == by_mission[parcours.pk]
    assert selectors.activity_totals(date(2025, 1, 1), date(2025, 12, 31)) == (
        selectors.ActivityTotals()
    )


def test_action_rows_figures_and_filters(action, group):
    gp = Profession.objects.get(code="medecin_generaliste")
    other = services.create_action(
        _data(
            title="Parcours IC",
            working_group=group,
            start=date(2024, 1, 1),
            planned_end=date(2024, 12, 31),
            missions=[Mission.objects.get(key="parcours")],
        )
    )
    a = MemberFactory.create()
    for day in (1, 2):
        services.create_event(
            action,
            {"kind": EventKind.WORKSHOP, "title": "x", "date": date(2026, 3, day)},
            professionals=[a],
            profession_counts={gp.pk: 2},
            age_band_counts={AgeBand.ADULTS: 4},
        )
    coordinator = UserFactory.create(is_staff=True)
    figures = {
        row.pk: tuple(
            getattr(row, name)
            for name in ("events_count", "professionals_count", "public_count", "mobilised_count")
        )
        for row in selectors.action_rows(coordinator, selectors.ActionFilters())
    }
    assert figures[action.pk] == (2, 4, 8, 1)
    assert figures[other.pk] == (0, 0, 0, 0)

    def titles(**query):
        filters = selectors.ActionFilters.from_query(query)
        return {row.title for row in selectors.action_rows(coordinator, filters)}

    assert titles(groupe=str(group.pk)) == {"Parcours IC"}
    assert titles(annee="2024") == {"Parcours IC"}
    assert titles(annee="2026") == {"Ateliers mémoire"}
    assert titles(mission=str(Mission.objects.get(key="prevention").pk)) == {"Ateliers mémoire"}
    assert titles(statut="planned", q="  parcours ") == {"Parcours IC"}
    assert titles(annee="abc", statut="nope", mission="-1", groupe="x" * 30) == {
        "Ateliers mémoire",
        "Parcours IC",
    }
    assert selectors.action_years(coordinator) == [2026, 2024]


def test_events_of_an_action_are_sorted_by_date_on_the_sheet(action):
    _event(action, title="Tard", date=date(2026, 5, 1))
    _event(action, title="Tôt", date=date(2026, 1, 1) + timedelta(days=1))
    sheet = selectors.action_sheet(action.pk)
    assert sheet is not None
    assert [e.title for e in sheet.events.all()] == ["Tôt", "Tard"]
    assert selectors.action_sheet(999_999) is None
