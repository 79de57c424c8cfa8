"""Reads of governance's portal-home cards: the adherent's next convocations and their
working groups (theirs, and the open ones they may join). A fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from governance.models import (
    Body,
    BodyKind,
    Convocation,
    Mandate,
    MandateRole,
    MeetingStatus,
    Proxy,
)
from governance.selectors.meetings import OPEN_STATUSES
from governance.services.bodies import staying_q
from members.models import Member

CARD_MEETINGS = 3


@dataclass
class MeetingCards:
    convocations: Sequence[Convocation]
    more: int  # upcoming convocations beyond those shown


def upcoming_convocations(
    member: Member, now: datetime.datetime | None = None, limit: int = CARD_MEETINGS
) -> MeetingCards:
    """The member's next convocations (soonest first) with ``is_open`` (answers open) and
    ``gave_proxy``, and how many more there are; two queries."""
    now = now or timezone.now()
    upcoming = (
        Convocation.objects.filter(member=member, meeting__starts_at__gte=now)
        .exclude(meeting__status__in=(MeetingStatus.PLANNED, MeetingStatus.CANCELLED))
        .select_related("meeting", "meeting__body")
    )
    shown = list(
        upcoming.annotate(
            gave_proxy=Exists(Proxy.objects.filter(meeting=OuterRef("meeting_id"), giver=member)),
            held_proxies=Count("meeting__proxies", filter=Q(meeting__proxies__holder=member)),
        ).order_by("meeting__starts_at", "pk")[:limit]
    )
    for convocation in shown:
        convocation.is_open = (  # type: ignore[attr-defined]
            convocation.meeting.status in OPEN_STATUSES and convocation.meeting.starts_at > now
        )
    return MeetingCards(convocations=shown, more=max(upcoming.count() - len(shown), 0))


@dataclass
class GroupRow:
    body: Body
    role: str | None  # the member's function in the group, None if not a member
    size: int
    referents: list[str] = field(default_factory=list)

    @property
    def can_leave(self) -> bool:
        return self.role == MandateRole.MEMBRE and self.body.open_to_join

    @property
    def role_label(self) -> str:
        return str(MandateRole(self.role).label) if self.role else ""


@dataclass
class GroupCards:
    mine: list[GroupRow]
    joinable: list[GroupRow]  # open groups the member is not in
    closed: list[GroupRow]  # groups joined through their référent·e


def group_cards(member: Member | None, on: datetime.date | None = None) -> GroupCards:
    """Every active working group with its size and référents, split into the member's, the
    open ones and the others; two queries."""
    day = on or timezone.localdate()
    staying = Q(mandates__start_date__lte=day) & (
        Q(mandates__end_date__isnull=True) | Q(mandates__end_date__gt=day)
    )
    groups = list(
        Body.objects.filter(kind=BodyKind.GROUP, archived_on__isnull=True)
        .annotate(size=Count("mandates__member", filter=staying, distinct=True))
        .order_by("position", "name")
    )
    mandates = list(
        Mandate.objects.filter(
            staying_q(day), body__kind=BodyKind.GROUP, body__archived_on__isnull=True
        )
        .filter(Q(role=MandateRole.REFERENT) | Q(member=member) if member else Q(role="referent"))
        .select_related("member")
        .order_by("member__last_name", "pk")
    )
    referents: dict[int, list[str]] = {}
    roles: dict[int, str] = {}
    for mandate in mandates:
        if mandate.role == MandateRole.REFERENT:
            referents.setdefault(mandate.body_id, []).append(mandate.member.display_name)
        # A référent·e mandate wins over a plain membership of the same group.
        mine = member is not None and mandate.member_id == member.pk
        if mine and roles.get(mandate.body_id) != MandateRole.REFERENT:
            roles[mandate.body_id] = mandate.role
    cards = GroupCards(mine=[], joinable=[], closed=[])
    for body in groups:
        row = GroupRow(
            body=body,
            role=roles.get(body.pk),
            size=body.size,
            referents=referents.get(body.pk, []),
        )
        if row.role:
            cards.mine.append(row)
        elif body.open_to_join:
            cards.joinable.append(row)
        else:
            cards.closed.append(row)
    return cards
