"""Reads of the mission registries: the médecin traitant requests with their filters, the
doctors who can take new patients (remaining capacity, same commune first), the profiles of
maîtres de stage. Every list is a fixed number of queries whatever its size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from cpts.models import Association, Commune
from members.models import Member
from members.models.members import MemberStatus
from members.models.reference import MemberKind
from registries.models import (
    PRIORITY_CRITERIA,
    GpRequest,
    Origin,
    ProfessionalProfile,
    RequestStatus,
    UnplannedSlotOffer,
)

MAX_SEARCH = 60
NO_DATE = date(1900, 1, 1)
CRITERIA_NAMES = tuple(name for name, _label in PRIORITY_CRITERIA)


MAX_ID = 2**31 - 1  # larger numbers are no row's key (and overflow the database's integers)


def positive_id(text: Any) -> int | None:
    """A positive key from a query string value; None when it is not one."""
    try:
        number = int(str(text))
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def clean_search(query: Any) -> str:
    return " ".join(str(query.get("q", "")).split())[:MAX_SEARCH]


@dataclass(frozen=True)
class RequestFilters:
    status: str = ""
    commune: int | None = None
    criterion: str = ""
    origin: str = ""
    year: int | None = None
    search: str = ""

    @classmethod
    def from_query(cls, query: Any) -> RequestFilters:
        """Filters from a query string; values that do not parse are ignored."""
        status = query.get("statut", "")
        criterion = query.get("critere", "")
        origin = query.get("origine", "")
        year = positive_id(query.get("annee", ""))
        return cls(
            status=status if status in RequestStatus.values else "",
            commune=positive_id(query.get("commune", "")),
            criterion=criterion if criterion in CRITERIA_NAMES else "",
            origin=origin if origin in Origin.values else "",
            year=year if year is not None and 1900 < year < 3000 else None,
            search=clean_search(query),
        )

    @property
    def active(self) -> bool:
        return bool(
            self.status or self.commune or self.criterion or self.origin or self.year or self.search
        )


def request_rows(filters: RequestFilters) -> QuerySet[GpRequest]:
    rows = GpRequest.objects.select_related("commune", "proposed_to", "doctor")
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.commune:
        rows = rows.filter(commune_id=filters.commune)
    if filters.criterion:
        rows = rows.filter(**{filters.criterion: True})
    if filters.origin:
        rows = rows.filter(origin=filters.origin)
    if filters.year:
        rows = rows.filter(received_on__year=filters.year)
    if filters.search:
        rows = rows.filter(reference__icontains=filters.search)
    return rows.order_by("-received_on", "-pk")


def status_counts() -> dict[str, int]:
    counts = {
        row["status"]: row["n"]
        for row in GpRequest.objects.order_by().values("status").annotate(n=Count("pk"))
    }
    return {status: counts.get(status, 0) for status in RequestStatus.values}


def territory_communes() -> QuerySet[Commune]:
    return Association.objects.get_solo().communes.order_by("name")


def request_years() -> list[int]:
    return sorted(
        {day.year for day in GpRequest.objects.dates("received_on", "year")}, reverse=True
    )


# --- Doctors who take new patients -----------------------------------------------------------


def _accepted_since_capacity() -> Coalesce:
    """Requests accepted by the profile's member since the capacity was declared (all of
    them when no date was recorded)."""
    rows = (
        GpRequest.objects.filter(
            doctor=OuterRef("member"),
            status=RequestStatus.ACCEPTED,
            # A capacity with no declaration date counts every acceptance.
            closed_on__gte=Coalesce(OuterRef("capacity_since"), Value(NO_DATE)),
        )
        .order_by()
        .values("doctor")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def available_doctors(commune_id: int | None = None) -> QuerySet[ProfessionalProfile]:
    """Profiles of active members taking new patients, with ``accepted_count`` and
    ``remaining`` (capacity minus requests accepted since it was declared, never below 0);
    those with room left first, the given commune's doctors before the others."""
    rows = (
        ProfessionalProfile.objects.filter(
            accepts_new_patients=True,
            member__status=MemberStatus.ACTIVE,
            member__kind=MemberKind.PERSON,
        )
        .select_related("member__commune", "member__profession")
        .annotate(accepted_count=_accepted_since_capacity())
        .annotate(
            remaining=Greatest(F("new_patients_capacity") - F("accepted_count"), Value(0)),
        )
    )
    if commune_id:
        rows = rows.annotate(
            here=Count("member__sites", filter=Q(member__sites__commune_id=commune_id))
            + Count("pk", filter=Q(member__commune_id=commune_id))
        )
        return rows.order_by(
            F("remaining").desc(), F("here").desc(), "member__last_name", "member__pk"
        ).filter(Q(remaining__gt=0))
    return rows.order_by(F("remaining").desc(), "member__last_name", "member__pk")


def candidate_doctors(request: GpRequest, limit: int = 10) -> list[ProfessionalProfile]:
    """Who can take this request: doctors with room left, those of its commune first."""
    rows = available_doctors(None).filter(remaining__gt=0)  # type: ignore[misc]  # annotations
    rows = rows.annotate(
        here=Count("member__sites", filter=Q(member__sites__commune_id=request.commune_id))
        + Count("pk", filter=Q(member__commune_id=request.commune_id))
    ).order_by(F("here").desc(), F("remaining").desc(), "member__last_name", "member__pk")
    return list(rows[:limit])


def supervisor_rows(search: str = "") -> QuerySet[ProfessionalProfile]:
    rows = ProfessionalProfile.objects.filter(internship_supervisor=True).select_related(
        "member__profession", "member__commune"
    )
    if search:
        rows = rows.filter(member_name_q(search, "member__"))
    return rows.order_by("member__last_name", "member__first_name", "pk")


def member_name_q(search: str, prefix: str) -> Q:
    condition = Q()
    for word in search.split():
        condition &= (
            Q(**{f"{prefix}last_name__icontains": word})
            | Q(**{f"{prefix}first_name__icontains": word})
            | Q(**{f"{prefix}organisation_name__icontains": word})
        )
    return condition


def person_members() -> QuerySet[Member]:
    """Active persons, for the member choices of the registers' forms."""
    return (
        Member.objects.filter(kind=MemberKind.PERSON, status=MemberStatus.ACTIVE)
        .select_related("profession")
        .order_by("last_name", "first_name", "pk")
    )


@dataclass(frozen=True)
class SlotWeek:
    monday: date
    slots: int | None  # None: nothing declared for the week
    editable: bool
    current: bool


def member_slot_weeks(
    member: Member, today: date, *, back: int, ahead: int, editable_back: int
) -> list[SlotWeek]:
    """The member's declared slots from ``back`` weeks ago to ``ahead`` weeks ahead, one
    query; a week is editable from ``editable_back`` weeks ago."""
    current = today - timedelta(days=today.weekday())
    first = current - timedelta(weeks=back)
    last = current + timedelta(weeks=ahead)
    declared = dict(
        UnplannedSlotOffer.objects.filter(member=member, week__range=(first, last)).values_list(
            "week", "slots"
        )
    )
    weeks = []
    for offset in range(-back, ahead + 1):
        monday = current + timedelta(weeks=offset)
        weeks.append(
            SlotWeek(
                monday=monday,
                slots=declared.get(monday),
                editable=offset >= -editable_back,
                current=offset == 0,
            )
        )
    return weeks
