"""Who may vote, who sits in a body on a date, and the live quorum of a meeting: the reads
every governance page (attendance, resolutions, minutes, reports) shares."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from governance.models import (
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    Mandate,
    Meeting,
    Statutes,
)
from governance.rules import Quorum
from members.models import Member
from members.models.members import MemberStatus
from members.selectors.fees import up_to_date_q


def meeting_date(meeting: Meeting) -> datetime.date:
    return timezone.localdate(meeting.starts_at)


def voting_q(on: datetime.date, prefix: str = "") -> Q:
    """Members who vote at an AG held on ``on``: active, in a deliberative collège (or in
    none), with their fee up to date for that date's year."""
    return (
        Q(**{f"{prefix}status": MemberStatus.ACTIVE})
        & (Q(**{f"{prefix}college__isnull": True}) | Q(**{f"{prefix}college__is_voting": True}))
        & Q(up_to_date_q(on, prefix))
    )


def voting_members(on: datetime.date) -> QuerySet[Member]:
    return Member.objects.filter(voting_q(on))


def can_vote(member: Member, on: datetime.date) -> bool:
    return Member.objects.filter(voting_q(on), pk=member.pk).exists()


def with_voting_right(members: QuerySet[Member], on: datetime.date) -> QuerySet[Any]:
    """Annotate ``can_vote`` on each member (one SQL expression, no query per row)."""
    from django.db.models import BooleanField, ExpressionWrapper

    return members.annotate(can_vote=ExpressionWrapper(voting_q(on), output_field=BooleanField()))


def body_members(body: Body, on: datetime.date) -> QuerySet[Member]:
    """Who a meeting of ``body`` on ``on`` convenes: every active member for the AG, the
    holders of a running mandate otherwise."""
    if body.kind == BodyKind.AG:
        return Member.objects.filter(status=MemberStatus.ACTIVE)
    member_ids = Mandate.objects.active_on(on).filter(body=body).values("member_id")
    return Member.objects.filter(pk__in=member_ids, status=MemberStatus.ACTIVE)


def meeting_electorate(meeting: Meeting) -> QuerySet[Member]:
    """The members whose votes count at ``meeting``: voting members for an AG, the body's
    members for a CA or Bureau; nobody votes in a working group."""
    on = meeting_date(meeting)
    if meeting.body.kind == BodyKind.AG:
        return voting_members(on)
    if meeting.body.kind in (BodyKind.CA, BodyKind.BUREAU):
        return body_members(meeting.body, on)
    return Member.objects.none()


def quorum_for(meeting: Meeting) -> Quorum | None:
    """The live quorum (one query for the electorate and the attendance together), or None
    for a working group, which has no quorum."""
    if meeting.body.kind == BodyKind.GROUP:
        return None
    statutes = Statutes.objects.get_solo()
    electorate = meeting_electorate(meeting)
    present_ids = Attendance.objects.filter(
        meeting=meeting, status=AttendanceStatus.PRESENT
    ).values("member_id")
    figures = electorate.aggregate(
        total=Count("pk", distinct=True),
        present=Count(
            "attendances",
            filter=Q(attendances__meeting=meeting, attendances__status=AttendanceStatus.PRESENT),
            distinct=True,
        ),
        # A represented member counts only while their proxy holder is marked present.
        represented=Count(
            "attendances",
            filter=Q(
                attendances__meeting=meeting,
                attendances__status=AttendanceStatus.REPRESENTED,
                attendances__represented_by__in=present_ids,
            ),
            distinct=True,
        ),
    )
    is_ag = meeting.body.kind == BodyKind.AG
    percent = statutes.ag_quorum_percent if is_ag else statutes.ca_quorum_percent
    waived = (
        is_ag
        and meeting.second_convocation_of_id is not None
        and statutes.second_convocation_without_quorum
    )
    return Quorum(
        voting_members=figures["total"],
        present=figures["present"],
        represented=figures["represented"],
        percent=percent,
        waived=waived,
    )
