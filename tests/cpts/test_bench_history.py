"""The benchmark's five years of history (cpts/bench/history.py), at a tiny scale: a unit of
ten members, two years, one AG, one CA and two Bureau meetings a year, groups of three."""

from __future__ import annotations

import datetime
from types import MappingProxyType
from unittest import mock

import pytest
from django.utils import timezone

from cpts.bench import governance, history
from cpts.bench.targets import JOBS, PAGES
from governance.models import (
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    Mandate,
    MandateRole,
    Meeting,
    MeetingStatus,
    Minutes,
)
from members.models import Adhesion
from members.models.members import MemberStatus
from missions.models import Event, ParticipantCount
from tests.factories import MemberFactory

LONG_AGO = datetime.date(2000, 1, 1)


@pytest.fixture
def tiny(monkeypatch: pytest.MonkeyPatch, association: object) -> None:
    for name, value in {
        "YEARS": 2,
        "MEMBERS_PER_UNIT": 10,
        "AG_MEETINGS": 1,
        "CA_MEETINGS": 1,
        "BUREAU_MEETINGS": 2,
        "AG_SHARE": 1.0,
        "GROUP_MEETINGS": 1,
        "ACTIONS": 1,
        "EVENTS": 3,
    }.items():
        monkeypatch.setattr(history, name, value)
    monkeypatch.setattr(governance, "MEMBERS_PER_GROUP", 10)
    monkeypatch.setattr(governance, "GROUP_SIZE", 3)


def _unit_members() -> list[int]:
    """Ten active members, the last one joined ten days ago (after every AG of the
    history); two CA administrators and a Bureau president among them; a candidate."""
    today = timezone.localdate()
    members = MemberFactory.create_batch(9, joined_on=LONG_AGO)
    members.append(MemberFactory.create(joined_on=today - datetime.timedelta(days=10)))
    MemberFactory.create(joined_on=LONG_AGO, status=MemberStatus.CANDIDATE)
    ca = Body.objects.get_or_create(kind=BodyKind.CA, defaults={"name": "CA"})[0]
    bureau = Body.objects.get_or_create(kind=BodyKind.BUREAU, defaults={"name": "Bureau"})[0]
    for member, body, role in (
        (members[0], ca, MandateRole.ADMINISTRATEUR),
        (members[1], ca, MandateRole.ADMINISTRATEUR),
        (members[2], bureau, MandateRole.PRESIDENT),
    ):
        Mandate.objects.create(member=member, body=body, role=role, start_date=LONG_AGO)
    return [member.pk for member in members]


def test_history_grows_the_expected_rows_and_a_second_call_adds_nothing(tiny: None):
    unit = _unit_members()
    counts = history.grow_history(scale=1)

    # 2 years x (1 AG + 1 CA + 2 Bureau) + 1 group x 2 years x 1 meeting.
    assert counts.units == 1
    assert counts.meetings == 10
    # AG: 9 members joined before it, x 2; CA: 2 x 2; Bureau: 1 x 2 x 2; group: 3 x 2.
    assert counts.attendances == 18 + 4 + 4 + 6 == 32
    ag = Attendance.objects.filter(
        meeting__body__kind=BodyKind.AG, meeting__title__contains="unité"
    )
    assert set(ag.values_list("member_id", flat=True)) == set(unit[:9])
    # Unit positions 1, 2, 4, 5, 7 (of 0-7) and group position 1 (of 0-1): approved.
    assert counts.minutes_approved == 6
    mine = Meeting.objects.filter(title__startswith=history.HISTORY_PREFIX)
    assert Minutes.objects.filter(meeting__in=mine).count() == 10
    assert mine.filter(status=MeetingStatus.MINUTES_APPROVED).count() == 6
    assert counts.actions == 2
    assert counts.events == 6
    # Two public events a year (atelier, stand) with three age bands each.
    public = ParticipantCount.objects.exclude(age_band="")
    assert public.count() == 12
    assert 12 <= ParticipantCount.objects.filter(age_band="").count() <= 24
    # 9 members x 2 past calendar years; the newcomer has none.
    assert counts.adhesions == 18
    assert not Adhesion.objects.filter(member_id=unit[9], year__lt=timezone.localdate().year)

    today = timezone.localdate()
    first = today - datetime.timedelta(days=365 * 2)
    for meeting in mine:
        assert first <= timezone.localdate(meeting.starts_at) < today
    assert all(first <= event.date < today for event in Event.objects.all())

    represented = Attendance.objects.filter(status=AttendanceStatus.REPRESENTED, meeting__in=mine)
    assert represented.count() == counts.proxies
    holders = set(represented.values_list("meeting_id", "represented_by_id"))
    present = Attendance.objects.filter(status=AttendanceStatus.PRESENT, meeting__in=mine)
    assert holders and holders <= set(present.values_list("meeting_id", "member_id"))

    assert history.grow_history(scale=1) == counts
    assert Meeting.objects.count() == mine.count() + 1  # and the governance bench AG


def test_history_is_cumulative(tiny: None):
    _unit_members()
    one = history.grow_history(scale=1)
    first_unit = set(Meeting.objects.filter(title__startswith=history.HISTORY_PREFIX))
    MemberFactory.create_batch(10, joined_on=LONG_AGO)

    two = history.grow_history(scale=2)

    # The second unit (8 meetings, 10 AG members x 2) and the second group (2 meetings).
    assert two.units == 2
    assert two.meetings == one.meetings + 8 + 2
    assert two.attendances == one.attendances + 20 + 4 + 4 + 6
    assert two.actions == one.actions + 2
    assert two.events == one.events + 6
    assert two.adhesions == one.adhesions + 20
    assert first_unit <= set(Meeting.objects.filter(title__startswith=history.HISTORY_PREFIX))
    assert history.grow_history(scale=2) == two


def test_dashboard_and_recomputation_are_measured_over_the_grown_history():
    dashboard = next(page for page in PAGES if page.url_name == "backoffice_home")
    assert dashboard.kwargs is not None
    with (
        mock.patch.object(history, "grown_kwargs", return_value={}) as grown,
        mock.patch("cpts.bench.claims.claims_kwargs", return_value={}) as claims,
    ):
        assert dashboard.kwargs() == {}
    grown.assert_called_once_with()
    claims.assert_called_once_with()  # the pending-claims block measured with claims waiting
    job = next(job for job in JOBS if job.kind == "indicator_recompute")
    assert job.parameters == MappingProxyType({"period": str(timezone.localdate().year - 1)})
    assert job.prepare is history.grow_history
