"""Attendance ticking: the service's rules, the tablet page and its htmx marking, access per
persona (a référent only reaches their own group's meetings), constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cpts.models import GeneratedDocument
from governance.models import (
    Attendance,
    AttendanceStatus,
    BodyKind,
    Mandate,
    MandateRole,
    MeetingStatus,
    Proxy,
)
from governance.selectors.attendance import attendance_figures, attendance_rows, invitees
from governance.services.attendance import set_attendance
from governance.services.proxies import give_proxy
from tests.factories import MemberFactory
from tests.governance.test_proxies import convene, make_meeting, voting_member

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def later_today() -> datetime.timedelta:
    """How far the meeting of these tests starts: later today (Paris date), so attendance can
    be ticked and proxies are still open (a minute ahead only in the day's last minute)."""
    now = timezone.localtime()
    evening = now.replace(hour=23, minute=59, second=0, microsecond=0)
    return max(evening - now, datetime.timedelta(minutes=1))


@pytest.fixture
def ag(association):
    return make_meeting(place="Salle des fêtes de Lodève", starts_in=later_today())


@pytest.fixture
def people(ag, coordinator):
    """Four convened voting members; Arnaud gave a proxy to Bernard."""
    members = [
        # Fixed first names: a random "Arnaud" would also match the searches below.
        voting_member(ag, last_name=name, first_name="Claude")
        for name in ("Arnaud", "Bernard", "Chevalier", "Dumas")
    ]
    convene(ag, *members)
    give_proxy(ag, members[0], members[1], coordinator)
    return members


def mark_url(meeting, member):
    return reverse("attendance_mark", args=[meeting.pk, member.pk])


# --- Service ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["present", "excused", "absent"])
def test_set_attendance_records_each_status_once(ag, people, coordinator, status):
    member = people[2]
    set_attendance(ag, member, status, coordinator)
    set_attendance(ag, member, status, coordinator)
    row = Attendance.objects.get(meeting=ag, member=member)
    assert (row.status, row.represented_by, row.recorded_by) == (status, None, coordinator)


def test_set_attendance_refuses_an_unknown_status(ag, people, coordinator):
    with pytest.raises(ValidationError) as exc:
        set_attendance(ag, people[2], "late", coordinator)
    assert exc.value.message_dict["status"] == ["Choisissez une présence valide."]


def test_attendance_is_frozen_once_cancelled_or_approved(association, coordinator):
    for status, message in (
        (MeetingStatus.CANCELLED, "annulée"),
        (MeetingStatus.MINUTES_APPROVED, "procès-verbal est approuvé"),
    ):
        meeting = make_meeting(status=status)
        member = voting_member(meeting)
        with pytest.raises(ValidationError) as exc:
            set_attendance(meeting, member, AttendanceStatus.PRESENT, coordinator)
        assert message in exc.value.messages[0]


def test_a_giver_who_comes_is_present_and_the_proxy_row_stays(ag, people, coordinator):
    giver = people[0]
    set_attendance(ag, giver, AttendanceStatus.PRESENT, coordinator)
    row = Attendance.objects.get(meeting=ag, member=giver)
    assert (row.status, row.represented_by) == (AttendanceStatus.PRESENT, None)
    assert Proxy.objects.filter(meeting=ag, giver=giver).exists()
    # Back to represented by the same holder (a mistake corrected).
    set_attendance(ag, giver, AttendanceStatus.REPRESENTED, coordinator)
    row.refresh_from_db()
    assert (row.status, row.represented_by) == (AttendanceStatus.REPRESENTED, people[1])


def test_a_giver_cannot_be_excused_nor_someone_represented_without_proxy(ag, people, coordinator):
    with pytest.raises(ValidationError) as exc:
        set_attendance(ag, people[0], AttendanceStatus.EXCUSED, coordinator)
    assert "a donné procuration à" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        set_attendance(ag, people[2], AttendanceStatus.REPRESENTED, coordinator)
    assert "n'a donné procuration à personne" in exc.value.messages[0]


# --- Selectors --------------------------------------------------------------------------------


def test_rows_show_voting_rights_statuses_and_proxies(ag, people, coordinator):
    late = MemberFactory.create(last_name="Zola")  # no adhesion: no vote
    convene(ag, late)
    set_attendance(ag, people[1], AttendanceStatus.PRESENT, coordinator)
    rows = {row.member.last_name: row for row in attendance_rows(ag)}
    assert list(rows) == ["Arnaud", "Bernard", "Chevalier", "Dumas", "Zola"]
    assert rows["Arnaud"].status == AttendanceStatus.REPRESENTED
    assert rows["Arnaud"].represented_by == people[1]
    assert rows["Arnaud"].proxy_given_to == people[1]
    assert rows["Arnaud"].representation_counted
    assert rows["Bernard"].proxies_held == [people[0]]
    assert rows["Chevalier"].status == ""
    assert rows["Zola"].can_vote is False and rows["Dumas"].can_vote is True


def test_figures_count_each_status(ag, people, coordinator):
    set_attendance(ag, people[1], AttendanceStatus.PRESENT, coordinator)
    set_attendance(ag, people[2], AttendanceStatus.EXCUSED, coordinator)
    figures = attendance_figures(ag)
    assert (figures.invited, figures.voting) == (4, 4)
    assert (figures.present, figures.represented, figures.excused, figures.absent) == (1, 1, 1, 0)
    assert figures.not_recorded == 1
    assert figures.quorum is not None and figures.quorum.counted == 2


def test_without_convocations_a_meeting_expects_the_body_members(association, referent):
    group = Mandate.objects.get(member__user=referent, role=MandateRole.REFERENT).body
    meeting = make_meeting(BodyKind.GROUP, title="Réunion du groupe")
    meeting.body = group
    meeting.save()
    other = MemberFactory.create(last_name="Membre")
    Mandate.objects.create(
        member=other, body=group, role=MandateRole.MEMBRE, start_date=datetime.date(2020, 1, 1)
    )
    MemberFactory.create(last_name="Ailleurs")
    assert set(invitees(meeting)) == {referent.member, other}
    assert attendance_figures(meeting).quorum is None


# --- Views ------------------------------------------------------------------------------------


def test_the_attendance_page_lists_members_with_buttons(client, ag, people, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("meeting_attendance", args=[ag.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for name in ("ARNAUD", "BERNARD", "CHEVALIER", "DUMAS"):
        assert name in page
    assert "représenté·e par" in page
    assert f'id="attendance-row-{people[2].pk}"' in page
    assert 'value="excused"' in page and 'value="absent"' in page
    assert 'id="quorum-panel"' in page and 'hx-trigger="every 10s"' in page
    assert "data-attendance-search" in page
    assert reverse("meeting_proxy_add", args=[ag.pk]) in page  # proxies still open


def test_marking_with_htmx_returns_the_row_and_the_quorum_out_of_band(
    client, ag, people, coordinator
):
    client.force_login(coordinator)
    holder = people[1]
    response = client.post(mark_url(ag, holder), {"status": "present"}, headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert Attendance.objects.get(meeting=ag, member=holder).status == AttendanceStatus.PRESENT
    assert page.lstrip().startswith("<li")
    assert f'id="attendance-row-{holder.pk}"' in page
    # The giver's row comes back too (their representation now counts), out of band.
    assert f'id="attendance-row-{people[0].pk}"' in page
    assert page.count('hx-swap-oob="true"') == 2
    assert 'id="quorum-panel"' in page and "Quorum atteint" in page


def test_a_refused_mark_shows_the_error_in_the_row(client, ag, people, coordinator):
    client.force_login(coordinator)
    response = client.post(mark_url(ag, people[0]), {"status": "absent"}, headers=HTMX)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert Attendance.objects.get(meeting=ag, member=people[0]).status == "represented"
    response = client.post(mark_url(ag, people[2]), {"status": "bof"}, headers=HTMX)
    assert "Choisissez une présence valide." in response.content.decode()


def test_marking_without_htmx_redirects_with_a_message(client, ag, people, coordinator):
    client.force_login(coordinator)
    response = client.post(mark_url(ag, people[2]), {"status": "excused"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("meeting_attendance", args=[ag.pk])
    assert "Présence de" in response.content.decode()
    assert Attendance.objects.get(meeting=ag, member=people[2]).status == "excused"


def test_marking_someone_not_expected_is_404(client, ag, people, coordinator):
    client.force_login(coordinator)
    stranger = MemberFactory.create()
    assert client.post(mark_url(ag, stranger), {"status": "present"}).status_code == 404
    assert not Attendance.objects.filter(member=stranger).exists()


def test_the_board_reads_but_does_not_mark(client, ag, people, tresorier, president):
    client.force_login(tresorier)
    page = client.get(reverse("meeting_attendance", args=[ag.pk])).content.decode()
    assert "ARNAUD" in page and "hx-post" not in page
    assert client.post(mark_url(ag, people[2]), {"status": "present"}).status_code == 403
    client.force_login(president)
    assert client.post(mark_url(ag, people[2]), {"status": "present"}).status_code == 302


def test_a_referent_runs_their_group_only(client, association, referent):
    group = Mandate.objects.get(member__user=referent, role=MandateRole.REFERENT).body
    own = make_meeting(
        BodyKind.GROUP, title="Notre réunion", status=MeetingStatus.PLANNED, starts_in=later_today()
    )
    own.body = group
    own.save()
    elsewhere = make_meeting(BodyKind.GROUP, title="Autre", status=MeetingStatus.PLANNED)
    client.force_login(referent)
    member = referent.member
    response = client.get(reverse("meeting_attendance", args=[own.pk]))
    assert response.status_code == 200
    assert "pas de quorum" in response.content.decode()
    response = client.post(mark_url(own, member), {"status": "present"}, headers=HTMX)
    assert response.status_code == 200
    assert Attendance.objects.get(meeting=own, member=member).status == "present"
    for name in ("meeting_attendance", "meeting_quorum"):
        assert client.get(reverse(name, args=[elsewhere.pk])).status_code == 404
    Mandate.objects.create(
        member=member,
        body=elsewhere.body,
        role=MandateRole.MEMBRE,
        start_date=datetime.date(2020, 1, 1),
    )
    assert client.post(mark_url(elsewhere, member), {"status": "present"}).status_code == 404
    assert not Attendance.objects.filter(meeting=elsewhere).exists()


def test_the_sheet_request_redirects_to_the_document(client, ag, people, coordinator, settings):
    client.force_login(coordinator)
    response = client.post(reverse("attendance_sheet_request", args=[ag.pk]))
    document = GeneratedDocument.objects.get(kind="attendance_sheet")
    assert response.status_code == 302
    assert response["Location"] == reverse("document_detail", args=[document.pk])
    assert document.parameters["meeting_id"] == ag.pk
    assert document.requested_by == coordinator


def _page_queries(client, meeting, query: str = "") -> int:
    url = reverse("meeting_attendance", args=[meeting.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{url}?{query}" if query else url)
    assert response.status_code == 200
    return len(queries)


def _mark_queries(client, meeting, member) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(mark_url(meeting, member), {"status": "present"}, headers=HTMX)
    assert response.status_code == 200
    return len(queries)


def _crowded_ag(size: int, coordinator):
    """An AG with ``size`` convened voting members (more than a page for 60), a third marked
    present and two proxies."""
    meeting = make_meeting(title=f"AG {size}", starts_in=later_today())
    members = [voting_member(meeting, last_name=f"Membre{n:03d}") for n in range(size)]
    convene(meeting, *members)
    for index, member in enumerate(members):
        if index % 3 == 0:
            set_attendance(meeting, member, AttendanceStatus.PRESENT, coordinator)
    give_proxy(meeting, members[1], members[0], coordinator)
    give_proxy(meeting, members[2], members[3], coordinator)
    return meeting, members


def test_the_attendance_page_runs_a_constant_number_of_queries(client, association, coordinator):
    counts = []
    for size in (5, 60):
        meeting, members = _crowded_ag(size, coordinator)
        client.force_login(coordinator)
        _page_queries(client, meeting)  # warm-up: session and caches
        counts.append(
            (
                _page_queries(client, meeting),
                _page_queries(client, meeting, "q=membre&statut=presents&page=2"),
                _page_queries(client, meeting, "mandant=membre&mandataire=membre"),
                _mark_queries(client, meeting, members[0]),
            )
        )
    assert counts[0] == counts[1]


def _rows_in(page: str) -> int:
    return page.count("data-attendance-row")


def test_the_attendance_list_is_paginated(client, association, coordinator):
    meeting, members = _crowded_ag(60, coordinator)
    client.force_login(coordinator)
    url = reverse("meeting_attendance", args=[meeting.pk])
    first = client.get(url).content.decode()
    assert _rows_in(first) == 50
    assert "60 membres" in first and "Page 1 sur 2" in first
    assert f'id="attendance-row-{members[0].pk}"' in first
    second = client.get(f"{url}?page=2").content.decode()
    assert _rows_in(second) == 10
    assert f'id="attendance-row-{members[59].pk}"' in second
    # The figures count every invitee, not the page.
    assert "20 / 60" in second
    # A page number that does not parse or is out of range still answers.
    assert _rows_in(client.get(f"{url}?page=abc").content.decode()) == 50
    assert _rows_in(client.get(f"{url}?page=999").content.decode()) == 10


def test_the_search_ignores_accents_and_case(client, ag, people, coordinator):
    eloise = voting_member(ag, first_name="Éloïse", last_name="Hérault")
    pharmacy = voting_member(ag, last_name="Vidal", organisation_name="Pharmacie du Pont")
    convene(ag, eloise, pharmacy)
    client.force_login(coordinator)
    url = reverse("meeting_attendance", args=[ag.pk])
    for query, expected in (
        ("herault", eloise),
        ("ELOISE hérault", eloise),
        ("pharmacie pont", pharmacy),
        ("CHEVAL", people[2]),
    ):
        page = client.get(url, {"q": query}).content.decode()
        assert _rows_in(page) == 1, query
        assert f'id="attendance-row-{expected.pk}"' in page
    page = client.get(url, {"q": "zzz"}).content.decode()
    assert _rows_in(page) == 0
    assert "Aucun membre ne correspond à cette recherche." in page
    assert 'value="zzz"' in page  # the box keeps the search (GET form without JavaScript)
    for odd in ("a" * 500, "%", "_", "é"):
        assert client.get(url, {"q": odd, "mandant": odd, "page": odd}).status_code == 200


def test_the_status_filter(client, ag, people, coordinator):
    unpaid = MemberFactory.create(last_name="Zola")  # no adhesion: no vote
    convene(ag, unpaid)
    set_attendance(ag, people[1], AttendanceStatus.PRESENT, coordinator)
    set_attendance(ag, people[2], AttendanceStatus.EXCUSED, coordinator)
    set_attendance(ag, unpaid, AttendanceStatus.ABSENT, coordinator)
    client.force_login(coordinator)
    url = reverse("meeting_attendance", args=[ag.pk])
    expected = {
        "": {*people, unpaid},
        "non-pointes": {people[3]},
        "presents": {people[1]},
        "representes": {people[0]},
        "excuses": {people[2]},
        "absents": {unpaid},
        "votants": set(people),
        "bof": {*people, unpaid},  # an unknown filter is ignored
    }
    for status, members in expected.items():
        page = client.get(url, {"statut": status}).content.decode()
        shown = {m for m in (*people, unpaid) if f'id="attendance-row-{m.pk}"' in page}
        assert shown == members, status
    page = client.get(url, {"statut": "presents"}).content.decode()
    assert 'value="presents" id="statut-presents" autocomplete="off" checked' in page


def test_htmx_gets_the_list_alone(client, ag, people, coordinator):
    client.force_login(coordinator)
    url = reverse("meeting_attendance", args=[ag.pk])
    headers = {**HTMX, "HX-Target": "attendance-results"}
    response = client.get(url, {"q": "arnaud"}, headers=headers)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="attendance-results"')
    assert _rows_in(page) == 1 and "quorum-panel" not in page
    assert "HX-Target" in response["Vary"]
    # The whole page names the htmx search of the box and of the status filter.
    page = client.get(url).content.decode()
    assert 'hx-trigger="input changed delay:300ms, search"' in page
    assert 'hx-target="#attendance-results"' in page


def test_the_paper_proxy_selects_list_searched_invitees_only(client, ag, people, coordinator):
    stranger = voting_member(ag, last_name="Arnoux")  # not convened
    client.force_login(coordinator)
    url = reverse("meeting_attendance", args=[ag.pk])
    page = client.get(url).content.decode()
    assert "Rechercher le ou la mandant·e" in page
    for member in people:
        assert f'<option value="{member.pk}"' not in page
    response = client.get(
        url,
        {"mandant": "arn", "mandataire": "dum"},
        headers={**HTMX, "HX-Target": "paper-proxy-form"},
    )
    form = response.content.decode()
    assert form.lstrip().startswith('<form id="paper-proxy-form"')
    assert form.count(f'<option value="{people[0].pk}"') == 1
    assert form.count(f'<option value="{people[3].pk}"') == 1
    assert f'<option value="{people[1].pk}"' not in form
    assert f'<option value="{stranger.pk}"' not in form


def test_the_paper_proxy_form_stays_open_in_session_and_closes_once_held(
    client, association, coordinator
):
    started = make_meeting(starts_in=datetime.timedelta(hours=-1))
    client.force_login(coordinator)
    url = reverse("meeting_attendance", args=[started.pk])
    in_session = client.get(url).content.decode()
    assert "paper-proxy-form" in in_session  # handed in at the door
    started.status = MeetingStatus.HELD
    started.save()
    response = client.get(url, {"mandant": "a"}, headers={**HTMX, "HX-Target": "paper-proxy-form"})
    page = response.content.decode()
    assert "paper-proxy-form" not in page
    assert "Les procurations sont closes : l&#x27;AG est terminée." in page


def test_the_quorum_fragment_can_be_polled(client, ag, people, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("meeting_quorum", args=[ag.pk]), headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith("<section")
    assert "Quorum non atteint" in page


def test_attendance_and_proxies_leave_an_audit_record(ag, people, coordinator):
    from auditlog.models import LogEntry

    attendance = set_attendance(ag, people[2], AttendanceStatus.PRESENT, coordinator)
    assert LogEntry.objects.get_for_object(attendance).exists()
    proxy = Proxy.objects.get(meeting=ag, giver=people[0])
    assert LogEntry.objects.get_for_object(proxy).exists()


# --- The meeting's day; voting labels ---------------------------------------------------------


def test_attendance_is_ticked_from_the_meeting_day_paris_date(association, coordinator):
    paris = timezone.get_current_timezone()
    meeting = make_meeting(starts_in=datetime.timedelta(days=10))
    meeting.starts_at = datetime.datetime(2030, 3, 10, 9, 0, tzinfo=paris)
    meeting.save()
    member = voting_member(meeting)
    eve = datetime.datetime(2030, 3, 9, 23, 30, tzinfo=paris)
    with pytest.raises(ValidationError) as exc:
        set_attendance(meeting, member, AttendanceStatus.PRESENT, coordinator, now=eve)
    assert exc.value.messages == [
        "Les présences se saisissent le jour de la réunion, à partir du 10/03/2030 : les "
        "boutons apparaîtront ce jour-là."
    ]
    assert not Attendance.objects.filter(meeting=meeting).exists()
    # 23:30 UTC on the 9th is already the 10th in Paris: the morning of the meeting.
    utc_eve = datetime.datetime(2030, 3, 9, 23, 30, tzinfo=datetime.UTC)
    set_attendance(meeting, member, AttendanceStatus.PRESENT, coordinator, now=utc_eve)
    assert Attendance.objects.get(meeting=meeting, member=member).status == "present"


def test_the_page_says_why_there_are_no_buttons_before_the_day(client, association, coordinator):
    meeting = make_meeting(starts_in=datetime.timedelta(days=10))
    member = voting_member(meeting, last_name="Arnaud")
    convene(meeting, member)
    client.force_login(coordinator)
    page = client.get(reverse("meeting_attendance", args=[meeting.pk])).content.decode()
    day = timezone.localdate(meeting.starts_at)
    assert f"Les présences se saisissent le jour de la réunion, à partir du {day:%d/%m/%Y}" in page
    assert "ARNAUD" in page and mark_url(meeting, member) not in page
    response = client.post(mark_url(meeting, member), {"status": "present"}, follow=True)
    assert "Les présences se saisissent le jour de la réunion" in response.content.decode()
    assert not Attendance.objects.filter(meeting=meeting).exists()
    # A proxy is still given before the day.
    holder = voting_member(meeting, last_name="Bernard")
    convene(meeting, holder)
    give_proxy(meeting, member, holder, coordinator)
    assert Proxy.objects.filter(meeting=meeting, giver=member).exists()


def test_only_an_ag_shows_voting_rights_in_the_rows(
    client, association, referent, coordinator, ag, people
):
    group = Mandate.objects.get(member__user=referent, role=MandateRole.REFERENT).body
    meeting = make_meeting(BodyKind.GROUP, title="Atelier", starts_in=later_today())
    meeting.body = group
    meeting.save()
    convene(meeting, referent.member)
    client.force_login(referent)
    page = client.get(reverse("meeting_attendance", args=[meeting.pk])).content.decode()
    assert f'id="attendance-row-{referent.member.pk}"' in page
    assert "sans droit de vote" not in page and "votant·e" not in page
    client.force_login(coordinator)
    ag_page = client.get(reverse("meeting_attendance", args=[ag.pk])).content.decode()
    assert ag_page.count("votant·e") >= len(people)
