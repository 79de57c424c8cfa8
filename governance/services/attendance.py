"""Ticking attendance during a meeting (the tablet page).

A member who gave a proxy and comes in person is marked present: the proxy row stays (it is
the record of what was given) but the attendance says present, so their vote is theirs and
the holder no longer carries it. A giver who is not there is represented by the holder; their
representation only counts in the quorum while the holder is marked present (computed by
``governance.selectors.voting.quorum_for``, nothing rewritten when the holder leaves)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Attendance, AttendanceStatus, Meeting, MeetingStatus, Proxy
from members.models import Member


def attendance_closed_reason(meeting: Meeting, now: datetime.datetime | None = None) -> str | None:
    """Why attendance cannot be changed (yet, or any more), or None. It is ticked from the
    day of the meeting (Paris date), never before."""
    if meeting.status == MeetingStatus.CANCELLED:
        return _("Cette réunion est annulée : les présences ne peuvent pas être saisies.")
    if meeting.status == MeetingStatus.MINUTES_APPROVED:
        return _("Le procès-verbal est approuvé : les présences ne peuvent plus être modifiées.")
    day = timezone.localdate(meeting.starts_at)
    if timezone.localdate(now or timezone.now()) < day:
        return _(
            "Les présences se saisissent le jour de la réunion, à partir du %(date)s : "
            "les boutons apparaîtront ce jour-là."
        ) % {"date": f"{day:%d/%m/%Y}"}
    return None


@transaction.atomic
def set_attendance(
    meeting: Meeting,
    member: Member,
    status: str,
    by: Any,
    *,
    now: datetime.datetime | None = None,
) -> Attendance:
    """Record ``member`` as present, excused or absent at ``meeting`` (or represented, for a
    member who gave a proxy), from the meeting's day on. Raises ValidationError with a French
    message."""
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": _("Choisissez une présence valide.")})
    closed = attendance_closed_reason(meeting, now)
    if closed:
        raise ValidationError(closed)
    proxy = Proxy.objects.select_related("holder").filter(meeting=meeting, giver=member).first()
    represented_by = None
    if status == AttendanceStatus.REPRESENTED:
        if proxy is None:
            raise ValidationError(
                {
                    "status": _(
                        "%(name)s n'a donné procuration à personne : ce membre ne peut pas être "
                        "représenté·e."
                    )
                    % {"name": member.display_name}
                }
            )
        represented_by = proxy.holder
    elif status != AttendanceStatus.PRESENT and proxy is not None:
        raise ValidationError(
            {
                "status": _(
                    "%(name)s a donné procuration à %(holder)s : sans être présent·e, ce membre "
                    "est représenté·e."
                )
                % {"name": member.display_name, "holder": proxy.holder.display_name}
            }
        )
    attendance, _created = Attendance.objects.select_for_update().get_or_create(
        meeting=meeting,
        member=member,
        defaults={"status": status, "represented_by": represented_by, "recorded_by": by},
    )
    if not _created and (
        attendance.status != status
        or attendance.represented_by_id != getattr(represented_by, "pk", None)
    ):
        attendance.status = status
        attendance.represented_by = represented_by
        attendance.recorded_by = by
        attendance.save(update_fields=["status", "represented_by", "recorded_by", "updated_at"])
    return attendance
