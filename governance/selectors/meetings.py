"""Reads of meetings: the back-office list (scoped to what the user may see), a meeting's
agenda and convocation summary, the notice warning of an AG, and an adherent's convocations."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from cpts.permissions import user_can
from governance.access import led_body_ids
from governance.models import (
    AgendaDocument,
    AgendaItem,
    Body,
    BodyKind,
    Convocation,
    ConvocationAnswer,
    Meeting,
    MeetingStatus,
    Statutes,
)
from governance.selectors.attendance import clean_search, search_members
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
    return (
        meetings.select_related("body")
        .annotate(
            is_upcoming=Case(When(upcoming, then=Value(True)), default=Value(False)),
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
    """A French warning when an AG is (or would be, if convened now) convened with less
    notice than the statutes require; None otherwise."""
    required = notice_days_required(meeting)
    if required is None or meeting.status == MeetingStatus.CANCELLED:
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
    past = list(base.filter(meeting__starts_at__lt=now).order_by("-meeting__starts_at", "pk")[:20])
    return upcoming, past


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
