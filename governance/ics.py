"""The iCalendar (RFC 5545) file of a meeting, attached to convocations and downloadable from
the portal. Written by hand: one VEVENT, times in UTC, text escaped and lines folded at 75
octets as the RFC requires."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import AgendaItem, Meeting, MeetingStatus

# When a meeting has no planned end, calendars show it this long.
DEFAULT_DURATION = datetime.timedelta(hours=2)
PRODID = "-//Maillage//Gouvernance//FR"
UID_DOMAIN = "maillage.gouvernance"
MIME_TYPE = "text/calendar"


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, never cutting a UTF-8 character;
    continuation lines start with one space (RFC 5545 §3.1)."""
    chunks: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append(current)
            current, size = "", 1  # the leading space of the continuation line
            limit = 75
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def format_utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_uid(meeting: Meeting) -> str:
    """Stable for the life of the meeting, so calendars update the same event."""
    return f"reunion-{meeting.pk}@{UID_DOMAIN}"


def meeting_sequence(meeting: Meeting) -> int:
    """Grows each time the meeting is saved (seconds between creation and last change), so a
    re-sent file replaces the one calendars already hold."""
    return max(0, int((meeting.updated_at - meeting.created_at).total_seconds()))


def description(meeting: Meeting, items: Iterable[AgendaItem], url: str) -> str:
    lines = [str(meeting.body)]
    agenda = [f"{number}. {item.title}" for number, item in enumerate(items, start=1)]
    if agenda:
        lines += ["", _("Ordre du jour :"), *agenda]
    if meeting.video_url:
        lines += ["", _("Visioconférence : %(url)s") % {"url": meeting.video_url}]
    if meeting.notes:
        lines += ["", meeting.notes]
    if url:
        lines += ["", _("Répondre à la convocation : %(url)s") % {"url": url}]
    return "\n".join(lines)


def meeting_ics(meeting: Meeting, *, url: str = "", now: datetime.datetime | None = None) -> bytes:
    """The .ics file of ``meeting``; ``url`` is the page the event links to (the invitee's
    answer page or the portal). A cancelled meeting gives a cancelled event."""
    stamp = now or timezone.now()
    ends_at = meeting.ends_at or meeting.starts_at + DEFAULT_DURATION
    cancelled = meeting.status == MeetingStatus.CANCELLED
    location = meeting.place or meeting.video_url
    items = list(meeting.agenda_items.order_by("position", "pk"))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if cancelled else 'PUBLISH'}",
        "BEGIN:VEVENT",
        f"UID:{meeting_uid(meeting)}",
        f"SEQUENCE:{meeting_sequence(meeting)}",
        f"DTSTAMP:{format_utc(stamp)}",
        f"DTSTART:{format_utc(meeting.starts_at)}",
        f"DTEND:{format_utc(ends_at)}",
        f"SUMMARY:{escape_text(meeting.title)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if url:
        lines.append(f"URL:{url}")
    lines.append(f"DESCRIPTION:{escape_text(description(meeting, items, url))}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")


def ics_filename(meeting: Meeting) -> str:
    return f"reunion-{meeting.pk}.ics"
