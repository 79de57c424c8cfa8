"""Writes of the mission registries. Every write validates the row (``full_clean``, French
messages naming the field) inside a transaction; django-auditlog records who changed what
(registries/audit.py).

The médecin traitant requests move through ``TRANSITIONS``: waiting → proposed to a doctor
(or no solution); proposed → accepted by that doctor, back to waiting when the doctor declines,
or no solution; no solution → waiting again (reopened). Closing sets the closing date and the
waiting days; reopening clears them."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Member
from registries.identifiers import identifier_problem
from registries.models import GpRequest, ProfessionalProfile, RequestStatus, UnplannedSlotOffer

W, P, A, N = (
    RequestStatus.WAITING,
    RequestStatus.PROPOSED,
    RequestStatus.ACCEPTED,
    RequestStatus.NO_SOLUTION,
)
# action → (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "propose": ((W,), P),
    "accept": ((P,), A),
    "decline": ((P,), W),
    "no_solution": ((W, P), N),
    "reopen": ((N,), W),
}
ACTION_LABELS = {
    "propose": gettext_lazy("Proposer au médecin"),
    "accept": gettext_lazy("Le médecin accepte"),
    "decline": gettext_lazy("Le médecin décline"),
    "no_solution": gettext_lazy("Clore sans solution"),
    "reopen": gettext_lazy("Rouvrir la demande"),
}


def check_reference(reference: str) -> None:
    problem = identifier_problem(reference)
    if problem:
        raise ValidationError({"reference": problem})


def suggested_reference(today: datetime.date | None = None) -> str:
    """The next free reference of the year, e.g. MT-2026-0043."""
    year = (today or timezone.localdate()).year
    prefix = f"MT-{year}-"
    count = GpRequest.objects.filter(reference__startswith=prefix).count()
    number = count + 1
    while GpRequest.objects.filter(reference=f"{prefix}{number:04d}").exists():
        number += 1
    return f"{prefix}{number:04d}"


def save_record(instance: models.Model) -> models.Model:
    """Validate and save a register row (creation or change), all or nothing."""
    if isinstance(instance, GpRequest):
        check_reference(instance.reference)
    with transaction.atomic():
        instance.full_clean()
        instance.save()
    return instance


def transition_request(
    request: GpRequest,
    action: str,
    *,
    on: datetime.date | None = None,
    doctor: Member | None = None,
) -> GpRequest:
    """Move a request through one transition; refused with a French message otherwise."""
    if action not in TRANSITIONS:
        raise ValidationError(_("Action inconnue sur la demande."))
    sources, target = TRANSITIONS[action]
    day = on or timezone.localdate()
    with transaction.atomic():
        locked = GpRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status not in sources:
            raise ValidationError(
                _("Impossible depuis le statut « %(status)s » de la demande %(reference)s.")
                % {"status": locked.get_status_display(), "reference": locked.reference}
            )
        if day < locked.received_on:
            raise ValidationError(
                _("La date (%(day)s) ne peut pas précéder celle de la demande (%(received)s).")
                % {
                    "day": day.strftime("%d/%m/%Y"),
                    "received": locked.received_on.strftime("%d/%m/%Y"),
                }
            )
        if day > timezone.localdate():
            raise ValidationError(_("La date ne peut pas être dans le futur."))
        if action == "propose":
            if doctor is None:
                raise ValidationError(_("Choisissez le médecin à qui proposer la demande."))
            locked.proposed_to = doctor
            locked.proposed_on = day
        elif action == "accept":
            locked.doctor = locked.proposed_to
            _close(locked, day)
        elif action == "decline":
            locked.proposed_to = None
            locked.proposed_on = None
        elif action == "no_solution":
            _close(locked, day)
        elif action == "reopen":
            locked.closed_on = None
            locked.waiting_days = None
        locked.status = target
        locked.full_clean()
        locked.save()
    return locked


def _close(request: GpRequest, day: datetime.date) -> None:
    request.closed_on = day
    request.waiting_days = (day - request.received_on).days


def profile_for(member: Member) -> ProfessionalProfile:
    """The member's profile, unsaved when they have none yet."""
    try:
        return member.registry_profile
    except ProfessionalProfile.DoesNotExist:
        return ProfessionalProfile(member=member)


def save_profile(profile: ProfessionalProfile, data: dict[str, Any] | None = None) -> None:
    """Save a profile; declaring a new capacity dates it (accepted requests count from then)."""
    if data:
        for name, value in data.items():
            setattr(profile, name, value)
    if profile.accepts_new_patients and profile.capacity_since is None:
        profile.capacity_since = timezone.localdate()
    if profile.internship_supervisor and profile.supervisor_since is None:
        profile.supervisor_since = timezone.localdate()
    if not profile.internship_supervisor:
        profile.supervisor_since = None
    save_record(profile)


# --- Unplanned-care slots a member declares from the portal --------------------------------

# How far back a member may still correct a week, and how far ahead they may declare one.
PORTAL_SLOT_WEEKS_BACK = 2
PORTAL_SLOT_WEEKS_AHEAD = 12


def week_monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def slot_week_problem(week: datetime.date, today: datetime.date | None = None) -> str:
    """Why a member may not declare slots for ``week`` (a Monday) from the portal; "" if ok."""
    current = week_monday(today or timezone.localdate())
    if week < current - datetime.timedelta(weeks=PORTAL_SLOT_WEEKS_BACK):
        return _(
            "La semaine du %(week)s est trop ancienne : vous pouvez déclarer ou corriger vos "
            "créneaux jusqu'à %(back)s semaines en arrière."
        ) % {"week": week.strftime("%d/%m/%Y"), "back": PORTAL_SLOT_WEEKS_BACK}
    if week > current + datetime.timedelta(weeks=PORTAL_SLOT_WEEKS_AHEAD):
        return _(
            "La semaine du %(week)s est trop lointaine : vous pouvez déclarer vos créneaux "
            "jusqu'à %(ahead)s semaines à l'avance."
        ) % {"week": week.strftime("%d/%m/%Y"), "ahead": PORTAL_SLOT_WEEKS_AHEAD}
    return ""


def declare_slots(member: Member, week: datetime.date, slots: int) -> UnplannedSlotOffer | None:
    """The member's own slots for a week: one row per member and week, updated in place (0
    withdraws the week's offer and keeps the row, so the change is audited). None when 0 is
    declared for a week without any offer (nothing to withdraw)."""
    week = week_monday(week)
    problem = slot_week_problem(week)
    if problem:
        raise ValidationError({"week": problem})
    if slots < 0:
        raise ValidationError({"slots": _("Le nombre de créneaux ne peut pas être négatif.")})
    with transaction.atomic():
        offer = (
            UnplannedSlotOffer.objects.select_for_update().filter(member=member, week=week).first()
        )
        if offer is None:
            if slots == 0:
                return None
            offer = UnplannedSlotOffer(member=member, week=week)
        elif offer.slots == slots:
            return offer
        offer.slots = slots
        offer.full_clean()
        offer.save()
    return offer
