"""The procès-verbal of a meeting: drafted from the meeting's data, edited by the secretary
while it is a draft, approved at a later meeting of the same body."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import governance.minutes_pdf  # noqa: F401  (registers the "meeting_minutes" document kind)
from cpts.jobs import request_document
from governance.models import Meeting, MeetingStatus, Minutes, MinutesStatus
from governance.selectors.minutes import draft_text, officers
from governance.selectors.voting import meeting_date


def _user(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def _refuse_approved(minutes: Minutes) -> None:
    if minutes.status == MinutesStatus.APPROVED:
        raise ValidationError(
            _("Ce procès-verbal est approuvé : il ne peut plus être modifié ni rédigé à nouveau.")
        )


@transaction.atomic
def draft_minutes(meeting: Meeting, by: Any) -> Minutes:
    """Build (or rebuild, while it is a draft) the minutes' text from the meeting."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("Cette réunion a été annulée : pas de procès-verbal."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(
            _("La réunion n'a pas encore eu lieu : le procès-verbal se rédige après son début.")
        )
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is not None:
        _refuse_approved(minutes)
    chair, secretary = officers(meeting)
    if minutes is None:
        minutes = Minutes(meeting=meeting)
    minutes.chair_name = minutes.chair_name or chair
    minutes.secretary_name = minutes.secretary_name or secretary
    minutes.text = draft_text(meeting, minutes.chair_name, minutes.secretary_name)
    minutes.edited_by = _user(by)
    minutes.save()
    return minutes


@transaction.atomic
def update_minutes(
    minutes: Minutes, text: str, chair_name: str, secretary_name: str, by: Any
) -> Minutes:
    _refuse_approved(minutes)
    if not text.strip():
        raise ValidationError({"text": _("Le texte du procès-verbal ne peut pas être vide.")})
    minutes.text = text.strip() + "\n"
    minutes.chair_name = chair_name.strip()
    minutes.secretary_name = secretary_name.strip()
    minutes.edited_by = _user(by)
    minutes.full_clean(exclude=["meeting", "approved_at", "edited_by"])
    minutes.save()
    return minutes


def approving_meetings(minutes: Minutes) -> Any:
    """The meetings that may approve ``minutes``: later meetings of the same body that have
    started, not cancelled."""
    return (
        Meeting.objects.filter(
            body_id=minutes.meeting.body_id,
            starts_at__gt=minutes.meeting.starts_at,
            starts_at__lte=timezone.now(),
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-starts_at")
    )


@transaction.atomic
def approve_minutes(minutes: Minutes, at_meeting: Meeting, by: Any) -> Minutes:
    _refuse_approved(minutes)
    meeting = minutes.meeting
    if at_meeting.body_id != meeting.body_id:
        raise ValidationError(
            {
                "at_meeting": _(
                    "Le procès-verbal s'approuve lors d'une réunion de la même instance (%(body)s)."
                )
                % {"body": meeting.body.name}
            }
        )
    if at_meeting.starts_at <= meeting.starts_at:
        raise ValidationError(
            {
                "at_meeting": _(
                    "Le procès-verbal s'approuve lors d'une réunion postérieure à celle qu'il "
                    "relate."
                )
            }
        )
    if at_meeting.starts_at > timezone.now() or at_meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(
            {
                "at_meeting": _(
                    "La réunion d'approbation doit avoir commencé (et ne pas être annulée)."
                )
            }
        )
    minutes.status = MinutesStatus.APPROVED
    minutes.approved_at = at_meeting
    minutes.approved_on = meeting_date(at_meeting)
    minutes.edited_by = _user(by)
    minutes.save()
    meeting.status = MeetingStatus.MINUTES_APPROVED
    meeting.save(update_fields=["status", "updated_at"])
    # The approved PDF for every adherent: the job row is written with the approval and the
    # build is enqueued once the transaction commits (request_document defers it).
    request_document("meeting_minutes", requested_by=_user(by), parameters={"minutes": minutes.pk})
    return minutes
