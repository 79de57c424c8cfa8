"""CA elections per collège at a meeting: candidates, votes, and the count that gives the
elected their mandates (all of them or none)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Body, BodyKind, Candidate, Election, Mandate, MandateRole, Meeting
from governance.selectors.voting import meeting_date
from governance.services.resolutions import (
    deliberation_quorum,
    refuse_closed_meeting,
    refuse_group,
)
from members.models import College, Member
from members.models.members import MemberStatus

MANDATE_YEARS = 3


def default_mandate_dates(meeting: Meeting) -> tuple[datetime.date, datetime.date]:
    """From the meeting's date to the day before the same date three years later."""
    start = meeting_date(meeting)
    try:
        anniversary = start.replace(year=start.year + MANDATE_YEARS)
    except ValueError:  # 29 February
        anniversary = start.replace(year=start.year + MANDATE_YEARS, day=28)
    return start, anniversary - datetime.timedelta(days=1)


def default_seats(body: Body, college: College, mandate_start: datetime.date) -> int:
    """The collège's CA seats minus the mandates of that collège still running then."""
    running = Mandate.objects.active_on(mandate_start).filter(body=body, college=college).count()
    return max(college.ca_seats - running, 0)


def board_body() -> Body:
    body = Body.objects.filter(kind=BodyKind.CA).first()
    if body is None:
        raise ValidationError(_("Le conseil d'administration n'existe pas encore."))
    return body


@transaction.atomic
def create_election(
    meeting: Meeting,
    *,
    college: College,
    by: Any,
    seats: int | None = None,
    mandate_start: datetime.date | None = None,
    mandate_end: datetime.date | None = None,
) -> Election:
    refuse_group(meeting)
    refuse_closed_meeting(meeting.pk)
    body = board_body()
    default_start, default_end = default_mandate_dates(meeting)
    start = mandate_start or default_start
    end = mandate_end or default_end
    if end <= start:
        raise ValidationError(
            {"mandate_end": _("La fin des mandats doit être postérieure à leur début.")}
        )
    if seats is None:
        seats = default_seats(body, college, start)
        if seats <= 0:
            raise ValidationError(
                {
                    "seats": _(
                        "Aucun siège à pourvoir pour le collège « %(college)s » : ses %(seats)s "
                        "siège(s) au CA sont occupés au %(date)s."
                    )
                    % {
                        "college": college,
                        "seats": college.ca_seats,
                        "date": start.strftime("%d/%m/%Y"),
                    }
                }
            )
    if seats <= 0:
        raise ValidationError({"seats": _("Le nombre de sièges à pourvoir doit être au moins 1.")})
    if Election.objects.filter(meeting=meeting, body=body, college=college).exists():
        raise ValidationError(
            {
                "college": _(
                    "Une élection pour le collège « %(college)s » existe déjà à cette réunion."
                )
                % {"college": college}
            }
        )
    return Election.objects.create(
        meeting=meeting,
        body=body,
        college=college,
        seats=seats,
        mandate_start=start,
        mandate_end=end,
    )


def _refuse_closed(election: Election) -> None:
    """Refuse a change to a closed election or to one of a locked meeting."""
    refuse_closed_meeting(election.meeting_id)
    if election.closed_at is not None:
        raise ValidationError(_("Cette élection est close : elle ne peut plus être modifiée."))


@transaction.atomic
def add_candidate(election: Election, member: Member, by: Any) -> Candidate:
    _refuse_closed(election)
    if member.status != MemberStatus.ACTIVE or member.college_id != election.college_id:
        raise ValidationError(
            {
                "member": _(
                    "%(name)s ne peut pas être candidat·e : seuls les membres actifs du collège "
                    "« %(college)s » peuvent se présenter."
                )
                % {"name": member.display_name, "college": election.college}
            }
        )
    if election.candidates.filter(member=member).exists():
        raise ValidationError(
            {"member": _("%(name)s est déjà candidat·e.") % {"name": member.display_name}}
        )
    return Candidate.objects.create(election=election, member=member)


@transaction.atomic
def remove_candidate(candidate: Candidate, by: Any) -> None:
    _refuse_closed(candidate.election)
    candidate.delete()


@transaction.atomic
def record_election_votes(election: Election, votes: Mapping[int, int], by: Any) -> Election:
    """``votes``: candidate pk → votes. Every candidate needs a count; the total may not
    exceed the voters present or represented times the seats."""
    _refuse_closed(election)
    quorum = deliberation_quorum(election.meeting)
    candidates = list(election.candidates.select_related("member"))
    errors = []
    for candidate in candidates:
        count = votes.get(candidate.pk)
        if count is None:
            errors.append(
                _("Indiquez le nombre de voix de %(name)s.")
                % {"name": candidate.member.display_name}
            )
        elif count < 0:
            errors.append(
                _("Le nombre de voix de %(name)s ne peut pas être négatif.")
                % {"name": candidate.member.display_name}
            )
    if errors:
        raise ValidationError(errors)
    total = sum(votes[candidate.pk] for candidate in candidates)
    ceiling = quorum.counted * election.seats
    if total > ceiling:
        raise ValidationError(
            _(
                "%(total)s voix au total pour seulement %(voters)s votants présents ou représentés "
                "et %(seats)s siège(s) : %(ceiling)s voix au plus."
            )
            % {
                "total": total,
                "voters": quorum.counted,
                "seats": election.seats,
                "ceiling": ceiling,
            }
        )
    for candidate in candidates:
        candidate.votes = votes[candidate.pk]
        candidate.save(update_fields=["votes", "updated_at"])
    return election


def _ranked(election: Election) -> list[Candidate]:
    candidates = list(election.candidates.select_related("member"))
    return sorted(candidates, key=lambda c: (-(c.votes or 0), c.member.last_name, c.pk))


@transaction.atomic
def close_election(election: Election, by: Any) -> list[Candidate]:
    """Elect the ``seats`` candidates with the most votes and give each a CA mandate.
    A tie at the last seat is refused (the coordination settles it, e.g. by a second round)
    and a mandate that cannot be created cancels everything."""
    from governance.services.mandates import create_mandate

    _refuse_closed(election)
    ranked = _ranked(election)
    if not ranked:
        raise ValidationError(
            _("Aucun candidat : ajoutez les candidatures avant le dépouillement.")
        )
    missing = [c.member.display_name for c in ranked if c.votes is None]
    if missing:
        raise ValidationError(
            _("Les voix de %(names)s ne sont pas enregistrées.") % {"names": ", ".join(missing)}
        )
    winners = [c for c in ranked[: election.seats] if (c.votes or 0) > 0]
    if len(ranked) > election.seats and winners:
        last, first_out = ranked[election.seats - 1], ranked[election.seats]
        if last.votes == first_out.votes:
            tied = [c.member.display_name for c in ranked if c.votes == last.votes]
            raise ValidationError(
                _(
                    "Égalité pour le dernier siège entre %(names)s (%(votes)s voix) : départagez-"
                    "les (par exemple par un second tour) puis corrigez les voix avant de clore."
                )
                % {"names": ", ".join(tied), "votes": last.votes}
            )
    for candidate in winners:
        try:
            create_mandate(
                member=candidate.member,
                body=election.body,
                role=MandateRole.ADMINISTRATEUR,
                start_date=election.mandate_start,
                end_date=election.mandate_end,
                college=election.college,
                elected_at=election.meeting,
                by=by,
            )
        except ValidationError as error:
            raise ValidationError(
                _("Le mandat de %(name)s ne peut pas être créé : %(reason)s")
                % {"name": candidate.member.display_name, "reason": " ".join(error.messages)}
            ) from error
        candidate.elected = True
        candidate.save(update_fields=["elected", "updated_at"])
    election.closed_at = timezone.now()
    election.save(update_fields=["closed_at", "updated_at"])
    return winners
