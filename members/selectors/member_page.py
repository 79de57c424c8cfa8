"""Reads of the coordinator's member page: the member with everything shown about it, in a
constant number of queries whatever the number of sites, adhesions, payments or emails."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from cpts.selectors.audit import AuditRow, audit_rows, history_for
from members.models import Member, MemberEmail, Payment
from members.selectors.duplicates import PossibleDuplicate, possible_duplicates
from members.selectors.fees import adhesions_with_balance

EMAILS_SHOWN = 20
HISTORY_SHOWN = 50


def member_queryset() -> QuerySet[Member]:
    return Member.objects.select_related(
        "profession", "college", "commune", "representative", "merged_into", "user"
    )


def get_member(pk: int) -> Member:
    """The member (404 when unknown), with its references preloaded."""
    return get_object_or_404(member_queryset(), pk=pk)


def member_adhesions(member: Member) -> list[Any]:
    """The member's adhesions, newest first, annotated with their balance, payments preloaded."""
    payments = Payment.objects.select_related("recorded_by").order_by("paid_on", "pk")
    return list(
        adhesions_with_balance()
        .filter(member=member)
        .prefetch_related(Prefetch("payments", queryset=payments))
        .order_by("-year")
    )


@dataclass(frozen=True)
class MemberPage:
    member: Member
    sites: list[Any]
    adhesions: list[Any]
    emails: list[MemberEmail]
    more_emails: bool
    duplicates: list[PossibleDuplicate]
    represented: list[Member]
    merged: list[Member]
    history: list[AuditRow]


def member_page(member: Member) -> MemberPage:
    sites = list(member.sites.select_related("commune"))
    emails = list(
        MemberEmail.objects.filter(member=member).select_related("sent_by")[: EMAILS_SHOWN + 1]
    )
    adhesions = member_adhesions(member)
    payments = [payment for adhesion in adhesions for payment in adhesion.payments.all()]
    entries = history_for(member, *sites, *adhesions, *payments, limit=HISTORY_SHOWN)
    return MemberPage(
        member=member,
        sites=sites,
        adhesions=adhesions,
        emails=emails[:EMAILS_SHOWN],
        more_emails=len(emails) > EMAILS_SHOWN,
        duplicates=[] if member.anonymised_at else possible_duplicates(member),
        represented=list(member.represents.order_by("organisation_name")),
        merged=list(member.merged_members.order_by("pk")),
        history=audit_rows(entries, skip_fields={"member", "adhesion"}),
    )
