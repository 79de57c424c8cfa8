"""Indicators computed from the members' data (see cpts/indicator_registry.py): each one a few
SQL aggregates over a period (first and last day included)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cpts.indicator_registry import Value, computed_indicator
from members.models import Member
from members.models.members import MemberStatus


def members_on(day: date) -> Q:
    """Members who belonged to the association on ``day``: joined on or before it and not
    departed before it (a member departed on ``day`` still counts that day)."""
    return (
        Q(joined_on__isnull=False, joined_on__lte=day)
        & ~Q(status=MemberStatus.CANDIDATE)
        & (Q(departed_on__isnull=True) | Q(departed_on__gte=day))
    )


@computed_indicator(
    "members_active",
    label=_("Adhérents actifs"),
    description=_(
        "Membres adhérents au dernier jour de la période : entrés au plus tard ce jour-là, "
        "pas partis avant."
    ),
    position=1,
)
def members_active(start: date, end: date) -> Value:
    return Member.objects.filter(members_on(end)).count()
