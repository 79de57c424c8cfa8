"""Reads of meetings: the back-office list (scoped to what the user may see), a meeting's
agenda and convocation summary, the notice warning of an AG, and an adherent's convocations."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from cpts.permissions import user_can
from governance.access import led_body_ids
from governance.models import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    Convocation,
    ConvocationAnswer,
    Meeting,
    MeetingStatus,
    Statutes,
)
from governance.selectors.attendance import clean_search, search_members
from governance.selectors.voting import body_members, meeting_date, voting_q
from members.models import Member

# Meetings whose invitees may still answer.
OPEN_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.CONVENED)


@dataclass(frozen=True)
class MeetingFilters:
    body: int | None = None
    status: str = ""
    year: int | None = None

    @classmethod
    def from_query(cls, query: Any) -> MeetingFilters:
        """Filters from a query string; values that do not parse are ignored."""
        body = query.get("instance", "")
        year = query.get("annee", "")
        status = query.get("statut", "")
        return cls(
            body=int(body) if body.isdigit() else None,
            status=status if status in MeetingStatus.values else "",
            year=int(year) if year.isdigit() and 1900 < int(year) < 3000 else None,
        )


def visible_bodies(user: Any) -> QuerySet[Body]:
    """The bodies whose meetings ``user`` may read in the back-office."""
    if user_can(user, "governance.view"):
        return Body.objects.all()
    return Body.objects.filter(pk__in=led_body_ids(user))


def creatable_bodies(user: Any) -> QuerySet[Body]:
    """The bodies ``user`` may create meetings for (a référent: the groups they lead)."""
    bodies = Body.objects.filter(archived_on__isnull=True)
    if user_can(user, "governance.manage"):
        return bodies
    return bodies.filter(pk__in=led_body_ids(user), kind=BodyKind.GROUP)


def meetings_for(user: Any, filters: MeetingFilters, now: datetime.datetime) -> QuerySet[Meeting]:
    """Upcoming meetings first (soonest first), then past ones (latest first), with their
    invitee counts, in a fixed number of queries."""
    meetings = Meeting.objects.filter(body__in=visible_bodies(user))
    if filters.body:
        meetings = meetings.filter(body_id=filters.body)
    if filters.status:
        meetings = meetings.filter(status=filters.status)
    if filters.year:
        meetings = meetings.filter(starts_at__year=filters.year)
    upcoming = Q(starts_at__gte=now)
    # A cancelled meeting keeps its place in time but is not "à venir".
    to_come = upcoming & ~Q(status=MeetingStatus.CANCELLED)
    return (
        meetings.select_related("body")
        .annotate(
            is_upcoming=Case(
                When(to_come, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
            invitees=Count("convocations", distinct=True),
            answered_present=Count(
                "convocations",
                filter=Q(convocations__answer=ConvocationAnswer.PRESENT),
                distinct=True,
            ),
        )
        .order_by(
            Case(When(upcoming, then=Value(0)), default=Value(1)),
            Case(When(upcoming, then=F("starts_at"))).asc(nulls_last=True),
            F("starts_at").desc(),
            "pk",
        )
    )


def meeting_years(user: Any) -> list[int]:
    dates = Meeting.objects.filter(body__in=visible_bodies(user)).dates("starts_at", "year")
    return sorted({d.year for d in dates}, reverse=True)


def agenda(meeting: Meeting) -> list[AgendaItem]:
    return list(
        meeting.agenda_items.order_by("position", "pk").prefetch_related(
            Prefetch("documents", queryset=AgendaDocument.objects.order_by("title", "pk"))
        )
    )


@dataclass(frozen=True)
class ConvocationSummary:
    total: int
    present: int
    absent: int
    proxy: int
    pending: int
    voters: int


def convocation_summary(meeting: Meeting) -> ConvocationSummary:
    """The counts of the convocations of ``meeting`` by answer (one aggregate query)."""
    counts = meeting.convocations.aggregate(
        total=Count("pk"),
        present=Count("pk", filter=Q(answer=ConvocationAnswer.PRESENT)),
        absent=Count("pk", filter=Q(answer=ConvocationAnswer.ABSENT)),
        proxy=Count("pk", filter=Q(answer=ConvocationAnswer.PROXY)),
        pending=Count("pk", filter=Q(answer=ConvocationAnswer.PENDING)),
        voters=Count("pk", filter=Q(can_vote=True)),
    )
    return ConvocationSummary(**counts)


# The answer filter of a meeting's invitee list: query-string value → answer.
ANSWER_FILTERS: dict[str, str] = {
    "sans-reponse": ConvocationAnswer.PENDING,
    "present": ConvocationAnswer.PRESENT,
    "absent": ConvocationAnswer.ABSENT,
    "procuration": ConvocationAnswer.PROXY,
}


@dataclass(frozen=True)
class InviteeFilters:
    q: str = ""
    answer: str = ""  # a key of ANSWER_FILTERS, "" for every answer

    @classmethod
    def from_query(cls, query: Any) -> InviteeFilters:
        """Filters from a query string; a value that does not parse is ignored."""
        answer = query.get("reponse", "")
        return cls(
            q=clean_search(query.get("q", "")),
            answer=answer if answer in ANSWER_FILTERS else "",
        )

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.answer)


def answer_choices() -> list[tuple[str, str]]:
    """The options of the answer filter, "" (every answer) first."""
    labels = dict(ConvocationAnswer.choices)
    return [("", _("Toutes les réponses"))] + [
        (key, str(labels[answer])) for key, answer in ANSWER_FILTERS.items()
    ]


def convocation_rows(meeting: Meeting, filters: InviteeFilters) -> QuerySet[Convocation]:
    """The convocations of ``meeting`` matching ``filters``, sorted by the invitee's name,
    with the member, profession and collège joined: a queryset to paginate."""
    convocations = meeting.convocations.select_related(
        "member", "member__profession", "member__college"
    )
    convocations = search_members(convocations, filters.q, prefix="member__")
    if filters.answer:
        convocations = convocations.filter(answer=ANSWER_FILTERS[filters.answer])
    return convocations.order_by(
        "member__last_name", "member__organisation_name", "member__first_name", "pk"
    )


def notice_days_required(meeting: Meeting, statutes: Statutes | None = None) -> int | None:
    """The notice the statutes require for ``meeting`` (only an AG has one)."""
    if meeting.body.kind != BodyKind.AG:
        return None
    statutes = statutes or Statutes.objects.get_solo()
    if meeting.second_convocation_of_id is not None:
        return statutes.second_convocation_notice_days
    return statutes.convocation_notice_days


def notice_days(meeting: Meeting, now: datetime.datetime | None = None) -> int:
    """Whole days between the convocation (or today, before it is sent) and the meeting day."""
    sent = meeting.convened_at or now or timezone.now()
    return (timezone.localdate(meeting.starts_at) - timezone.localdate(sent)).days


def notice_warning(meeting: Meeting, now: datetime.datetime | None = None) -> str | None:
    """A French warning when an AG to come is (or would be, if convened now) convened with
    less notice than the statutes require; None otherwise, and always None once the meeting
    has started or is held, approved or cancelled."""
    now = now or timezone.now()
    if meeting.status not in OPEN_STATUSES or meeting.starts_at <= now:
        return None
    required = notice_days_required(meeting)
    if required is None:
        return None
    days = notice_days(meeting, now)
    if days >= required:
        return None
    if meeting.convened_at:
        text = _(
            "Attention : cette AG a été convoquée %(days)s jour(s) avant sa date, alors que "
            "les statuts exigent un délai de %(required)s jours."
        )
    else:
        text = _(
            "Attention : convoquée aujourd'hui, cette AG le serait %(days)s jour(s) avant sa "
            "date, alors que les statuts exigent un délai de %(required)s jours."
        )
    return text % {"days": max(days, 0), "required": required}


@dataclass(frozen=True)
class ConveningPreview:
    """What convening ``meeting`` now would do: how many people it emails, how many of them
    vote (AG), and what deserves a second look before sending."""

    recipients: int
    voters: int
    without_email: int
    notice_warning: str | None
    empty_agenda: bool
    is_ag: bool

    @property
    def refused(self) -> bool:
        """An AG is not convened without an agenda (the statutes need its points)."""
        return self.empty_agenda and self.is_ag


def convening_preview(meeting: Meeting, now: datetime.datetime | None = None) -> ConveningPreview:
    """The figures shown before convening (a fixed number of queries)."""
    on = meeting_date(meeting)
    members = body_members(meeting.body, on)
    is_ag = meeting.body.kind == BodyKind.AG
    counts = members.aggregate(
        total=Count("pk", distinct=True),
        no_email=Count("pk", filter=Q(email="") | Q(email__isnull=True), distinct=True),
    )
    if is_ag:
        voters = members.filter(voting_q(on)).values("pk").distinct().count()
    elif meeting.body.kind == BodyKind.GROUP:
        voters = 0
    else:
        voters = counts["total"]
    return ConveningPreview(
        recipients=counts["total"],
        voters=voters,
        without_email=counts["no_email"],
        notice_warning=notice_warning(meeting, now),
        empty_agenda=not meeting.agenda_items.exists(),
        is_ag=is_ag,
    )


def last_broadcast(meeting: Meeting) -> datetime.datetime | None:
    """When every invitee with an email address last received the convocation (the oldest
    of their latest sendings), None before the convocation."""
    return meeting.convocations.filter(sent_at__isnull=False).aggregate(first=Min("sent_at"))[
        "first"
    ]


def invitees_not_told(meeting: Meeting) -> bool:
    """A convened meeting changed (agenda, documents or details) after some invitees last
    received its convocation: they have not been told."""
    if meeting.status != MeetingStatus.CONVENED:
        return False
    sent = last_broadcast(meeting)
    return sent is not None and meeting.updated_at > sent


def convocation_by_token(token: str) -> Convocation | None:
    return (
        Convocation.objects.select_related("meeting", "meeting__body", "member")
        .filter(token=token)
        .first()
    )


def answers_open(meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    """Invitees may answer until the meeting starts, unless it was cancelled or held."""
    return meeting.status in OPEN_STATUSES and meeting.starts_at > (now or timezone.now())


def member_convocations(member: Member, now: datetime.datetime) -> tuple[list[Any], list[Any]]:
    """The member's convocations (upcoming soonest first, past latest first), with the
    meeting, its body and its agenda with documents prefetched."""
    base = (
        Convocation.objects.filter(member=member)
        .exclude(meeting__status=MeetingStatus.PLANNED)
        .select_related("meeting", "meeting__body")
        .annotate(
            is_open=Case(
                When(
                    Q(meeting__starts_at__gt=now, meeting__status__in=OPEN_STATUSES),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )
    items = Prefetch(
        "meeting__agenda_items",
        queryset=AgendaItem.objects.order_by("position", "pk").prefetch_related(
            Prefetch("documents", queryset=AgendaDocument.objects.order_by("title", "pk"))
        ),
    )
    upcoming = list(
        base.filter(meeting__starts_at__gte=now)
        .order_by("meeting__starts_at", "pk")
        .prefetch_related(items)
    )
    attendance = Attendance.objects.filter(meeting_id=OuterRef("meeting_id"), member=member)
    past = list(
        base.filter(meeting__starts_at__lt=now)
        .annotate(
            attendance_status=Subquery(attendance.values("status")[:1], output_field=CharField()),
            represented_by_pk=Subquery(
                attendance.values("represented_by_id")[:1], output_field=IntegerField()
            ),
        )
        .order_by("-meeting__starts_at", "pk")[:20]
    )
    _label_attendance(past)
    return upcoming, past


def _label_attendance(convocations: list[Any]) -> None:
    """``attendance_label`` on each past convocation: what the attendance record says
    ("Présent·e", "Représenté·e par …", …), or that none was recorded (one query for the
    proxy holders' names)."""
    holder_pks = {c.represented_by_pk for c in convocations if c.represented_by_pk}
    holders = Member.objects.in_bulk(holder_pks) if holder_pks else {}
    labels = dict(AttendanceStatus.choices)
    for convocation in convocations:
        status = convocation.attendance_status
        holder = holders.get(convocation.represented_by_pk)
        if not status:
            label = _("Présence non relevée")
        elif status == AttendanceStatus.REPRESENTED and holder is not None:
            label = _("Représenté·e par %(name)s") % {"name": holder.display_name}
        else:
            label = str(labels.get(status, status))
        convocation.attendance_label = label


def member_convocation(member: Member | None, meeting_pk: int) -> Convocation | None:
    if member is None:
        return None
    return (
        Convocation.objects.select_related("meeting", "meeting__body", "member")
        .filter(member=member, meeting_id=meeting_pk)
        .first()
    )


def is_convened(user: Any, meeting: Meeting) -> bool:
    if not user.is_authenticated:
        return False
    return Convocation.objects.filter(
        meeting=meeting, member__user=user, member__anonymised_at__isnull=True
    ).exists()
