"""Proxies (procurations) for an AG: given online by an adherent or recorded on paper by the
coordination, withdrawn before the AG starts. The statutory rules are
``governance.rules.proxy_error``; voting rights are read on the AG's date."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import (
    Attendance,
    AttendanceStatus,
    BodyKind,
    Convocation,
    ConvocationAnswer,
    Meeting,
    MeetingStatus,
    Proxy,
    Statutes,
)
from governance.rules import proxy_error
from governance.selectors.voting import can_vote, meeting_date
from members.models import Member


def proxies_closed_reason(meeting: Meeting, *, at_the_door: bool = False) -> str | None:
    """Why no proxy can be given or withdrawn for ``meeting`` now, or None. Online proxies
    close when the AG starts; a signed paper proxy handed in ``at_the_door`` is still
    recorded by the coordination while the AG is in session (until it is declared held)."""
    if meeting.body.kind != BodyKind.AG:
        return _("Les procurations ne concernent que l'assemblée générale.")
    if meeting.status == MeetingStatus.CANCELLED:
        return _("Cette AG est annulée : aucune procuration ne peut être donnée.")
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED):
        return _("Les procurations sont closes : l'AG est terminée.")
    if not at_the_door and timezone.now() >= meeting.starts_at:
        return _("Les procurations sont closes : l'AG a commencé.")
    return None


@transaction.atomic
def give_proxy(
    meeting: Meeting, giver: Member, holder: Member, by: Any, *, at_the_door: bool = False
) -> Proxy:
    """``giver`` gives their vote at ``meeting`` to ``holder`` (replacing an earlier proxy of
    the giver). Raises ValidationError with a French message naming the field."""
    closed = proxies_closed_reason(meeting, at_the_door=at_the_door)
    if closed:
        raise ValidationError(closed)
    # Lock both members (in a fixed order, so two requests never wait on each other) before
    # counting: two proxies given at once to the same holder cannot both pass the limit.
    locked = {
        m.pk: m for m in Member.objects.select_for_update().filter(pk__in=[giver.pk, holder.pk])
    }
    if giver.pk not in locked or holder.pk not in locked:
        raise ValidationError({"holder": _("Ce membre n'existe plus.")})
    held = list(
        Proxy.objects.select_for_update().filter(meeting=meeting, holder=holder).order_by("pk")
    )
    on = meeting_date(meeting)
    error = proxy_error(
        giver_can_vote=can_vote(giver, on),
        holder_can_vote=can_vote(holder, on),
        same_person=giver.pk == holder.pk,
        holder_proxies=sum(1 for proxy in held if proxy.giver_id != giver.pk),
        max_per_holder=Statutes.objects.get_solo().max_proxies_per_holder,
        giver_holds_proxies=Proxy.objects.filter(meeting=meeting, holder=giver).exists(),
        holder_gave_proxy=Proxy.objects.filter(meeting=meeting, giver=holder).exists(),
    )
    if error:
        raise ValidationError({"holder": error})
    proxy = Proxy.objects.select_for_update().filter(meeting=meeting, giver=giver).first()
    if proxy is None:
        proxy = Proxy.objects.create(meeting=meeting, giver=giver, holder=holder, created_by=by)
    elif proxy.holder_id != holder.pk:
        proxy.holder = holder
        proxy.created_by = by
        proxy.save(update_fields=["holder", "created_by", "updated_at"])
    for convocation in Convocation.objects.filter(meeting=meeting, member=giver):
        convocation.answer = ConvocationAnswer.PROXY
        convocation.answered_at = timezone.now()
        convocation.save(update_fields=["answer", "answered_at", "updated_at"])
    Attendance.objects.update_or_create(
        meeting=meeting,
        member=giver,
        defaults={
            "status": AttendanceStatus.REPRESENTED,
            "represented_by": holder,
            "recorded_by": by,
        },
    )
    return proxy


def record_paper_proxy(meeting: Meeting, giver: Member, holder: Member, by: Any) -> Proxy:
    """A signed paper proxy handed to the coordination: the same rules as online, and still
    accepted once the AG has started (proxies are often handed in at the door)."""
    return give_proxy(meeting, giver, holder, by, at_the_door=True)


@transaction.atomic
def revoke_proxy(proxy: Proxy, by: Any, *, at_the_door: bool = False) -> None:
    """Withdraw a proxy before the AG starts (the coordination may still correct one
    ``at_the_door`` while the AG is in session): the giver is back to "no answer" (their
    convocation) and "not recorded" (their attendance)."""
    meeting = proxy.meeting
    closed = proxies_closed_reason(meeting, at_the_door=at_the_door)
    if closed:
        raise ValidationError(closed)
    Attendance.objects.filter(
        meeting=meeting, member_id=proxy.giver_id, status=AttendanceStatus.REPRESENTED
    ).delete()
    for convocation in Convocation.objects.filter(
        meeting=meeting, member_id=proxy.giver_id, answer=ConvocationAnswer.PROXY
    ):
        convocation.answer = ConvocationAnswer.PENDING
        convocation.answered_at = timezone.now()
        convocation.save(update_fields=["answer", "answered_at", "updated_at"])
    proxy.delete()
