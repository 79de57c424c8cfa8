"""Reads of decisions: the resolutions and elections of a meeting, and the decision register
(every adopted resolution of every body, searchable)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from cpts.models.territory import normalize_search
from governance.models import Body, Candidate, Election, Meeting, Resolution
from governance.rules import VoteCounts, votes_needed
from governance.selectors.indicators import period_bounds
from members.selectors.members import Fold

MAX_TERMS = 8

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def _fold(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").casefold().split())


def title_has_date(title: str, day: datetime.date) -> bool:
    """Whether ``title`` already spells ``day`` (08/09/2026, 8/9/2026, 2026-09-08,
    8 septembre 2026, 1er septembre 2026…)."""
    folded = _fold(title)
    month = MONTHS[day.month - 1]
    days = [str(day.day), f"{day.day:02d}"] + (["1er"] if day.day == 1 else [])
    spellings = [
        f"{day:%d/%m/%Y}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day:%d.%m.%Y}",
        f"{day:%d-%m-%Y}",
        f"{day:%Y-%m-%d}",
        *(f"{d} {month} {day.year}" for d in days),
    ]
    return any(
        re.search(rf"(?<![0-9]){re.escape(spelling)}(?![0-9])", folded) for spelling in spellings
    )


def titled_with_date(title: str, day: datetime.date | None) -> str:
    """``title`` followed by " du dd/mm/yyyy", unless the title already holds that date."""
    if day is None or title_has_date(title, day):
        return title
    return _("%(title)s du %(date)s") % {"title": title, "date": f"{day:%d/%m/%Y}"}


def meeting_day(meeting: Meeting) -> datetime.date:
    return timezone.localtime(meeting.starts_at).date()


def meeting_title(meeting: Meeting) -> str:
    """The meeting's title with its date, the date written once."""
    return titled_with_date(meeting.title, meeting_day(meeting))


def title_names_body(title: str, body_name: str) -> bool:
    return bool(body_name) and _fold(title).startswith(_fold(body_name))


def meeting_label(meeting: Meeting) -> str:
    """ "Body — title — date", without the body when the title starts with its name and
    without the date when the title already holds it."""
    parts = [] if title_names_body(meeting.title, meeting.body.name) else [meeting.body.name]
    parts.append(meeting.title)
    day = meeting_day(meeting)
    if not title_has_date(meeting.title, day):
        parts.append(f"{day:%d/%m/%Y}")
    return " — ".join(parts)


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


def decisions_during(start: datetime.date, end: datetime.date) -> QuerySet[Resolution]:
    """Resolutions adopted at meetings that started from ``start`` to ``end`` (both included,
    Paris time), in the order of the meetings (the dashboard and the activity reports)."""
    first, after = period_bounds(start, end)
    return (
        adopted_resolutions()
        .filter(meeting__starts_at__gte=first, meeting__starts_at__lt=after)
        .order_by("meeting__starts_at", "meeting__pk", "position", "pk")
    )
