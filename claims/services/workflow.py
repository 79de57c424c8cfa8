"""The claim workflow: submitted → validated (coordination, or the group's référent) →
approved (trésorerie, within the member's yearly PASS for indemnities) → paid (in a batch),
or refused with a reason the member sees. Nobody validates or approves their own claim and
the person who validated a claim does not approve it. Atomic and audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims import rules
from claims.common import acting, euros
from claims.models import Claim, ClaimNature, ClaimStatus
from claims.selectors.access import can_validate, is_own
from claims.services.notify import notify_refused
from cpts.permissions import user_can


def _locked(claim: Claim) -> Claim:
    return Claim.objects.select_for_update().select_related("member").get(pk=claim.pk)


def _wrong_status(claim: Claim) -> ValidationError:
    return ValidationError(
        _("La demande est « %(status)s » : cette action n'est plus possible.")
        % {"status": claim.get_status_display()}
    )


def validate_claim(claim: Claim, *, by: Any) -> Claim:
    with transaction.atomic(), acting(by):
        claim = _locked(claim)
        if is_own(by, claim):
            raise ValidationError(_("Vous ne pouvez pas valider votre propre demande."))
        if not can_validate(by, claim):
            raise PermissionDenied(_("Vous ne pouvez pas valider cette demande."))
        if claim.status != ClaimStatus.SUBMITTED:
            raise _wrong_status(claim)
        claim.status = ClaimStatus.VALIDATED
        claim.validated_by = by
        claim.validated_at = timezone.now()
        claim.save()
    return claim


def cap_error(claim: Claim) -> str | None:
    """The French reason an indemnity would exceed the member's PASS, None when it fits."""
    if claim.nature != ClaimNature.INDEMNITY:
        return None
    year = claim.date.year
    ceiling = rules.pass_amount(year)
    total = rules.capped_total(claim.member_id, year, exclude_pk=claim.pk)
    if total + claim.amount <= ceiling:
        return None
    over = total + claim.amount - ceiling
    return _(
        "Plafond annuel dépassé pour %(name)s : le PASS %(year)s est de %(pass)s, "
        "%(total)s d'indemnités sont déjà approuvés ; cette demande de %(amount)s le "
        "dépasserait de %(over)s."
    ) % {
        "name": claim.member.display_name,
        "year": year,
        "pass": euros(ceiling),
        "total": euros(total),
        "amount": euros(claim.amount),
        "over": euros(over),
    }


def approve_claim(claim: Claim, *, by: Any) -> Claim:
    from members.models import Member

    with transaction.atomic(), acting(by):
        # One approval at a time per member, so two approvals never both fit under the cap.
        Member.objects.select_for_update().filter(pk=claim.member_id).first()
        claim = _locked(claim)
        if not user_can(by, "finance.approve"):
            raise PermissionDenied(_("Seule la trésorerie approuve les demandes."))
        if is_own(by, claim):
            raise ValidationError(_("Vous ne pouvez pas approuver votre propre demande."))
        if claim.validated_by_id is not None and claim.validated_by_id == by.pk:
            raise ValidationError(
                _(
                    "Vous avez validé cette demande : une autre personne doit l'approuver "
                    "(principe des quatre yeux)."
                )
            )
        if claim.status != ClaimStatus.VALIDATED:
            raise _wrong_status(claim)
        reason = cap_error(claim)
        if reason:
            raise ValidationError(reason)
        claim.status = ClaimStatus.APPROVED
        claim.approved_by = by
        claim.approved_at = timezone.now()
        claim.save()
    return claim


def refuse_claim(claim: Claim, *, by: Any, reason: str) -> Claim:
    reason = (reason or "").strip()
    with transaction.atomic(), acting(by):
        claim = _locked(claim)
        if is_own(by, claim):
            raise ValidationError(_("Vous ne pouvez pas refuser votre propre demande."))
        if claim.status == ClaimStatus.SUBMITTED:
            allowed = can_validate(by, claim) or user_can(by, "finance.approve")
        elif claim.status == ClaimStatus.VALIDATED:
            allowed = user_can(by, "finance.approve")
        else:
            raise _wrong_status(claim)
        if not allowed:
            raise PermissionDenied(_("Vous ne pouvez pas refuser cette demande."))
        if not reason:
            raise ValidationError({"reason": _("Indiquez le motif du refus : le membre le verra.")})
        claim.status = ClaimStatus.REFUSED
        claim.refused_by = by
        claim.refused_at = timezone.now()
        claim.refusal_reason = reason
        claim.save()
        notify_refused(claim, by)
    return claim


@dataclass
class BulkOutcome:
    approved: list[Claim] = field(default_factory=list)
    rejected: list[tuple[Claim, str]] = field(default_factory=list)

    @property
    def approved_amount(self) -> Decimal:
        return sum((claim.amount for claim in self.approved), Decimal("0"))


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(message) for message in error.messages)
    return str(error) or _("Action refusée.")


def approve_claims(claims: Iterable[Claim], *, by: Any) -> BulkOutcome:
    """Approve each claim on its own (oldest first, so the cap keeps the earliest ones): a
    refusal of one never blocks the others, and comes back with its French reason."""
    outcome = BulkOutcome()
    for claim in sorted(claims, key=lambda item: (item.date, item.pk)):
        try:
            outcome.approved.append(approve_claim(claim, by=by))
        except (ValidationError, PermissionDenied) as error:
            outcome.rejected.append((claim, _message(error)))
    return outcome
