"""Reads of the members' email preferences. ``accepts_email`` is THE check every email to a
member goes through (``members.services.emails.send_member_email``); ``accepting_q`` is the same
rule as a queryset filter, for the campaigns that pick their recipients in SQL."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from members.models import MANDATORY_CATEGORIES, EmailCategory, EmailOptOut, Member
from members.models.email_preferences import CATEGORY_HELP


def is_mandatory(category: str) -> bool:
    return category in MANDATORY_CATEGORIES


def accepts_email(member: Member, category: str) -> bool:
    """Whether ``member`` receives the emails of ``category``: always for a mandatory one,
    otherwise unless they switched it off. An unknown category is refused loudly."""
    if category not in EmailCategory.values:
        raise ValueError(f"Unknown email category: {category!r}")
    if is_mandatory(category):
        return True
    return not EmailOptOut.objects.filter(member=member, category=category).exists()


def accepting_q(category: str) -> Q:
    """``Member`` filter of those who receive ``category`` (the rule of ``accepts_email``)."""
    if category not in EmailCategory.values:
        raise ValueError(f"Unknown email category: {category!r}")
    if is_mandatory(category):
        return Q()
    return ~Q(Exists(EmailOptOut.objects.filter(member=OuterRef("pk"), category=category)))


@dataclass(frozen=True)
class PreferenceRow:
    category: str
    label: str
    help_text: str
    mandatory: bool
    receives: bool


def preference_rows(member: Member) -> list[PreferenceRow]:
    """Every category with whether ``member`` receives it (one query)."""
    refused = set(EmailOptOut.objects.filter(member=member).values_list("category", flat=True))
    return [
        PreferenceRow(
            category=category.value,
            label=str(category.label),
            help_text=str(CATEGORY_HELP[category]),
            mandatory=is_mandatory(category),
            receives=is_mandatory(category) or category.value not in refused,
        )
        for category in EmailCategory
    ]


def switched_off_count(member: Member) -> int:
    return EmailOptOut.objects.filter(member=member).count()
