"""Figures about the membership as a whole, for the dashboard and the reports: members by
profession, members over time, and the fees collected in a year against those expected.
Each is one SQL aggregate, whatever the number of members, adhesions or payments."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from members.models import Member, MembershipRequest
from members.models.joining import RequestStatus
from members.models.reference import MemberKind
from members.selectors.fees import ZERO, adhesions_with_balance, up_to_date_q
from members.selectors.indicators import members_on

_MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)
OTHERS_AFTER = 10  # professions beyond the first ten are grouped under "Autres"


@dataclass(frozen=True)
class MemberCounts:
    """Members belonging to the association on a day, and how many of them are up to date
    with their fee for that day's calendar year."""

    on: date
    active: int
    up_to_date: int

    @property
    def up_to_date_percent(self) -> Decimal | None:
        """Share of up-to-date members, rounded to one decimal (None without members)."""
        if not self.active:
            return None
        return (Decimal(100 * self.up_to_date) / self.active).quantize(Decimal("0.1"))


def member_counts(on: date) -> MemberCounts:
    """Active members on ``on`` (see ``members_on``) and those up to date (one query)."""
    totals = Member.objects.filter(members_on(on)).aggregate(
        active=Count("pk"), up_to_date=Count("pk", filter=Q(up_to_date_q(on)))
    )
    return MemberCounts(on=on, active=totals["active"], up_to_date=totals["up_to_date"])


def pending_requests() -> int:
    """Membership requests waiting for a decision."""
    return MembershipRequest.objects.filter(status=RequestStatus.PENDING).count()


def members_by_profession(on: date, keep: int = OTHERS_AFTER) -> list[tuple[str, int]]:
    """Active members on ``on`` per profession, the largest first (ties alphabetical): the
    first ``keep`` named, the rest summed as "Autres professions"; organisations count as
    "Structures" and persons without a profession as "Profession non renseignée"."""
    rows = (
        Member.objects.filter(members_on(on))
        .values("kind", "profession__label")
        .annotate(count=Count("pk"))
    )
    counts: dict[str, int] = {}
    for row in rows:
        if row["kind"] == MemberKind.ORGANISATION:
            label = _("Structures")
        else:
            label = row["profession__label"] or _("Profession non renseignée")
        counts[label] = counts.get(label, 0) + row["count"]
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if len(ranked) <= keep + 1:
        return ranked
    others = sum(count for _label, count in ranked[keep:])
    return [*ranked[:keep], (_("Autres professions"), others)]


def _ranked(counts: dict[str, int], keep: int, others: str) -> list[tuple[str, int]]:
    """Largest first (ties alphabetical); beyond ``keep`` summed under ``others``."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if len(ranked) <= keep + 1:
        return ranked
    rest = sum(count for _label, count in ranked[keep:])
    return [*ranked[:keep], (others, rest)]


def members_by_college(on: date) -> list[tuple[str, int]]:
    """Active members on ``on`` per collège, the largest first; members without a collège as
    "Sans collège" (one query)."""
    rows = Member.objects.filter(members_on(on)).values("college__name").annotate(count=Count("pk"))
    counts: dict[str, int] = {}
    for row in rows:
        label = row["college__name"] or _("Sans collège")
        counts[label] = counts.get(label, 0) + row["count"]
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def members_by_commune(on: date, keep: int = OTHERS_AFTER) -> list[tuple[str, int]]:
    """Active members on ``on`` per commune (of their main address), the largest first: the
    first ``keep`` named, the rest as "Autres communes", members without a commune as
    "Commune non renseignée" (one query)."""
    rows = (
        Member.objects.filter(members_on(on))
        .values("commune__name", "commune__insee_code")
        .annotate(count=Count("pk"))
    )
    counts: dict[str, int] = {}
    for row in rows:
        label = row["commune__name"] or _("Commune non renseignée")
        counts[label] = counts.get(label, 0) + row["count"]
    return _ranked(counts, keep, _("Autres communes"))


def month_ends(today: date, months: int = 24) -> list[date]:
    """The last day of each of the ``months`` months ending with the current one (the
    current month ends today: a future day would count members not yet known)."""
    ends = []
    for back in range(months - 1, -1, -1):
        index = today.year * 12 + today.month - 1 - back
        year, month = divmod(index, 12)
        ends.append(date(year, month + 1, calendar.monthrange(year, month + 1)[1]))
    ends[-1] = today
    return ends


def year_ends(today: date, years: int = 5) -> list[date]:
    """31/12 of each of the ``years`` - 1 previous years, then today."""
    return [date(today.year - back, 12, 31) for back in range(years - 1, 0, -1)] + [today]


def members_over_time(days: list[date]) -> list[tuple[date, int]]:
    """Active members (``members_on``) at each of ``days``, in one query."""
    if not days:
        return []
    totals = Member.objects.aggregate(
        **{f"d{index}": Count("pk", filter=members_on(day)) for index, day in enumerate(days)}
    )
    return [(day, totals[f"d{index}"]) for index, day in enumerate(days)]


@dataclass(frozen=True)
class FeeSummary:
    """The fees of a calendar year. ``expected``: what the year's adhesions owe, exonerated
    ones excepted; ``collected``: money received on them, refunds deducted."""

    year: int
    adhesions: int
    settled: int
    expected: Decimal
    collected: Decimal

    @property
    def outstanding(self) -> Decimal:
        """Still to collect (never negative: overpayments do not offset other debts)."""
        return max(self.expected - self.collected, ZERO)

    @property
    def collected_percent(self) -> Decimal | None:
        if not self.expected:
            return None
        return (100 * self.collected / self.expected).quantize(Decimal("0.1"))


def fee_summary(year: int) -> FeeSummary:
    """Fees of ``year`` collected against expected (one query)."""
    totals = (
        adhesions_with_balance()
        .filter(year=year)
        .aggregate(
            adhesions=Count("pk"),
            settled=Count("pk", filter=Q(is_settled=True)),
            expected=Coalesce(
                Sum("fee_due", filter=Q(exonerated=False)), ZERO, output_field=_MONEY
            ),
            collected=Coalesce(Sum("paid"), ZERO, output_field=_MONEY),
        )
    )
    return FeeSummary(
        year=year,
        adhesions=totals["adhesions"],
        settled=totals["settled"],
        expected=totals["expected"],
        collected=totals["collected"],
    )
