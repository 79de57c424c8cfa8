"""The dashboard's governance block: the next meetings with their convocation state, the
planned meetings due to be convened soon, and the minutes waiting for approval. A fixed
number of queries whatever the number of meetings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from governance.models import (
    BodyKind,
    ConvocationAnswer,
    Meeting,
    MeetingStatus,
    Minutes,
    Statutes,
)
from governance.models.decisions import MinutesStatus
from governance.selectors.indicators import BodyActivity, body_activity

SHOWN = 5
# Days added to the statutes' notice (0 for a body other than the AG): a meeting starting
# within notice + margin should be convened now.
CONVENE_MARGIN_DAYS = 14


@dataclass(frozen=True)
class GovernanceBlock:
    upcoming: list[Meeting]  # annotated with ``invitees`` and ``answered``
    to_convene: list[Meeting]
    to_convene_count: int
    minutes_to_approve: list[Minutes]
    minutes_to_approve_count: int
    notice_days: int  # the AG's notice in the statutes
    margin_days: int
    # Meetings held per body since 1 January (the activity reports read the same selector).
    year_activity: list[BodyActivity]

    @property
    def held_this_year(self) -> int:
        return sum(row.held for row in self.year_activity)


def upcoming_meetings(now: datetime.datetime, limit: int = SHOWN) -> list[Meeting]:
    """The next meetings (not cancelled), soonest first, with their invitee and answer
    counts (one query)."""
    return list(
        Meeting.objects.filter(starts_at__gte=now)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("body")
        .annotate(
            invitees=Count("convocations", distinct=True),
            answered=Count(
                "convocations",
                filter=~Q(convocations__answer=ConvocationAnswer.PENDING),
                distinct=True,
            ),
        )
        .order_by("starts_at", "pk")[:limit]
    )


def meetings_to_convene(
    now: datetime.datetime, statutes: Statutes, margin_days: int = CONVENE_MARGIN_DAYS
) -> QuerySet[Meeting]:
    """Planned meetings not convened yet that start (from now) within the notice the statutes
    require for them plus ``margin_days``: an AG its convocation notice (a second AG the
    second convocation's), other bodies the margin alone. Soonest first."""
    margin = datetime.timedelta(days=margin_days)

    def within(days: int) -> Q:
        return Q(starts_at__lte=now + datetime.timedelta(days=days) + margin)

    first_ag = Q(body__kind=BodyKind.AG, second_convocation_of__isnull=True)
    second_ag = Q(body__kind=BodyKind.AG, second_convocation_of__isnull=False)
    return (
        Meeting.objects.filter(
            status=MeetingStatus.PLANNED, convened_at__isnull=True, starts_at__gte=now
        )
        .filter(
            (first_ag & within(statutes.convocation_notice_days))
            | (second_ag & within(statutes.second_convocation_notice_days))
            | (~Q(body__kind=BodyKind.AG) & within(0))
        )
        .select_related("body")
        .order_by("starts_at", "pk")
    )


def minutes_to_approve() -> QuerySet[Minutes]:
    """Draft minutes, the oldest meeting first."""
    return (
        Minutes.objects.filter(status=MinutesStatus.DRAFT)
        .select_related("meeting", "meeting__body")
        .order_by("meeting__starts_at", "pk")
    )


def governance_block(now: datetime.datetime) -> GovernanceBlock:
    """Eight queries (the statutes, a list and a count per section but the first, and the
    year's activity per body)."""
    today = timezone.localdate(now)
    statutes = Statutes.objects.get_solo()
    convene = meetings_to_convene(now, statutes)
    minutes = minutes_to_approve()
    return GovernanceBlock(
        upcoming=upcoming_meetings(now),
        to_convene=list(convene[:SHOWN]),
        to_convene_count=convene.count(),
        minutes_to_approve=list(minutes[:SHOWN]),
        minutes_to_approve_count=minutes.count(),
        notice_days=statutes.convocation_notice_days,
        margin_days=CONVENE_MARGIN_DAYS,
        year_activity=body_activity(datetime.date(today.year, 1, 1), today, with_idle=False),
    )
