"""Pages of actions: the list (filters, a référent's scope, constant queries), the fiche
action, creation and edition (a référent only gives their own groups), deletion, and the
meetings linked from the action's working group."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import Body, BodyKind, Mandate, MandateRole, Meeting
from members.models import Profession
from missions.models import Action, ActionStatus, AgeBand, EventKind, Mission
from missions.selectors import actions as selectors
from missions.services import actions as services
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_group(referent) -> Body:
    return Mandate.objects.get(member__user=referent, role=MandateRole.REFERENT).body


@pytest.fixture
def other_group(db) -> Body:
    return Body.objects.create(kind=BodyKind.GROUP, name="Prévention des cancers")


def _action(title: str, group: Body | None = None, **extra) -> Action:
    data = {
        "title": title,
        "missions": [Mission.objects.get(key="prevention")],
        "working_group": group,
        "start": date(2026, 1, 5),
        "planned_end": date(2026, 11, 30),
        "status": ActionStatus.IN_PROGRESS,
        **extra,
    }
    return services.create_action(data)


@pytest.fixture
def actions(association, own_group, other_group) -> dict[str, Action]:
    return {
        "own": _action("Parcours insuffisance cardiaque", own_group),
        "other": _action("Dépistage colorectal", other_group),
        "none": _action("Ateliers mémoire"),
    }


def _post_data(**overrides):
    data = {
        "title": "Soirées pluripro",
        "missions": [str(Mission.objects.get(key="parcours").pk)],
        "diagnosis": "Peu de liens ville-hôpital",
        "start": "2026-02-01",
        "planned_end": "2026-06-30",
        "status": ActionStatus.PLANNED,
    }
    data.update(overrides)
    return data


# --- List ---


def test_list_shows_everything_to_the_board(client, president, actions):
    client.force_login(president)
    response = client.get(reverse("action_list"))
    assert response.status_code == 200
    body = response.content.decode()
    for action in actions.values():
        assert action.title in body
    assert reverse("action_create") not in body  # the board reads, does not write


def test_list_shows_a_referent_only_their_groups_actions(client, referent, actions):
    client.force_login(referent)
    response = client.get(reverse("action_list"))
    titles = [row.title for row in response.context["page"].object_list]
    assert titles == ["Parcours insuffisance cardiaque"]
    assert reverse("action_create") in response.content.decode()
    # filtering by another group does not reveal it
    response = client.get(reverse("action_list"), {"groupe": actions["other"].working_group_id})
    assert list(response.context["page"].object_list) == []


def test_list_filters_and_odd_query_strings(client, coordinator, actions):
    client.force_login(coordinator)
    url = reverse("action_list")
    response = client.get(url, {"q": "mémoire"})
    assert [a.title for a in response.context["page"].object_list] == ["Ateliers mémoire"]
    for query in ({"annee": "x"}, {"mission": "9" * 40}, {"page": "zz"}, {"statut": "<b>"}):
        assert client.get(url, query).status_code == 200


def test_list_refused_personas(client, adherent, tresorier):
    assert client.get(reverse("action_list")).status_code == 302
    client.force_login(adherent)
    assert client.get(reverse("action_list")).status_code == 403
    client.force_login(tresorier)  # board member: reads
    assert client.get(reverse("action_list")).status_code == 200


def _add_events(action: Action, number: int) -> None:
    gp = Profession.objects.get(code="medecin_generaliste")
    for index in range(number):
        member = MemberFactory.create()
        event = services.create_event(
            action,
            {"kind": EventKind.WORKSHOP, "title": f"Atelier {index}", "date": date(2026, 3, 1)},
            professionals=[member],
            profession_counts={gp.pk: 2},
            age_band_counts={AgeBand.SENIORS: 3},
        )
        document_file = f"doc{index}.pdf"
        event.documents.create(title=document_file, file=f"missions/events/x/{document_file}")


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_and_sheet_queries_do_not_grow_with_events(client, coordinator, association):
    client.force_login(coordinator)
    few = _action("Peu")
    _add_events(few, 2)
    for index in range(2):
        _action(f"Action {index}")
    list_few = _queries(client, reverse("action_list"))
    sheet_few = _queries(client, reverse("action_detail", args=[few.pk]))
    many = _action("Beaucoup")
    _add_events(many, 20)
    for index in range(20):
        _action(f"Autre action {index}")
    assert _queries(client, reverse("action_list")) == list_few
    assert _queries(client, reverse("action_detail", args=[many.pk])) == sheet_few


# --- The fiche action ---


def test_sheet_follows_the_ars_order_with_totals(client, coordinator, actions):
    action = actions["own"]
    _add_events(action, 2)
    client.force_login(coordinator)
    response = client.get(reverse("action_detail", args=[action.pk]))
    page = html.unescape(response.content.decode())
    body = page[page.index("fiche-action") :]
    headings = [
        "Intitulé de l'action",
        "Mission(s) du contrat",
        "Éléments de diagnostic",
        "Objectif général",
        "Objectifs opérationnels",
        "Description de l'action",
        "Public bénéficiaire",
        "Acteurs et partenaires",
        "Groupe de travail (pilotage)",
        "Date de début",
        "Étapes clés",
        "Date de fin prévue",
        "Statut",
    ]
    positions = [body.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert "05/01/2026" in body and "30/11/2026" in body
    assert response.context["totals"].events == 2
    assert response.context["totals"].professionals == 4
    assert response.context["totals"].public == 6
    assert response.context["totals"].mobilised == 2


def test_referent_reaches_only_their_groups_sheet(client, referent, actions):
    client.force_login(referent)
    assert client.get(reverse("action_detail", args=[actions["own"].pk])).status_code == 200
    for key in ("other", "none"):
        assert client.get(reverse("action_detail", args=[actions[key].pk])).status_code == 404
        assert client.get(reverse("action_edit", args=[actions[key].pk])).status_code == 404
    assert client.get(reverse("action_detail", args=[999_999])).status_code == 404


def test_board_reads_the_sheet_but_cannot_write(client, president, actions):
    client.force_login(president)
    action = actions["own"]
    response = client.get(reverse("action_detail", args=[action.pk]))
    assert response.status_code == 200
    assert reverse("action_edit", args=[action.pk]) not in response.content.decode()
    assert client.get(reverse("action_edit", args=[action.pk])).status_code == 403
    assert client.post(reverse("action_delete", args=[action.pk])).status_code == 403


# --- Creation and edition ---


def test_coordinator_creates_an_action(client, coordinator, association):
    client.force_login(coordinator)
    response = client.post(reverse("action_create"), _post_data())
    action = Action.objects.get(title="Soirées pluripro")
    assert response.status_code == 302
    assert response["Location"] == reverse("action_detail", args=[action.pk])
    assert action.working_group is None
    assert action.start == date(2026, 2, 1)


def test_dates_typed_day_first_are_understood(client, coordinator, association):
    client.force_login(coordinator)
    client.post(reverse("action_create"), _post_data(start="01/02/2026", planned_end=""))
    assert Action.objects.get().start == date(2026, 2, 1)


def test_planned_end_before_start_is_shown_on_the_field(client, coordinator, association):
    client.force_login(coordinator)
    response = client.post(
        reverse("action_create"), _post_data(start="2026-06-01", planned_end="2026-05-01")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["planned_end"] == [
        "La fin prévue ne peut précéder le début de l'action."
    ]
    assert not Action.objects.exists()


def test_no_mission_is_refused(client, coordinator, association):
    client.force_login(coordinator)
    response = client.post(reverse("action_create"), _post_data(missions=[]))
    assert response.context["form"].errors["missions"] == ["Choisissez au moins une mission."]


def test_referent_creates_only_in_their_groups(
    client, referent, own_group, other_group, association
):
    client.force_login(referent)
    response = client.get(reverse("action_create"))
    assert list(response.context["form"].fields["working_group"].queryset) == [own_group]
    response = client.post(reverse("action_create"), _post_data(working_group=other_group.pk))
    assert response.status_code == 200
    assert "working_group" in response.context["form"].errors
    response = client.post(reverse("action_create"), _post_data(working_group=""))
    assert "working_group" in response.context["form"].errors
    assert not Action.objects.exists()
    response = client.post(reverse("action_create"), _post_data(working_group=own_group.pk))
    assert response.status_code == 302
    assert Action.objects.get().working_group == own_group


def test_referent_edits_their_groups_action(client, referent, actions, other_group):
    client.force_login(referent)
    action = actions["own"]
    url = reverse("action_edit", args=[action.pk])
    response = client.post(url, _post_data(working_group=other_group.pk))
    assert "working_group" in response.context["form"].errors
    response = client.post(url, _post_data(title="Renommée", working_group=action.working_group_id))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "Renommée"


def test_refused_personas_cannot_create(client, adherent, tresorier, association):
    assert client.get(reverse("action_create")).status_code == 302
    for user in (adherent, tresorier):
        client.force_login(user)
        assert client.get(reverse("action_create")).status_code == 403
        assert client.post(reverse("action_create"), _post_data()).status_code == 403
    assert not Action.objects.exists()


# --- Deletion ---


def test_delete_is_refused_while_the_action_has_events(client, coordinator, actions):
    client.force_login(coordinator)
    action = actions["none"]
    _add_events(action, 1)
    response = client.post(reverse("action_delete", args=[action.pk]), follow=True)
    assert Action.objects.filter(pk=action.pk).exists()
    assert "supprimez-les d'abord" in html.unescape(response.content.decode())
    response = client.post(reverse("action_delete", args=[actions["other"].pk]))
    assert response["Location"] == reverse("action_list")
    assert not Action.objects.filter(pk=actions["other"].pk).exists()
    assert client.get(reverse("action_delete", args=[action.pk])).status_code == 405


# --- Linked meetings ---


def test_referent_links_and_unlinks_a_meeting_of_the_group(client, referent, actions, other_group):
    action = actions["own"]
    own = Meeting.objects.create(
        body=action.working_group, title="Réunion IC", starts_at=timezone.now() - timedelta(days=3)
    )
    foreign = Meeting.objects.create(body=other_group, title="Autre", starts_at=timezone.now())
    client.force_login(referent)
    url = reverse("action_meeting_link", args=[action.pk])
    response = client.post(url, {"meeting": foreign.pk}, follow=True)
    assert "Choisissez une réunion du groupe de travail de l'action." in (
        html.unescape(response.content.decode())
    )
    assert not action.meetings.exists()
    response = client.post(url, {"meeting": own.pk})
    assert response["Location"].endswith("#reunions")
    assert list(action.meetings.all()) == [own]
    sheet = client.get(reverse("action_detail", args=[action.pk])).content.decode()
    assert reverse("meeting_detail", args=[own.pk]) in sheet
    unlink = reverse("action_meeting_unlink", args=[action.pk, own.pk])
    assert client.post(unlink).status_code == 302
    assert not action.meetings.exists()
    assert client.post(unlink).status_code == 404  # no longer linked
    other_url = reverse("action_meeting_link", args=[actions["other"].pk])
    assert client.post(other_url, {"meeting": foreign.pk}).status_code == 404


def test_link_choices_leave_out_meetings_already_linked(client, referent, actions):
    action = actions["own"]
    linked, free = (
        Meeting.objects.create(
            body=action.working_group, title=title, starts_at=timezone.now() - timedelta(days=days)
        )
        for title, days in (("Réunion liée", 5), ("Réunion libre", 2))
    )
    action.meetings.add(linked)
    choices = list(selectors.linkable_meetings(action))
    assert choices == [free]
    client.force_login(referent)
    sheet = client.get(reverse("action_detail", args=[action.pk])).content.decode()
    assert f'<option value="{free.pk}"' in sheet
    assert f'<option value="{linked.pk}"' not in sheet
    url = reverse("action_meeting_link", args=[action.pk])
    client.post(url, {"meeting": free.pk})
    sheet = client.get(reverse("action_detail", args=[action.pk])).content.decode()
    assert 'name="meeting"' not in sheet  # nothing left to link: no select at all
