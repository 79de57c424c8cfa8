"""Writes of accounts. Every account is created here (invitation acceptance, demo data,
tests), so the user and its verified allauth address stay consistent. Roles are not written
here: they come from the staff flag and from the mandates recorded by the governance app."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cpts.models import User


@transaction.atomic
def create_account(
    email: str,
    password: str | None,
    *,
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
    email_verified: bool = True,
) -> User:
    """Create a user with a primary allauth address (verified when the address was proven,
    as by following an emailed invitation). ``is_staff`` makes it a member of the
    coordination team."""
    user = User.objects.create_user(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_staff,
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=email_verified)
    return user


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
