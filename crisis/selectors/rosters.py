"""Reads of the volunteer rosters: the roster of a crisis with the gaps of each shift and
profession, the shifts an adherent may take, and a member's shift hours (which the claims
of members will read)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from cpts.models.territory import normalize_search
from crisis.models import NEED_ORDER, Activation, Shift, ShiftNeed, SignUp, Site
from members.models import Member
from members.models.members import MemberStatus
from members.models.reference import MemberKind
from members.selectors.members import Fold

ROSTER_PAGE_SIZE = 20
MINUTES = Decimal(60)


def _needed_subquery() -> Subquery:
    return Subquery(
        ShiftNeed.objects.filter(shift=OuterRef("pk"))
        .order_by()
        .values("shift")
        .annotate(total=Sum("count"))
        .values("total")
    )


def _taken_subquery() -> Subquery:
    return Subquery(
        SignUp.objects.filter(shift=OuterRef("pk"))
        .order_by()
        .values("shift")
        .annotate(total=Count("pk"))
        .values("total")
    )


def with_fill(shifts: QuerySet[Shift]) -> QuerySet[Shift]:
    """Shifts annotated with ``needed`` (people asked for) and ``taken`` (signed up)."""
    return shifts.annotate(
        needed=Coalesce(_needed_subquery(), 0), taken=Coalesce(_taken_subquery(), 0)
    )


def needs_prefetch() -> Prefetch:
    return Prefetch(
        "needs",
        queryset=ShiftNeed.objects.select_related("profession")
        .annotate(taken=Count("signups"))
        .annotate(missing=F("count") - F("taken"))
        .order_by(*NEED_ORDER),
    )


def signups_prefetch() -> Prefetch:
    return Prefetch(
        "signups",
        queryset=SignUp.objects.select_related("member__profession", "need").order_by(
            "member__last_name", "member__first_name", "pk"
        ),
    )


@dataclass(frozen=True)
class RosterFilters:
    site: int | None = None
    gaps_only: bool = False

    @classmethod
    def from_query(cls, query: dict[str, str] | object) -> RosterFilters:
        get = getattr(query, "get", lambda key, default=None: default)
        raw_site = str(get("site", "") or "")
        return cls(
            site=int(raw_site) if raw_site.isdigit() and len(raw_site) < 10 else None,
            gaps_only=str(get("manques", "")) == "1",
        )


def roster_page(
    activation: Activation, filters: RosterFilters, page: str | int | None
) -> Page[Shift]:
    """One page of the crisis's shifts with their needs (taken counts) and sign-ups: the
    same handful of queries whatever the number of shifts, members and sign-ups."""
    shifts = with_fill(Shift.objects.filter(site__activation=activation).select_related("site"))
    if filters.site is not None:
        shifts = shifts.filter(site_id=filters.site)
    if filters.gaps_only:
        shifts = shifts.filter(taken__lt=F("needed"))  # type: ignore[misc]  # annotations
    shifts = shifts.prefetch_related(needs_prefetch(), signups_prefetch()).order_by(
        "starts_at", "pk"
    )
    return Paginator(shifts, ROSTER_PAGE_SIZE).get_page(page)


@dataclass(frozen=True)
class RosterTotals:
    shifts: int
    filled: int
    needed: int
    taken: int
    volunteers: int

    @property
    def gaps(self) -> int:
        return max(0, self.needed - self.taken)


def short_need_exists() -> Exists:
    """The shift has a need with fewer people signed up than it asks for."""
    return Exists(
        ShiftNeed.objects.filter(shift=OuterRef("pk"))
        .annotate(signed=Count("signups"))
        .filter(signed__lt=F("count"))
    )


def roster_totals(activation: Activation) -> RosterTotals:
    """The crisis's figures in four aggregate queries."""
    shifts = Shift.objects.filter(site__activation=activation).order_by()
    counts = shifts.aggregate(
        shifts=Count("pk"), filled=Count("pk", filter=~Q(short_need_exists()))
    )
    needed = ShiftNeed.objects.filter(shift__site__activation=activation).aggregate(
        total=Coalesce(Sum("count"), 0)
    )["total"]
    signups = SignUp.objects.filter(shift__site__activation=activation).order_by()
    taken = signups.aggregate(total=Count("pk"), volunteers=Count("member", distinct=True))
    return RosterTotals(
        shifts=counts["shifts"],
        filled=counts["filled"],
        needed=needed,
        taken=taken["total"],
        volunteers=taken["volunteers"],
    )


def activation_sites(activation: Activation) -> QuerySet[Site]:
    return (
        activation.sites.select_related("commune")
        .annotate(shift_count=Count("shifts"))
        .order_by("name", "pk")
    )


def shift_for_edit(pk: int) -> Shift | None:
    return (
        Shift.objects.select_related("site__activation")
        .prefetch_related(needs_prefetch())
        .filter(pk=pk)
        .first()
    )


# --- The coordination's tools ----------------------------------------------------------

CANDIDATE_PAGE_SIZE = 20
MAX_SEARCH_TERMS = 6


def need_for_adding(pk: int) -> ShiftNeed | None:
    """A need with its shift, site and crisis, and ``taken`` (people signed up)."""
    return (
        ShiftNeed.objects.select_related("shift__site__activation", "profession")
        .annotate(taken=Count("signups"))
        .filter(pk=pk)
        .first()
    )


def need_candidates(need: ShiftNeed, query: str = "") -> QuerySet[Member]:
    """The members the coordination may put on ``need``: active persons of the profession it
    asks for (anyone for the reception), not already on the shift, those matching every word
    of ``query`` (names accent-insensitively, email, RPPS). Each is annotated with
    ``clash_site`` and ``clash_start``: the member's shift overlapping this one, if any (such a
    member is listed, with the reason they cannot be added). One query per page."""
    shift = need.shift
    overlapping = SignUp.objects.filter(
        member=OuterRef("pk"),
        shift__starts_at__lt=shift.ends_at,
        shift__ends_at__gt=shift.starts_at,
    ).order_by("shift__starts_at")
    members = (
        Member.objects.filter(status=MemberStatus.ACTIVE, kind=MemberKind.PERSON)
        .exclude(Exists(SignUp.objects.filter(member=OuterRef("pk"), shift=shift)))
        .select_related("profession")
        .annotate(
            clash_site=Subquery(overlapping.values("shift__site__name")[:1]),
            clash_start=Subquery(overlapping.values("shift__starts_at")[:1]),
        )
    )
    if need.profession_id is not None:
        members = members.filter(profession_id=need.profession_id)
    terms = query.split()[:MAX_SEARCH_TERMS]
    if terms:
        members = members.alias(
            last_folded=Fold(F("last_name")), first_folded=Fold(F("first_name"))
        )
        for term in terms:
            folded = normalize_search(term)
            condition = Q(email__icontains=term) | Q(rpps__contains=term)
            if folded:
                condition |= Q(last_folded__contains=folded) | Q(first_folded__contains=folded)
            members = members.filter(condition)
    return members.order_by("last_name", "first_name", "pk")


def candidates_page(need: ShiftNeed, query: str, page: str | int | None) -> Page[Member]:
    return Paginator(need_candidates(need, query), CANDIDATE_PAGE_SIZE).get_page(page)


def site_for_delete(pk: int) -> Site | None:
    return (
        Site.objects.select_related("activation", "commune")
        .annotate(shift_count=Count("shifts"))
        .filter(pk=pk)
        .first()
    )


def shift_for_delete(pk: int) -> Shift | None:
    return (
        with_fill(Shift.objects.select_related("site__activation"))
        .prefetch_related(needs_prefetch())
        .filter(pk=pk)
        .first()
    )


# --- Portal ---------------------------------------------------------------------------


def open_shifts_for(member: Member, now: datetime.datetime | None = None) -> QuerySet[Shift]:
    """Shifts still open to sign-ups with a place left for the member: a need of their
    profession, or the reception, with fewer people signed up than it asks for."""
    moment = now or timezone.now()
    fitting = Q(profession__isnull=True)
    if member.profession_id is not None:
        fitting |= Q(profession_id=member.profession_id)
    room = (
        ShiftNeed.objects.filter(fitting, shift=OuterRef("pk"))
        .annotate(signed=Count("signups"))
        .filter(signed__lt=F("count"))
    )
    return (
        with_fill(Shift.objects.filter(Exists(room), changes_until__gte=moment))
        .exclude(signups__member=member)
        .select_related("site__commune")
        .prefetch_related(needs_prefetch())
        .order_by("starts_at", "pk")
    )


def member_signups(
    member: Member, *, upcoming_from: datetime.datetime | None = None
) -> QuerySet[SignUp]:
    signups = SignUp.objects.filter(member=member).select_related(
        "shift__site__commune", "need__profession"
    )
    if upcoming_from is not None:
        signups = signups.filter(shift__ends_at__gte=upcoming_from)
    return signups.order_by("shift__starts_at", "pk")


# --- Hours, for claims ----------------------------------------------------------------


@dataclass(frozen=True)
class ShiftHours:
    """One shift a member worked: what a claim of time refers to."""

    signup_id: int
    shift_id: int
    site: str
    activation: str
    profession: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    hours: Decimal


def member_shift_hours(
    member: Member,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    *,
    now: datetime.datetime | None = None,
) -> list[ShiftHours]:
    """The shifts ``member`` was signed up for and that are over (ended before ``now``),
    optionally those starting between ``start`` and ``end`` (days included, Paris time),
    with their hours. Public selector: the claims of members read it; one query."""
    from crisis.selectors.indicators import period_bounds

    signups = SignUp.objects.filter(member=member, shift__ends_at__lte=now or timezone.now())
    if start is not None and end is not None:
        first, after = period_bounds(start, end)
        signups = signups.filter(shift__starts_at__gte=first, shift__starts_at__lt=after)
    rows = signups.select_related("shift__site__activation", "need__profession").order_by(
        "shift__starts_at", "pk"
    )
    return [
        ShiftHours(
            signup_id=row.pk,
            shift_id=row.shift_id,
            site=row.shift.site.name,
            activation=row.shift.site.activation.title,
            profession=str(row.need.label),
            starts_at=row.shift.starts_at,
            ends_at=row.shift.ends_at,
            hours=(Decimal(row.shift.duration_minutes) / MINUTES).quantize(Decimal("0.01")),
        )
        for row in rows
    ]
