"""Reads of decisions: the resolutions and elections of a meeting, and the decision register
(every adopted resolution of every body, searchable)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear

from cpts.models.territory import normalize_search
from governance.models import Body, Candidate, Election, Meeting, Resolution
from governance.rules import VoteCounts, votes_needed
from members.selectors.members import Fold

MAX_TERMS = 8


def meeting_resolutions(meeting: Meeting) -> list[Resolution]:
    return list(
        Resolution.objects.filter(meeting=meeting)
        .select_related("agenda_item")
        .order_by("position", "pk")
    )


def with_needed(resolutions: list[Resolution], voters: int) -> list[dict[str, Any]]:
    """Each resolution with the votes for it needs to pass with the current counts."""
    rows = []
    for resolution in resolutions:
        counts = VoteCounts(
            resolution.votes_for or 0, resolution.votes_against or 0, resolution.abstentions or 0
        )
        base = resolution.voters if resolution.voted_at else voters
        rows.append(
            {
                "resolution": resolution,
                "needed": votes_needed(resolution.majority, counts, base or 0),
            }
        )
    return rows


def meeting_elections(meeting: Meeting) -> list[Election]:
    return list(
        Election.objects.filter(meeting=meeting)
        .select_related("college", "body")
        .prefetch_related(
            Prefetch(
                "candidates",
                queryset=Candidate.objects.select_related("member").order_by(
                    "-votes", "member__last_name", "pk"
                ),
            )
        )
    )


def election_candidates(election: Election) -> list[Candidate]:
    return list(
        election.candidates.select_related("member", "member__profession").order_by(
            "member__last_name", "member__first_name", "pk"
        )
    )


def adopted_resolutions() -> QuerySet[Resolution]:
    return (
        Resolution.objects.filter(adopted=True)
        .select_related("meeting", "meeting__body", "meeting__minutes")
        .order_by("-meeting__starts_at", "position", "pk")
    )


def register_years() -> list[int]:
    years = (
        Resolution.objects.filter(adopted=True)
        .annotate(year=ExtractYear("meeting__starts_at"))
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted({year for year in years if year}, reverse=True)


def register_bodies() -> QuerySet[Body]:
    return (
        Body.objects.filter(meetings__resolutions__adopted=True)
        .distinct()
        .order_by("position", "name")
    )


def _search_q(query: str) -> Q:
    condition = Q()
    for term in query.split()[:MAX_TERMS]:
        normalized = normalize_search(term)
        if normalized:
            condition &= Q(title_folded__contains=normalized) | Q(text_folded__contains=normalized)
    return condition


def decision_register(
    *, q: str = "", body: Body | None = None, year: int | None = None
) -> QuerySet[Resolution]:
    resolutions = adopted_resolutions()
    if q:
        resolutions = resolutions.annotate(
            title_folded=Fold("title"), text_folded=Fold("text")
        ).filter(_search_q(q))
    if body is not None:
        resolutions = resolutions.filter(meeting__body=body)
    if year is not None:
        resolutions = resolutions.filter(meeting__starts_at__year=year)
    return resolutions
