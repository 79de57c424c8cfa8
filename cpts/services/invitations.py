"""Writes of invitations, the only way an account is created: the coordination invites an
address, the invitee follows the emailed link and chooses a password. An invitation creates
an adherent's account, or a coordination team member's (staff flag) when a superuser asked
for it; every other role comes from mandates, never from an invitation.

Emails leave after the surrounding transaction commits, so no message announces an
invitation that was rolled back. ``build_absolute_uri`` is the request's method of the same
name: links in emails point to the host the coordination is using.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cpts.models import Association, Invitation, User
from cpts.models.accounts import INVITABLE_ROLES
from cpts.roles import Role
from cpts.selectors.accounts import email_has_account, pending_invitations_for
from cpts.services.accounts import create_account

logger = logging.getLogger(__name__)

UriBuilder = Callable[[str], str]


class InvitationUnavailable(Exception):
    """The invitation can no longer be used; ``reason`` is accepted, revoked, expired or
    account_exists."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def invitation_state(invitation: Invitation) -> str:
    """pending, accepted, revoked or expired."""
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.is_expired:
        return "expired"
    return "pending"


def ensure_invitable(email: str, *, exclude: Invitation | None = None) -> None:
    """Refuse (ValidationError on ``email``) an address that already has an account or an
    open invitation."""
    if email_has_account(email):
        raise ValidationError(
            {"email": _("Un compte existe déjà avec cette adresse e-mail.")}, code="account_exists"
        )
    pending = pending_invitations_for(email)
    if exclude is not None:
        pending = pending.exclude(pk=exclude.pk)
    if pending.exists():
        raise ValidationError(
            {
                "email": _(
                    "Une invitation est déjà en attente pour cette adresse e-mail : "
                    "renvoyez-la depuis la liste des invitations."
                )
            },
            code="pending_invitation",
        )


@transaction.atomic
def create_invitation(
    *,
    email: str,
    invited_by: User,
    build_absolute_uri: UriBuilder,
    role: Role | str = Role.ADHERENT,
    first_name: str = "",
    last_name: str = "",
) -> Invitation:
    """Record an invitation and email its link once the transaction commits. ``role`` is
    adherent, or coordinateur (the coordination team), which only a superuser invites."""
    email = email.strip().lower()
    if role not in INVITABLE_ROLES:
        raise ValidationError(
            {
                "role": _(
                    "Une invitation crée un compte d'adhérent·e ou de l'équipe de coordination : "
                    "les autres rôles viennent des mandats."
                )
            }
        )
    if role == Role.COORDINATEUR and not invited_by.is_superuser:
        raise ValidationError(
            {
                "role": _(
                    "Seul un super-utilisateur peut inviter un membre de l'équipe de coordination."
                )
            }
        )
    ensure_invitable(email)
    invitation = Invitation.objects.create(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=Role(role),
        invited_by=invited_by,
    )
    _send_after_commit(invitation, build_absolute_uri)
    return invitation


@transaction.atomic
def resend_invitation(invitation: Invitation, *, build_absolute_uri: UriBuilder) -> Invitation:
    """Give a pending or expired invitation a new link (the old one stops working) and a new
    expiry date, and email it again."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    state = invitation_state(invitation)
    if state in {"accepted", "revoked"}:
        raise InvitationUnavailable(state)
    ensure_invitable(invitation.email, exclude=invitation)
    invitation.token = Invitation._meta.get_field("token").get_default()
    invitation.expires_at = timezone.now() + timedelta(days=settings.MAILLAGE_INVITATION_DAYS)
    invitation.save(update_fields=["token", "expires_at", "updated_at"])
    _send_after_commit(invitation, build_absolute_uri)
    return invitation


@transaction.atomic
def revoke_invitation(invitation: Invitation) -> Invitation:
    """Stop a pending or expired invitation's link from working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    state = invitation_state(invitation)
    if state in {"accepted", "revoked"}:
        raise InvitationUnavailable(state)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    return invitation


@transaction.atomic
def accept_invitation(invitation: Invitation, password: str) -> User:
    """Create the invitee's account (address verified: they followed the emailed link), in
    the coordination team if so invited, and mark the invitation accepted. All or nothing."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    state = invitation_state(invitation)
    if state != "pending":
        raise InvitationUnavailable(state)
    if email_has_account(invitation.email):
        raise InvitationUnavailable("account_exists")
    user = create_account(
        invitation.email,
        password,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
        is_staff=invitation.as_coordinator,
        email_verified=True,
    )
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user", "updated_at"])
    return user


def _send_after_commit(invitation: Invitation, build_absolute_uri: UriBuilder) -> None:
    # robust: a mail server failure is logged and does not turn a recorded invitation into an
    # error page; the coordination can send it again from the list.
    accept_url = build_absolute_uri(reverse("invitation_accept", args=[invitation.token]))
    transaction.on_commit(lambda: send_invitation_email(invitation, accept_url), robust=True)


def invitation_subject(association: Association) -> str:
    """The subject line of invitation emails (also recorded in the member's email log)."""
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string("emails/invitation_subject.txt", {"association": association})
    return " ".join(text.split())


def send_invitation_email(invitation: Invitation, accept_url: str) -> None:
    """Email the invitation (French, text and HTML) with its link and expiry date."""
    association = Association.objects.get_solo()
    context = {
        "invitation": invitation,
        "association": association,
        "accept_url": accept_url,
        "inviter": invitation.invited_by,
    }
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string("emails/invitation_message.txt", context)
        html = render_to_string("emails/invitation_message.html", context)
    message = EmailMultiAlternatives(invitation_subject(association), text, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    message.send()
    logger.info("Invitation %s emailed", invitation.pk)
