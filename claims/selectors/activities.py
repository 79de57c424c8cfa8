"""What a member can claim in one tap: the meetings they attended (never the AG), the
events of mission actions they took part in, the crisis shifts they signed up for."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.common import money
from claims.models import ActivityKind, Claim, ClaimNature, ClaimStatus


@dataclass(frozen=True)
class ClaimableActivity:
    source_kind: str  # "meeting" | "event" | "shift"
    source_id: int
    date: datetime.date
    label: str
    hours: Decimal | None  # the activity's duration, None when it has none recorded
    activity_kind: str
    already_claimed: bool


def _claimed(member: Any) -> set[tuple[str, int]]:
    rows = (
        Claim.objects.filter(member=member, nature=ClaimNature.INDEMNITY)
        .exclude(status=ClaimStatus.REFUSED)
        .filter(Q(meeting__isnull=False) | Q(event__isnull=False) | Q(shift__isnull=False))
        .values_list("meeting_id", "event_id", "shift_id")
    )
    claimed: set[tuple[str, int]] = set()
    for meeting_id, event_id, shift_id in rows:
        if meeting_id:
            claimed.add(("meeting", meeting_id))
        if event_id:
            claimed.add(("event", event_id))
        if shift_id:
            claimed.add(("shift", shift_id))
    return claimed


def _hours(start: datetime.datetime, end: datetime.datetime | None) -> Decimal | None:
    if end is None:
        return None
    return money(Decimal(int((end - start).total_seconds())) / Decimal(3600))


def claimable_activities(
    member: Any, *, today: datetime.date | None = None, days: int = 90
) -> list[ClaimableActivity]:
    from crisis.models import Shift
    from governance.models import AttendanceStatus, Meeting, MeetingStatus
    from missions.models import Event

    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=days)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(since, datetime.time.min, tzinfo=tz)
    end = min(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz),
        timezone.now(),
    )
    claimed = _claimed(member)
    items: list[ClaimableActivity] = []
    meetings = (
        Meeting.objects.filter(
            attendances__member=member,
            attendances__status=AttendanceStatus.PRESENT,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .exclude(body__kind="ag")
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("body")
    )
    for meeting in meetings:
        kind = (
            ActivityKind.BOARD_MEETING
            if meeting.body.kind in ("bureau", "ca")
            else ActivityKind.GROUP_MEETING
        )
        items.append(
            ClaimableActivity(
                source_kind="meeting",
                source_id=meeting.pk,
                date=timezone.localdate(meeting.starts_at),
                label=f"{meeting.title} — {meeting.body.name}",
                hours=_hours(meeting.starts_at, meeting.ends_at),
                activity_kind=kind,
                already_claimed=("meeting", meeting.pk) in claimed,
            )
        )
    events = Event.objects.filter(professionals=member, date__gte=since, date__lte=today)
    for event in events:
        items.append(
            ClaimableActivity(
                source_kind="event",
                source_id=event.pk,
                date=event.date,
                label=event.title,
                hours=event.hours,
                activity_kind=ActivityKind.MISSION_ACTION,
                already_claimed=("event", event.pk) in claimed,
            )
        )
    shifts = Shift.objects.filter(
        signups__member=member, starts_at__gte=start, starts_at__lt=end
    ).select_related("site")
    for shift in shifts:
        items.append(
            ClaimableActivity(
                source_kind="shift",
                source_id=shift.pk,
                date=timezone.localdate(shift.starts_at),
                label=_("Créneau de crise — %(site)s") % {"site": shift.site.name},
                hours=money(Decimal(shift.duration_minutes) / Decimal(60)),
                activity_kind=ActivityKind.ON_CALL,
                already_claimed=("shift", shift.pk) in claimed,
            )
        )
    items.sort(key=lambda item: (item.date, item.source_kind, item.source_id), reverse=True)
    return items
