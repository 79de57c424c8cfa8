"""Reads of accounts and invitations: the lists of the coordination's pages, the roles each
account holds, and the look-ups that decide whether an address may be invited.

Roles come from the staff flag (coordination) and from running mandates. The core does not
know mandates: the governance app registers a *role-grant provider* that answers, in one
query for a whole page of accounts, which mandates each account holds on a day and the
role each grants."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpts.models import Invitation, User
from cpts.roles import Role

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
    """Accounts for the users page, with their member record (if any) joined; ``search``
    matches the email, first name or last name (case-insensitive)."""
    queryset = User.objects.select_related("member")
    for word in search.split():
        queryset = queryset.filter(
            Q(email__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
        )
    return queryset.order_by("last_name", "first_name", "email")


@dataclass(frozen=True)
class RoleGrant:
    """A running mandate of an account and the registry role it grants (None when the
    function grants nothing beyond adherent, or the member is no longer active)."""

    role: Role | None
    body: str
    function: str
    start_date: datetime.date
    end_date: datetime.date | None


RoleGrantProvider = Callable[[Collection[int], datetime.date], Mapping[int, Iterable[RoleGrant]]]
_grant_providers: list[RoleGrantProvider] = []


def register_role_grant_provider(provider: RoleGrantProvider) -> RoleGrantProvider:
    """Add a source of role grants: ``provider(user_ids, day)`` maps each user id to the
    grants it holds on ``day``, in a number of queries that does not grow with the ids."""
    if provider not in _grant_providers:
        _grant_providers.append(provider)
    return provider


def role_grants(
    user_ids: Collection[int], on: datetime.date | None = None
) -> dict[int, list[RoleGrant]]:
    """The grants of each of ``user_ids`` on ``on`` (today by default)."""
    day = on or timezone.localdate()
    grants: dict[int, list[RoleGrant]] = {pk: [] for pk in user_ids}
    if not grants:
        return grants
    for provider in _grant_providers:
        for pk, found in provider(list(grants), day).items():
            grants.setdefault(pk, []).extend(found)
    return grants


@dataclass
class AccountRoles:
    """What the users pages show of an account: its roles (coordination first, then the
    registry's order) and the running mandates they come from."""

    account: User
    grants: list[RoleGrant] = field(default_factory=list)

    @property
    def roles(self) -> list[Role]:
        held = {grant.role for grant in self.grants if grant.role is not None}
        if self.account.is_staff:
            held.add(Role.COORDINATEUR)
        return [role for role in Role if role in held]


def account_roles(accounts: Iterable[User], on: datetime.date | None = None) -> list[AccountRoles]:
    """The roles and mandates of ``accounts`` (e.g. one page of the users list), in the
    providers' constant number of queries."""
    accounts = list(accounts)
    grants = role_grants([account.pk for account in accounts], on)
    return [AccountRoles(account, grants.get(account.pk, [])) for account in accounts]
