"""Reads of accounts and invitations: the lists of the coordination's pages and the look-ups
that decide whether an address may be invited."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpts.models import Invitation, RoleAssignment, User

TOKEN_MAX_LENGTH = 64  # Invitation.token's max_length

# Filters of the invitation list: (query-string value, French label).
INVITATION_STATUSES = {
    "en-attente": _("En attente"),
    "acceptees": _("Acceptées"),
    "expirees": _("Expirées"),
    "revoquees": _("Révoquées"),
}


def invitation_status_q(status: str) -> Q:
    """The filter of one status of ``INVITATION_STATUSES`` (an unknown value selects all)."""
    now = timezone.now()
    open_q = Q(accepted_at__isnull=True, revoked_at__isnull=True)
    if status == "en-attente":
        return open_q & Q(expires_at__gt=now)
    if status == "acceptees":
        return Q(accepted_at__isnull=False)
    if status == "expirees":
        return open_q & Q(expires_at__lte=now)
    if status == "revoquees":
        return Q(revoked_at__isnull=False)
    return Q()


def invitations(status: str = "") -> QuerySet[Invitation]:
    """Invitations, newest first, with the inviting person and the created account preloaded."""
    return (
        Invitation.objects.filter(invitation_status_q(status))
        .select_related("invited_by", "user")
        .order_by("-created_at", "-pk")
    )


def email_has_account(email: str) -> bool:
    """Whether an account already uses ``email`` (as login or as an allauth address)."""
    from allauth.account.models import EmailAddress

    return (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


def pending_invitations_for(email: str) -> QuerySet[Invitation]:
    """Open invitations (neither accepted, revoked nor expired) sent to ``email``."""
    return Invitation.objects.filter(invitation_status_q("en-attente"), email__iexact=email)


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link's token designates, whatever its state; None if unknown."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return Invitation.objects.select_related("invited_by").filter(token=token).first()


def users(search: str = "") -> QuerySet[User]:
    """Accounts for the users page, hand-assigned roles prefetched; ``search`` matches the
    email, first name or last name (case-insensitive)."""
    queryset = User.objects.prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("role"))
    )
    for word in search.split():
        queryset = queryset.filter(
            Q(email__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
        )
    return queryset.order_by("last_name", "first_name", "email")
