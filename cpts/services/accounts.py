"""Writes of accounts and roles. Every account is created here (invitation acceptance, demo
data, tests), so the user, its verified allauth address and its roles stay consistent."""

from __future__ import annotations

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cpts.models import RoleAssignment, User
from cpts.permissions import forget_roles
from cpts.roles import Role


@transaction.atomic
def create_account(
    email: str,
    password: str | None,
    *,
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
    roles: Iterable[Role | str] = (),
    email_verified: bool = True,
) -> User:
    """Create a user with a primary allauth address (verified when the address was proven,
    as by following an emailed invitation) and its role assignments."""
    user = User.objects.create_user(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_staff,
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=email_verified)
    set_roles(user, roles)
    return user


@transaction.atomic
def set_roles(user: User, roles: Iterable[Role | str]) -> None:
    """Make the user's hand-assigned roles exactly ``roles`` (audited row by row)."""
    wanted = {Role(r) for r in roles} - {Role.ADHERENT, Role.COORDINATEUR}
    current = {Role(r) for r in user.role_assignments.values_list("role", flat=True)}
    for assignment in user.role_assignments.filter(role__in=current - wanted):
        assignment.delete()
    for role in wanted - current:
        RoleAssignment.objects.create(user=user, role=role)
    forget_roles(user)


@transaction.atomic
def toggle_active(account_id: int, *, by: User) -> User:
    """Deactivate an active account or reactivate an inactive one (audited). Nobody
    deactivates themself, and only a superuser touches a superuser's account."""
    account = User.objects.select_for_update().get(pk=account_id)
    if account.pk == by.pk:
        raise ValidationError(_("Vous ne pouvez pas désactiver votre propre compte."))
    if account.is_superuser and not by.is_superuser:
        raise ValidationError(
            _("Seul un super-utilisateur peut désactiver ou réactiver ce compte technique.")
        )
    account.is_active = not account.is_active
    account.save(update_fields=["is_active"])
    return account
