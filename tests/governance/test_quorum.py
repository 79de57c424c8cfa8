"""The live quorum during a held AG: members present plus members represented by a holder who
is present; the panel polled by the attendance page."""

from __future__ import annotations

import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import (
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    Mandate,
    MandateRole,
    Meeting,
    MeetingStatus,
    Proxy,
    Statutes,
)
from governance.selectors.voting import quorum_for
from governance.services.attendance import set_attendance
from governance.services.proxies import give_proxy
from tests.factories import MemberFactory
from tests.governance.test_proxies import convene, make_meeting, voting_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_ag(association, coordinator):
    """An AG of 8 voting members (quorum 25 % → 2), held since an hour; before it started,
    Arnaud gave a proxy to Bernard."""
    statutes = Statutes.objects.get_solo()
    statutes.ag_quorum_percent = Decimal("25")
    statutes.save()
    meeting = make_meeting(starts_in=timedelta(days=1))
    members = [voting_member(meeting, last_name=f"Membre{i}") for i in range(8)]
    convene(meeting, *members)
    give_proxy(meeting, members[0], members[1], coordinator)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=1),
        status=MeetingStatus.HELD,
        held_at=timezone.now(),
    )
    meeting.refresh_from_db()
    return meeting, members


def test_present_and_represented_make_the_quorum(held_ag, coordinator):
    meeting, members = held_ag
    set_attendance(meeting, members[1], AttendanceStatus.PRESENT, coordinator)  # the holder
    quorum = quorum_for(meeting)
    assert quorum is not None
    assert (quorum.voting_members, quorum.present, quorum.represented) == (8, 1, 1)
    assert quorum.required == 2
    assert quorum.reached


def test_a_holder_absent_carries_no_representation(held_ag, coordinator):
    meeting, members = held_ag
    set_attendance(meeting, members[2], AttendanceStatus.PRESENT, coordinator)
    for status in (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED):
        set_attendance(meeting, members[1], status, coordinator)
        quorum = quorum_for(meeting)
        assert quorum is not None
        assert (quorum.present, quorum.represented) == (1, 0)
        assert not quorum.reached and quorum.missing == 1
    # The giver's row still says who represents them: nothing was rewritten.
    row = Attendance.objects.get(meeting=meeting, member=members[0])
    assert (row.status, row.represented_by) == (AttendanceStatus.REPRESENTED, members[1])
    # The holder arrives: the representation counts again.
    set_attendance(meeting, members[1], AttendanceStatus.PRESENT, coordinator)
    quorum = quorum_for(meeting)
    assert quorum is not None
    assert (quorum.present, quorum.represented, quorum.reached) == (2, 1, True)


def test_a_giver_who_comes_counts_once_as_present(held_ag, coordinator):
    meeting, members = held_ag
    set_attendance(meeting, members[1], AttendanceStatus.PRESENT, coordinator)
    set_attendance(meeting, members[0], AttendanceStatus.PRESENT, coordinator)
    quorum = quorum_for(meeting)
    assert quorum is not None
    assert (quorum.present, quorum.represented, quorum.counted) == (2, 0, 2)
    assert Proxy.objects.filter(meeting=meeting).count() == 1


def test_members_without_voting_right_do_not_count(held_ag, coordinator):
    meeting, _members = held_ag
    late = MemberFactory.create()
    convene(meeting, late)
    set_attendance(meeting, late, AttendanceStatus.PRESENT, coordinator)
    quorum = quorum_for(meeting)
    assert quorum is not None
    assert (quorum.voting_members, quorum.present) == (8, 0)


def test_the_panel_shows_the_figures(client, held_ag, coordinator):
    meeting, members = held_ag
    client.force_login(coordinator)
    url = reverse("meeting_quorum", args=[meeting.pk])
    page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Quorum non atteint" in page
    assert 'data-testid="quorum-required">2<' in page
    assert 'data-testid="quorum-missing">2<' in page
    assert "1 procuration non comptée" in page
    set_attendance(meeting, members[1], AttendanceStatus.PRESENT, coordinator)
    page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Quorum atteint" in page
    assert 'data-testid="quorum-voting">8<' in page
    assert 'data-testid="quorum-present">1<' in page
    assert 'data-testid="quorum-represented">1<' in page
    assert "quorum-missing" not in page


def test_a_second_convocation_deliberates_without_quorum(client, held_ag, coordinator):
    first, _members = held_ag
    second = make_meeting(starts_in=timedelta(days=-1), status=MeetingStatus.HELD)
    second.second_convocation_of = first
    second.save()
    quorum = quorum_for(second)
    assert quorum is not None and quorum.waived and quorum.reached
    client.force_login(coordinator)
    page = client.get(reverse("meeting_quorum", args=[second.pk])).content.decode()
    assert "délibère sans condition de quorum" in page
    statutes = Statutes.objects.get_solo()
    statutes.second_convocation_without_quorum = False
    statutes.save()
    page = client.get(reverse("meeting_quorum", args=[second.pk])).content.decode()
    assert "Quorum non atteint" in page


def test_a_board_meeting_counts_the_board_members(client, association, coordinator):
    ca = Body.objects.get_or_create(kind=BodyKind.CA, defaults={"name": "CA"})[0]
    board = [MemberFactory.create() for _ in range(3)]
    for member in board:
        Mandate.objects.create(
            member=member,
            body=ca,
            role=MandateRole.ADMINISTRATEUR,
            start_date=datetime.date(2020, 1, 1),
        )
    meeting = make_meeting(BodyKind.CA, title="Conseil", starts_in=timedelta(hours=-1))
    set_attendance(meeting, board[0], AttendanceStatus.PRESENT, coordinator)
    quorum = quorum_for(meeting)
    assert quorum is not None
    assert (quorum.voting_members, quorum.present, quorum.required) == (3, 1, 2)
    set_attendance(meeting, board[1], AttendanceStatus.PRESENT, coordinator)
    quorum = quorum_for(meeting)
    assert quorum is not None and quorum.reached
