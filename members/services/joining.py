"""Writes of the joining flow: a public request to join, then the coordination accepts it (the
member is created and invited to create an account) or declines it with a reason."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpts.models import Association, Invitation, User
from cpts.roles import Role
from cpts.selectors.accounts import email_has_account, pending_invitations_for
from cpts.services.invitations import create_invitation, invitation_subject
from members.models import Member, MemberEmail, MembershipRequest
from members.models.joining import RequestStatus
from members.models.members import MemberStatus
from members.models.reference import MemberKind
from members.selectors.joining import conflicting_members
from members.services.emails import send_email

logger = logging.getLogger(__name__)

# Spam resistance of the public form: at most this many requests per address and window.
JOIN_RATE_LIMIT = 5
JOIN_RATE_WINDOW = 60 * 60  # seconds


def _rate_key(ip: str) -> str:
    return f"members:join-requests:{ip}"


def join_rate_limited(ip: str) -> bool:
    """Whether ``ip`` has used up its requests for the current window."""
    limit = getattr(settings, "MAILLAGE_JOIN_RATE_LIMIT", JOIN_RATE_LIMIT)
    return int(cache.get(_rate_key(ip), 0)) >= limit


def count_join_attempt(ip: str) -> None:
    """Count one submission (genuine or caught by the honeypot) against ``ip``."""
    key = _rate_key(ip)
    if not cache.add(key, 1, JOIN_RATE_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, JOIN_RATE_WINDOW)


@transaction.atomic
def submit_request(data: dict[str, Any]) -> MembershipRequest:
    """Record a request to join (fields of ``MembershipRequest``), pending."""
    request = MembershipRequest(**data, status=RequestStatus.PENDING)
    if request.kind == MemberKind.PERSON:
        request.organisation_name = request.organisation_kind = ""
        request.finess = request.siret = ""
    else:
        request.rpps = request.adeli = ""
    request.email = request.email.strip().lower()
    request.full_clean()
    request.save()
    return request


def _pending(request: MembershipRequest) -> MembershipRequest:
    locked = MembershipRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != RequestStatus.PENDING:
        raise ValidationError(
            _("Cette demande a déjà été traitée (%(status)s).")
            % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def accept_request(
    request: MembershipRequest, *, by: User, build_absolute_uri: Callable[[str], str]
) -> tuple[Member, Invitation | None]:
    """Create the member (active, joined today, collège of the request) and invite them to
    create an account. Refused, with nothing written, when the email, RPPS or SIRET already
    belongs to a member. An address that already has an account is linked to the member
    instead of being invited; an address with an invitation pending keeps it."""
    request = _pending(request)
    conflicts = list(conflicting_members(request)[:3])
    if conflicts:
        names = ", ".join(member.display_name for member in conflicts)
        raise ValidationError(
            _(
                "Un membre existe déjà avec la même adresse e-mail, le même RPPS ou le même "
                "SIRET : %(names)s. Vérifiez la fiche existante avant d'accepter la demande."
            )
            % {"names": names}
        )
    is_person = request.kind == MemberKind.PERSON
    member = Member(
        kind=request.kind,
        last_name=request.last_name if is_person else "",
        first_name=request.first_name if is_person else "",
        profession=request.profession if is_person else None,
        rpps=request.rpps if is_person else "",
        adeli=request.adeli if is_person else "",
        organisation_name="" if is_person else request.organisation_name,
        organisation_kind="" if is_person else request.organisation_kind,
        finess="" if is_person else request.finess,
        siret="" if is_person else request.siret,
        email=request.email,
        phone=request.phone,
        commune=request.commune,
        college=request.college,
        status=MemberStatus.ACTIVE,
        joined_on=timezone.localdate(),
    )
    member.full_clean()
    invitation = None
    existing_user = User.objects.filter(email__iexact=request.email).first()
    if existing_user is not None and not Member.objects.filter(user=existing_user).exists():
        member.user = existing_user
    member.save()
    if not email_has_account(request.email) and not pending_invitations_for(request.email).exists():
        invitation = create_invitation(
            email=request.email,
            role=Role.ADHERENT,
            invited_by=by,
            build_absolute_uri=build_absolute_uri,
            first_name=request.first_name if is_person else "",
            last_name=request.last_name if is_person else request.organisation_name,
        )
        MemberEmail.objects.create(
            member=member,
            kind="invitation",
            subject=invitation_subject(Association.objects.get_solo()),
            sent_by=by,
        )
    request.status = RequestStatus.ACCEPTED
    request.member = member
    request.decided_at = timezone.now()
    request.decided_by = by
    request.save(update_fields=["status", "member", "decided_at", "decided_by", "updated_at"])
    return member, invitation


@transaction.atomic
def decline_request(request: MembershipRequest, *, reason: str, by: User) -> MembershipRequest:
    """Decline with a reason (required), and tell the person by email after commit."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif du refus.")})
    request = _pending(request)
    request.status = RequestStatus.DECLINED
    request.decline_reason = reason
    request.decided_at = timezone.now()
    request.decided_by = by
    request.save(
        update_fields=["status", "decline_reason", "decided_at", "decided_by", "updated_at"]
    )
    association = Association.objects.get_solo()
    context = {"association": association, "request": request, "reason": reason}
    subject = _("Votre demande d'adhésion à %(name)s") % {"name": association.name}
    address = request.email

    def deliver() -> None:
        send_email(address, subject, "request_declined", context)
        logger.info("Decline of membership request %s emailed", request.pk)

    transaction.on_commit(deliver, robust=True)
    return request


def link_member_account(user: User) -> Member | None:
    """Link a new account to the member with the same email address, when that member has no
    account yet and the account belongs to no member."""
    if Member.objects.filter(user=user).exists():
        return None
    member = (
        Member.objects.filter(
            email__iexact=user.email, user__isnull=True, anonymised_at__isnull=True
        )
        .order_by("pk")
        .first()
    )
    if member is not None:
        member.user = user
        member.save(update_fields=["user", "updated_at"])
    return member
