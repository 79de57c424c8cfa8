"""Reads of the joining flow: the collèges a candidate may join, the request queue, and the
members an accepted request would collide with."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from members.models import College, Member, MembershipRequest, Profession
from members.models.joining import RequestStatus
from members.models.reference import MemberKind, ProfessionCategory


def colleges_admitting(kind: str, profession: Profession | None) -> list[College]:
    """The collèges admitting a member of ``kind`` with ``profession``, in display order."""
    return [college for college in College.objects.all() if college.admits(kind, profession)]


def proposed_college(kind: str, profession: Profession | None) -> College | None:
    """The first collège (by position) admitting the candidate, or None."""
    admitting = colleges_admitting(kind, profession)
    return admitting[0] if admitting else None


def membership_requests(status: str = RequestStatus.PENDING) -> QuerySet[MembershipRequest]:
    """Requests of one status (all when ``status`` is empty), oldest pending first."""
    requests = MembershipRequest.objects.select_related(
        "profession", "college", "commune", "member", "decided_by"
    )
    if status:
        requests = requests.filter(status=status)
    order = ("created_at", "pk") if status == RequestStatus.PENDING else ("-created_at", "-pk")
    return requests.order_by(*order)


def request_counts() -> dict[str, int]:
    """How many requests of each status (one query)."""
    counts = MembershipRequest.objects.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in RequestStatus.values}
    )
    return {status: counts[status] or 0 for status in RequestStatus.values}


def conflicting_members(request: MembershipRequest) -> QuerySet[Member]:
    """Members already holding the request's email, RPPS or SIRET."""
    match = Q(email__iexact=request.email) if request.email else Q(pk__in=[])
    if request.rpps:
        match |= Q(rpps=request.rpps)
    if request.siret:
        match |= Q(siret=request.siret)
    return Member.objects.filter(match)


def admits_text(college: College) -> str:
    """Who a collège admits, in French ("Personne · Profession médicale, Pharmacie")."""
    kinds = ", ".join(str(MemberKind(kind).label) for kind in college.eligible_kinds) or str(
        _("tous types de membres")
    )
    categories = ", ".join(
        str(ProfessionCategory(category).label) for category in college.eligible_categories
    ) or str(_("toutes professions"))
    return f"{kinds} · {categories}"
