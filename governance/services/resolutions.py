"""Resolutions of a meeting: writing them, ordering them, and recording the show of hands.

Every write is atomic and goes through ``save()``/``delete()`` so the audit log records it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from governance.models import (
    AgendaItem,
    AgKind,
    BodyKind,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Resolution,
    Statutes,
)
from governance.rules import Quorum, VoteCounts, is_adopted, vote_errors
from governance.selectors.voting import quorum_for


def quorum_not_reached_message() -> str:
    return _("Le quorum n'est pas atteint : l'assemblée ne peut pas délibérer.")


def default_majority(meeting: Meeting) -> str:
    """The majority rule the statutes set for a resolution of ``meeting``."""
    statutes = Statutes.objects.get_solo()
    if meeting.body.kind == BodyKind.AG:
        if meeting.ag_kind == AgKind.EXTRAORDINARY:
            return statutes.ag_extraordinary_majority
        return statutes.ag_ordinary_majority
    return statutes.board_majority


def decisions_closed_reason(meeting: Meeting) -> str | None:
    """Why the resolutions and elections of ``meeting`` can no longer change, or None."""
    if meeting.status == MeetingStatus.CANCELLED:
        return _(
            "Cette réunion est annulée : ses résolutions et élections ne peuvent pas être "
            "modifiées."
        )
    if (
        meeting.status == MeetingStatus.MINUTES_APPROVED
        or Minutes.objects.filter(meeting=meeting, status=MinutesStatus.APPROVED).exists()
    ):
        return _(
            "Le procès-verbal est approuvé : les résolutions et élections de cette réunion ne "
            "peuvent plus être modifiées."
        )
    return None


def refuse_closed_meeting(meeting_id: int) -> Meeting:
    """Lock the meeting's row, read its status afresh, and refuse when its decisions are
    closed (cancelled meeting, approved minutes). Call inside a transaction."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    reason = decisions_closed_reason(meeting)
    if reason:
        raise ValidationError(reason)
    return meeting


def refuse_group(meeting: Meeting) -> None:
    if meeting.body.kind == BodyKind.GROUP:
        raise ValidationError(
            _(
                "Un groupe de travail ne prend pas de résolutions : seuls l'AG, le CA et le bureau "
                "délibèrent."
            )
        )


def _check_agenda_item(meeting: Meeting, agenda_item: AgendaItem | None) -> None:
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError(
            {"agenda_item": _("Ce point n'appartient pas à l'ordre du jour de cette réunion.")}
        )


def deliberation_quorum(meeting: Meeting) -> Quorum:
    """The live quorum, when ``meeting`` may vote now; otherwise a French refusal."""
    refuse_group(meeting)
    if meeting.starts_at > timezone.now():
        raise ValidationError(
            _(
                "La réunion n'a pas encore commencé : aucun vote ne peut être enregistré avant le "
                "%(date)s."
            )
            % {"date": date_format(timezone.localtime(meeting.starts_at), "d/m/Y H:i")}
        )
    quorum = quorum_for(meeting)
    if quorum is None:  # pragma: no cover - groups are refused above
        raise ValidationError(_("Cette réunion ne vote pas."))
    if not quorum.reached:
        raise ValidationError(quorum_not_reached_message())
    return quorum


@transaction.atomic
def create_resolution(
    meeting: Meeting,
    *,
    title: str,
    text: str,
    by: Any,
    agenda_item: AgendaItem | None = None,
    majority: str = "",
) -> Resolution:
    refuse_group(meeting)
    refuse_closed_meeting(meeting.pk)
    _check_agenda_item(meeting, agenda_item)
    last = meeting.resolutions.aggregate(last=Max("position"))["last"] or 0
    resolution = Resolution(
        meeting=meeting,
        agenda_item=agenda_item,
        position=last + 1,
        title=title.strip(),
        text=text.strip(),
        majority=majority or default_majority(meeting),
    )
    resolution.full_clean(exclude=["meeting", "agenda_item", "recorded_by"])
    resolution.save()
    return resolution


@transaction.atomic
def update_resolution(
    resolution: Resolution,
    *,
    title: str,
    text: str,
    majority: str,
    by: Any,
    agenda_item: AgendaItem | None = None,
) -> Resolution:
    refuse_closed_meeting(resolution.meeting_id)
    _check_agenda_item(resolution.meeting, agenda_item)
    if resolution.voted_at is not None and majority != resolution.majority:
        raise ValidationError(
            {"majority": _("La résolution a déjà été votée : sa règle de majorité ne change plus.")}
        )
    resolution.title = title.strip()
    resolution.text = text.strip()
    resolution.majority = majority
    resolution.agenda_item = agenda_item
    resolution.full_clean(exclude=["meeting", "agenda_item", "recorded_by"])
    resolution.save()
    return resolution


@transaction.atomic
def delete_resolution(resolution: Resolution, by: Any) -> None:
    """Delete and renumber the following resolutions (1, 2, 3… without gaps)."""
    refuse_closed_meeting(resolution.meeting_id)
    meeting_id, position = resolution.meeting_id, resolution.position
    resolution.delete()
    for following in Resolution.objects.filter(
        meeting_id=meeting_id, position__gt=position
    ).order_by("position"):
        following.position -= 1
        following.save(update_fields=["position", "updated_at"])


@transaction.atomic
def move_resolution(resolution: Resolution, *, up: bool, by: Any) -> None:
    """Swap ``resolution`` with its neighbour above (``up``) or below; nothing at the ends."""
    refuse_closed_meeting(resolution.meeting_id)
    siblings = Resolution.objects.filter(meeting_id=resolution.meeting_id)
    if up:
        neighbour = siblings.filter(position__lt=resolution.position).order_by("-position").first()
    else:
        neighbour = siblings.filter(position__gt=resolution.position).order_by("position").first()
    if neighbour is None:
        return
    mine, theirs = resolution.position, neighbour.position
    resolution.position = 0  # free the slot: (meeting, position) is unique
    resolution.save(update_fields=["position", "updated_at"])
    neighbour.position = mine
    neighbour.save(update_fields=["position", "updated_at"])
    resolution.position = theirs
    resolution.save(update_fields=["position", "updated_at"])


@transaction.atomic
def record_vote(
    resolution: Resolution, votes_for: int, votes_against: int, abstentions: int, by: Any
) -> Resolution:
    """Record (or correct) the show of hands: the counts are checked against the voting
    members present or represented now, and the result follows the resolution's rule."""
    refuse_closed_meeting(resolution.meeting_id)
    quorum = deliberation_quorum(resolution.meeting)
    counts = VoteCounts(votes_for, votes_against, abstentions)
    errors = vote_errors(counts, quorum.counted)
    if errors:
        raise ValidationError(errors)
    resolution.votes_for = votes_for
    resolution.votes_against = votes_against
    resolution.abstentions = abstentions
    resolution.voters = quorum.counted
    resolution.adopted = is_adopted(resolution.majority, counts, quorum.counted)
    resolution.voted_at = timezone.now()
    resolution.recorded_by = by if getattr(by, "is_authenticated", False) else None
    resolution.save()
    return resolution
