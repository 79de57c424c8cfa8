"""Reads of the attendance page and the feuille d'émargement: who is expected at a meeting,
with their voting right on the meeting date, their attendance and the proxies they give or
hold, in a fixed number of queries whatever the number of members."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from governance.models import (
    Attendance,
    AttendanceStatus,
    BodyKind,
    Convocation,
    Meeting,
    MeetingStatus,
    Proxy,
)
from governance.rules import Quorum
from governance.selectors.voting import (
    body_members,
    meeting_date,
    meeting_electorate,
    quorum_for,
    with_voting_right,
)
from members.models import Member


def invitees(meeting: Meeting) -> QuerySet[Member]:
    """The members expected at ``meeting``: those convened when convocations were sent,
    otherwise the body's members on the meeting date; anyone whose attendance was already
    recorded stays on the list."""
    recorded = Attendance.objects.filter(meeting=meeting).values("member_id")
    convened = Convocation.objects.filter(meeting=meeting).values("member_id")
    if convened.exists():
        expected = Q(pk__in=convened)
    else:
        expected = Q(pk__in=body_members(meeting.body, meeting_date(meeting)).values("pk"))
    return Member.objects.filter(expected | Q(pk__in=recorded))


def _with_can_vote(members: QuerySet[Member], meeting: Meeting) -> QuerySet[Any]:
    if meeting.body.kind == BodyKind.AG:
        return with_voting_right(members, meeting_date(meeting))
    electorate = meeting_electorate(meeting).values("pk")
    return members.annotate(
        can_vote=ExpressionWrapper(Q(pk__in=electorate), output_field=BooleanField())
    )


@dataclass
class AttendanceRow:
    member: Member
    can_vote: bool
    status: str = ""  # an AttendanceStatus value, "" when not recorded
    represented_by: Member | None = None
    holder_present: bool = False  # for a represented member: is the holder marked present?
    proxy_given_to: Member | None = None
    proxy_id: int | None = None
    proxies_held: list[Member] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(AttendanceStatus(self.status).label) if self.status else ""

    @property
    def representation_counted(self) -> bool:
        return self.status == AttendanceStatus.REPRESENTED and self.holder_present


def attendance_rows(meeting: Meeting, member_ids: list[int] | None = None) -> list[AttendanceRow]:
    """One row per invitee (sorted by name), or only ``member_ids``; four queries in all."""
    members = _with_can_vote(
        invitees(meeting).select_related("profession", "college"), meeting
    ).order_by("last_name", "first_name", "organisation_name", "pk")
    if member_ids is not None:
        members = members.filter(pk__in=member_ids)
    member_list = list(members)
    attendances = {
        row.member_id: row
        for row in Attendance.objects.filter(meeting=meeting).select_related("represented_by")
    }
    given: dict[int, Proxy] = {}
    held: dict[int, list[Member]] = defaultdict(list)
    for proxy in Proxy.objects.filter(meeting=meeting).select_related("giver", "holder"):
        given[proxy.giver_id] = proxy
        held[proxy.holder_id].append(proxy.giver)
    present = {
        member_id
        for member_id, row in attendances.items()
        if row.status == AttendanceStatus.PRESENT
    }
    rows = []
    for member in member_list:
        attendance = attendances.get(member.pk)
        given_proxy = given.get(member.pk)
        rows.append(
            AttendanceRow(
                member=member,
                can_vote=bool(member.can_vote),
                status=attendance.status if attendance else "",
                represented_by=attendance.represented_by if attendance else None,
                holder_present=bool(
                    attendance
                    and attendance.represented_by_id is not None
                    and attendance.represented_by_id in present
                ),
                proxy_given_to=given_proxy.holder if given_proxy else None,
                proxy_id=given_proxy.pk if given_proxy else None,
                proxies_held=sorted(held.get(member.pk, []), key=_name_key),
            )
        )
    return rows


def _name_key(member: Member) -> tuple[str, str, str]:
    return (member.last_name.lower(), member.first_name.lower(), member.organisation_name.lower())


@dataclass(frozen=True)
class AttendanceFigures:
    invited: int
    voting: int  # invitees with a voting right on the meeting date
    present: int
    represented: int  # rows marked represented (counted or not)
    excused: int
    absent: int
    not_recorded: int
    quorum: Quorum | None  # None for a working group

    @property
    def represented_not_counted(self) -> int:
        counted = self.quorum.represented if self.quorum else 0
        return max(self.represented - counted, 0)


def attendance_figures(meeting: Meeting) -> AttendanceFigures:
    """The counts shown above the list and in the quorum panel (three queries)."""
    people = _with_can_vote(invitees(meeting), meeting).aggregate(
        invited=Count("pk", distinct=True),
        voting=Count("pk", filter=Q(can_vote=True), distinct=True),
    )
    statuses = dict(
        Attendance.objects.filter(meeting=meeting)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    recorded = sum(statuses.values())
    return AttendanceFigures(
        invited=people["invited"],
        voting=people["voting"],
        present=statuses.get(AttendanceStatus.PRESENT, 0),
        represented=statuses.get(AttendanceStatus.REPRESENTED, 0),
        excused=statuses.get(AttendanceStatus.EXCUSED, 0),
        absent=statuses.get(AttendanceStatus.ABSENT, 0),
        not_recorded=max(people["invited"] - recorded, 0),
        quorum=quorum_for(meeting),
    )


def proxies_open(meeting: Meeting, now: Any) -> bool:
    """Whether proxies may still be given or withdrawn for ``meeting``."""
    return (
        meeting.body.kind == BodyKind.AG
        and meeting.status in (MeetingStatus.PLANNED, MeetingStatus.CONVENED)
        and now < meeting.starts_at
    )


@dataclass(frozen=True)
class HolderChoice:
    member: Member
    held: int
    limit: int

    @property
    def full(self) -> bool:
        return self.held >= self.limit


def holder_choices(
    meeting: Meeting, *, exclude: Member, max_held: int, query: str = "", limit: int = 20
) -> list[HolderChoice]:
    """Voting members who may receive ``exclude``'s proxy, matching ``query`` by name, with
    the number of proxies each already holds (one query)."""
    members = (
        with_voting_right(Member.objects.all(), meeting_date(meeting))
        .filter(can_vote=True)
        .exclude(pk=exclude.pk)
        .exclude(proxies_given__meeting=meeting)
        .annotate(held=Count("proxies_held", filter=Q(proxies_held__meeting=meeting)))
        .select_related("profession")
        .order_by("last_name", "first_name", "organisation_name", "pk")
    )
    query = query.strip()
    if query:
        for word in query.split()[:5]:
            members = members.filter(
                Q(last_name__icontains=word)
                | Q(first_name__icontains=word)
                | Q(organisation_name__icontains=word)
            )
    return [HolderChoice(member=m, held=m.held, limit=max_held) for m in members[:limit]]
