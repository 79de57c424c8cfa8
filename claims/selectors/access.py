"""Who may validate or approve which claim. Validation: the coordination (``claims.validate``)
for every claim, a référent (``groups.lead``) for the claims of their own groups' meetings.
Approval: ``finance.approve``, never one's own claim nor a claim one validated (four eyes)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from claims.common import member_of
from claims.models import Claim
from cpts.permissions import user_can


def led_body_ids(user: Any) -> QuerySet[Any]:
    """The working groups ``user`` leads today as référent (a values queryset of ids)."""
    from governance.models import BodyKind, Mandate, MandateRole

    return (
        Mandate.objects.active_on(timezone.localdate())
        .filter(member__user=user, role=MandateRole.REFERENT, body__kind=BodyKind.GROUP)
        .values("body_id")
    )


def is_own(user: Any, claim: Claim) -> bool:
    member = member_of(user)
    return member is not None and member.pk == claim.member_id


def can_validate(user: Any, claim: Claim) -> bool:
    if user is None or not user.is_authenticated or is_own(user, claim):
        return False
    if user_can(user, "claims.validate"):
        return True
    if not user_can(user, "groups.lead") or claim.meeting_id is None:
        return False
    from governance.models import Meeting

    return Meeting.objects.filter(pk=claim.meeting_id, body_id__in=led_body_ids(user)).exists()


def can_approve(user: Any, claim: Claim) -> bool:
    if user is None or not user.is_authenticated or is_own(user, claim):
        return False
    if claim.validated_by_id is not None and claim.validated_by_id == user.pk:
        return False
    return user_can(user, "finance.approve")
