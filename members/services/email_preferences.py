"""Writes of the members' email preferences (audited: ``EmailOptOut`` is registered with
django-auditlog)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import MANDATORY_CATEGORIES, EmailCategory, EmailOptOut, Member


@transaction.atomic
def set_email_preferences(member: Member, receives: Iterable[str]) -> set[str]:
    """Make ``member`` receive exactly the categories of ``receives`` plus the mandatory ones.
    Refuses an unknown category, and leaving out a mandatory one, with nothing written.
    Returns the switchable categories now switched off."""
    wanted = set(receives)
    unknown = wanted - set(EmailCategory.values)
    if unknown:
        raise ValidationError(
            _("Type d'e-mail inconnu : %(kinds)s.") % {"kinds": ", ".join(sorted(unknown))}
        )
    missing = {str(c) for c in MANDATORY_CATEGORIES} - wanted
    if missing:
        labels = ", ".join(sorted(str(EmailCategory(c).label) for c in missing))
        raise ValidationError(
            _("Ces e-mails sont obligatoires et ne peuvent pas être désactivés : %(kinds)s.")
            % {"kinds": labels}
        )
    off = {c.value for c in EmailCategory if c not in MANDATORY_CATEGORIES} - wanted
    existing = {
        o.category: o for o in EmailOptOut.objects.select_for_update().filter(member=member)
    }
    for category, opt_out in existing.items():
        if category not in off:
            opt_out.delete()
    for category in sorted(off - set(existing)):
        EmailOptOut.objects.create(member=member, category=category)
    return off
