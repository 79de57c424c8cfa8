"""Reminders before a meeting: once per meeting, to the invitees who did not say they will
be absent or represented, through the Celery task."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import pytest
from django.core import mail
from django.utils import timezone

from governance.models import Convocation, ConvocationAnswer, Meeting, MeetingStatus
from governance.services.convocations import convene, send_reminders
from governance.tasks import send_meeting_reminders
from members.models import Member
from tests.factories import MemberFactory
from tests.governance.test_meetings import group, make_meeting, seat

pytestmark = pytest.mark.django_db


def convened_group_meeting(hours: float, answers: Sequence[str]) -> tuple[Meeting, list[Member]]:
    instance = group(f"Groupe {hours}")
    members = [MemberFactory.create() for _ in answers]
    for member in members:
        seat(member, instance)
    meeting = make_meeting(body=instance, days=hours / 24)
    convene(meeting)
    for member, answer in zip(members, answers, strict=True):
        Convocation.objects.filter(meeting=meeting, member=member).update(answer=answer)
    return meeting, members


def test_reminders_skip_absent_and_proxy_answers_and_are_sent_once(
    association, django_capture_on_commit_callbacks
):
    answers = [
        ConvocationAnswer.PENDING,
        ConvocationAnswer.PRESENT,
        ConvocationAnswer.ABSENT,
        ConvocationAnswer.PROXY,
    ]
    meeting, members = convened_group_meeting(24, answers)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([members[0].email, members[1].email])
    assert all(m.subject.startswith("Rappel") for m in mail.outbox)
    assert "pas encore répondu" in next(m for m in mail.outbox if m.to[0] == members[0].email).body
    meeting.refresh_from_db()
    assert meeting.reminded_at is not None
    assert Convocation.objects.filter(meeting=meeting, reminded_at__isnull=False).count() == 2

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == 0
    assert mail.outbox == []


def test_only_convened_meetings_within_48_hours_are_reminded(association):
    far, _ = convened_group_meeting(72, [ConvocationAnswer.PENDING])
    near, _ = convened_group_meeting(47, [ConvocationAnswer.PENDING])
    planned = make_meeting(days=1)
    assert send_reminders() == 1
    far.refresh_from_db()
    near.refresh_from_db()
    assert far.reminded_at is None and near.reminded_at is not None
    # Three days later the first one enters the window; the second has started.
    later = timezone.now() + datetime.timedelta(hours=30)
    assert send_reminders(later) == 1
    planned.refresh_from_db()
    assert planned.status == MeetingStatus.PLANNED and planned.reminded_at is None


def test_the_celery_task_runs_the_reminders(association, django_capture_on_commit_callbacks):
    convened_group_meeting(10, [ConvocationAnswer.PENDING])
    with django_capture_on_commit_callbacks(execute=True):
        result = send_meeting_reminders.delay()
    assert result.get() == 1
    assert len(mail.outbox) == 1
    assert send_meeting_reminders.delay().get() == 0


def test_a_reminder_is_not_a_change_the_invitees_were_not_told(
    association, django_capture_on_commit_callbacks
):
    from governance.selectors.meetings import invitees_not_told

    meeting, _members = convened_group_meeting(24, [ConvocationAnswer.PENDING])
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == 1
    meeting.refresh_from_db()
    assert meeting.reminded_at is not None
    assert not invitees_not_told(meeting)
