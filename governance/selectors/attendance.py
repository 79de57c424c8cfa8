"""Reads of the attendance page and the feuille d'émargement: who is expected at a meeting,
with their voting right on the meeting date, their attendance and the proxies they give or
hold, in a fixed number of queries whatever the number of members."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    Func,
    Q,
    QuerySet,
)
from django.utils.translation import gettext_lazy as _

from cpts.models.territory import normalize_search
from governance.models import (
    Attendance,
    AttendanceStatus,
    BodyKind,
    Convocation,
    Meeting,
    Proxy,
)
from governance.rules import Quorum
from governance.selectors.voting import (
    body_members,
    meeting_date,
    meeting_electorate,
    quorum_for,
    with_voting_right,
)
from members.models import Member
from members.selectors.members import Fold


def invitees(meeting: Meeting) -> QuerySet[Member]:
    """The members expected at ``meeting``: those convened when convocations were sent,
    otherwise the body's members on the meeting date; anyone whose attendance was already
    recorded stays on the list."""
    recorded = Attendance.objects.filter(meeting=meeting).values("member_id")
    convened = Convocation.objects.filter(meeting=meeting).values("member_id")
    if convened.exists():
        expected = Q(pk__in=convened)
    else:
        expected = Q(pk__in=body_members(meeting.body, meeting_date(meeting)).values("pk"))
    return Member.objects.filter(expected | Q(pk__in=recorded))


def _with_can_vote(members: QuerySet[Member], meeting: Meeting) -> QuerySet[Any]:
    if meeting.body.kind == BodyKind.AG:
        return with_voting_right(members, meeting_date(meeting))
    electorate = meeting_electorate(meeting).values("pk")
    return members.annotate(
        can_vote=ExpressionWrapper(Q(pk__in=electorate), output_field=BooleanField())
    )


@dataclass
class AttendanceRow:
    member: Member
    can_vote: bool
    status: str = ""  # an AttendanceStatus value, "" when not recorded
    represented_by: Member | None = None
    holder_present: bool = False  # for a represented member: is the holder marked present?
    proxy_given_to: Member | None = None
    proxy_id: int | None = None
    proxies_held: list[Member] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(AttendanceStatus(self.status).label) if self.status else ""

    @property
    def representation_counted(self) -> bool:
        return self.status == AttendanceStatus.REPRESENTED and self.holder_present


def _rows(meeting: Meeting, member_list: list[Any], *, every: bool = False) -> list[AttendanceRow]:
    """The rows of ``member_list`` (annotated with ``can_vote``): their attendance, the proxy
    each gave and those each holds, read for these members only, or for the whole meeting
    when ``every`` invitee is listed (three queries)."""
    attendances_qs = Attendance.objects.filter(meeting=meeting)
    proxies = Proxy.objects.filter(meeting=meeting)
    if not every:
        ids = [member.pk for member in member_list]
        attendances_qs = attendances_qs.filter(member_id__in=ids)
        proxies = proxies.filter(Q(giver_id__in=ids) | Q(holder_id__in=ids))
    attendances = {row.member_id: row for row in attendances_qs.select_related("represented_by")}
    given: dict[int, Proxy] = {}
    held: dict[int, list[Member]] = defaultdict(list)
    for proxy in proxies.select_related("giver", "holder"):
        given[proxy.giver_id] = proxy
        held[proxy.holder_id].append(proxy.giver)
    holder_ids = {
        row.represented_by_id for row in attendances.values() if row.represented_by_id is not None
    }
    present = set(
        Attendance.objects.filter(
            meeting=meeting, member_id__in=holder_ids, status=AttendanceStatus.PRESENT
        ).values_list("member_id", flat=True)
    )
    rows = []
    for member in member_list:
        attendance = attendances.get(member.pk)
        given_proxy = given.get(member.pk)
        rows.append(
            AttendanceRow(
                member=member,
                can_vote=bool(member.can_vote),
                status=attendance.status if attendance else "",
                represented_by=attendance.represented_by if attendance else None,
                holder_present=bool(
                    attendance
                    and attendance.represented_by_id is not None
                    and attendance.represented_by_id in present
                ),
                proxy_given_to=given_proxy.holder if given_proxy else None,
                proxy_id=given_proxy.pk if given_proxy else None,
                proxies_held=sorted(held.get(member.pk, []), key=_name_key),
            )
        )
    return rows


def _ordered_invitees(meeting: Meeting) -> QuerySet[Any]:
    return _with_can_vote(
        invitees(meeting).select_related("profession", "college"), meeting
    ).order_by("last_name", "first_name", "organisation_name", "pk")


def attendance_rows(meeting: Meeting, member_ids: list[int] | None = None) -> list[AttendanceRow]:
    """One row per invitee (sorted by name), or only ``member_ids``; five queries in all."""
    members = _ordered_invitees(meeting)
    if member_ids is None:
        return _rows(meeting, list(members), every=True)
    return _rows(meeting, list(members.filter(pk__in=member_ids)))


# The status filter of the attendance page: query-string value → (label, condition).
NOT_RECORDED = "non-pointes"
VOTING = "votants"
STATUS_FILTERS: dict[str, Any] = {
    "": _("Tous"),
    NOT_RECORDED: _("Non pointés"),
    "presents": _("Présents"),
    "representes": _("Représentés"),
    "excuses": _("Excusés"),
    "absents": _("Absents"),
    VOTING: _("Votants"),
}
_STATUS_OF_FILTER = {
    "presents": AttendanceStatus.PRESENT,
    "representes": AttendanceStatus.REPRESENTED,
    "excuses": AttendanceStatus.EXCUSED,
    "absents": AttendanceStatus.ABSENT,
}
MAX_SEARCH_LENGTH = 100
MAX_SEARCH_WORDS = 5


def clean_search(text: Any) -> str:
    """A search typed in a box: spaces collapsed, length capped (NUL characters never get
    here: ``cpts.middleware`` answers 400 first)."""
    return " ".join(str(text or "").split())[:MAX_SEARCH_LENGTH]


@dataclass(frozen=True)
class AttendanceFilters:
    q: str = ""
    status: str = ""

    @classmethod
    def from_query(cls, query: Any) -> AttendanceFilters:
        """Filters from a query string; a value that does not parse is ignored."""
        status = query.get("statut", "")
        return cls(
            q=clean_search(query.get("q", "")),
            status=status if status in STATUS_FILTERS else "",
        )

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.status)


class _Names(Func):
    """``last_name first_name organisation_name`` in one string, folded once per row."""

    template = "(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = CharField()

    def __init__(self, prefix: str = "") -> None:
        super().__init__(
            F(f"{prefix}last_name"), F(f"{prefix}first_name"), F(f"{prefix}organisation_name")
        )


def search_members(members: QuerySet[Any], query: str, prefix: str = "") -> QuerySet[Any]:
    """Rows of ``members`` whose member (reached through ``prefix``, e.g. ``"member__"``) has
    every word of ``query`` in their name, first name or organisation (accents and case
    ignored) or in their profession."""
    words = query.split()[:MAX_SEARCH_WORDS]
    if not words:
        return members
    members = members.alias(names_folded=Fold(_Names(prefix)))
    for word in words:
        folded = normalize_search(word)
        condition = Q(**{f"{prefix}profession__label__icontains": word})
        if folded:
            condition |= Q(names_folded__contains=folded)
        members = members.filter(condition)
    return members


def attendance_members(meeting: Meeting, filters: AttendanceFilters) -> QuerySet[Any]:
    """The invitees matching ``filters``, sorted by name, with ``can_vote`` annotated: a
    queryset to paginate (a page costs one query, then ``rows_for_page``)."""
    members = search_members(_ordered_invitees(meeting), filters.q)
    if filters.status == NOT_RECORDED:
        recorded = Attendance.objects.filter(meeting=meeting).values("member_id")
        members = members.exclude(pk__in=recorded)
    elif filters.status == VOTING:
        members = members.filter(can_vote=True)
    elif filters.status:
        marked = Attendance.objects.filter(
            meeting=meeting, status=_STATUS_OF_FILTER[filters.status]
        ).values("member_id")
        members = members.filter(pk__in=marked)
    return members


def rows_for_page(meeting: Meeting, members: Any) -> list[AttendanceRow]:
    """The rows of one page of ``attendance_members`` (three queries besides the page's)."""
    return _rows(meeting, list(members))


def proxies_of(meeting: Meeting, limit: int) -> tuple[list[Proxy], int]:
    """The first ``limit`` proxies of ``meeting`` by giver's name, and how many there are."""
    proxies = Proxy.objects.filter(meeting=meeting)
    shown = list(
        proxies.select_related("giver", "holder").order_by(
            "giver__last_name", "giver__first_name", "giver__organisation_name", "pk"
        )[:limit]
    )
    total = len(shown) if len(shown) < limit else proxies.count()
    return shown, total


def paper_proxy_choices(meeting: Meeting, query: str, limit: int = 20) -> QuerySet[Member]:
    """Invitees matching ``query`` (at most ``limit``), for a select of the paper proxy form;
    none before a name is typed."""
    if not query.split():
        return Member.objects.none()
    matching = search_members(invitees(meeting), query).order_by(
        "last_name", "first_name", "organisation_name", "pk"
    )
    ids = list(matching.values_list("pk", flat=True)[:limit])
    return Member.objects.filter(pk__in=ids).order_by(
        "last_name", "first_name", "organisation_name", "pk"
    )


def _name_key(member: Member) -> tuple[str, str, str]:
    return (member.last_name.lower(), member.first_name.lower(), member.organisation_name.lower())


@dataclass(frozen=True)
class AttendanceFigures:
    invited: int
    voting: int  # invitees with a voting right on the meeting date
    present: int
    represented: int  # rows marked represented (counted or not)
    excused: int
    absent: int
    not_recorded: int
    quorum: Quorum | None  # None for a working group

    @property
    def represented_not_counted(self) -> int:
        counted = self.quorum.represented if self.quorum else 0
        return max(self.represented - counted, 0)


def attendance_figures(meeting: Meeting) -> AttendanceFigures:
    """The counts shown above the list and in the quorum panel (three queries)."""
    people = _with_can_vote(invitees(meeting), meeting).aggregate(
        invited=Count("pk", distinct=True),
        voting=Count("pk", filter=Q(can_vote=True), distinct=True),
    )
    statuses = dict(
        Attendance.objects.filter(meeting=meeting)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    recorded = sum(statuses.values())
    return AttendanceFigures(
        invited=people["invited"],
        voting=people["voting"],
        present=statuses.get(AttendanceStatus.PRESENT, 0),
        represented=statuses.get(AttendanceStatus.REPRESENTED, 0),
        excused=statuses.get(AttendanceStatus.EXCUSED, 0),
        absent=statuses.get(AttendanceStatus.ABSENT, 0),
        not_recorded=max(people["invited"] - recorded, 0),
        quorum=quorum_for(meeting),
    )


@dataclass(frozen=True)
class HolderChoice:
    member: Member
    held: int
    limit: int

    @property
    def full(self) -> bool:
        return self.held >= self.limit


def holder_choices(
    meeting: Meeting, *, exclude: Member, max_held: int, query: str = "", limit: int = 20
) -> list[HolderChoice]:
    """Voting members who may receive ``exclude``'s proxy, matching ``query`` by name, with
    the number of proxies each already holds (one query)."""
    members = (
        with_voting_right(Member.objects.all(), meeting_date(meeting))
        .filter(can_vote=True)
        .exclude(pk=exclude.pk)
        .exclude(proxies_given__meeting=meeting)
        .annotate(held=Count("proxies_held", filter=Q(proxies_held__meeting=meeting)))
        .select_related("profession")
        .order_by("last_name", "first_name", "organisation_name", "pk")
    )
    query = query.strip()
    if query:
        for word in query.split()[:5]:
            members = members.filter(
                Q(last_name__icontains=word)
                | Q(first_name__icontains=word)
                | Q(organisation_name__icontains=word)
            )
    return [HolderChoice(member=m, held=m.held, limit=max_held) for m in members[:limit]]
