"""Totals of a period (approved + paid claims dated in it): one computation for the
treasurer's page (a calendar year), the ACI report (a contract year), the AG report and the
hours indicator; a member's yearly statement."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from claims import rules
from claims.models import ActivityKind, Claim, ClaimNature, ClaimStatus

COUNTED = (ClaimStatus.APPROVED, ClaimStatus.PAID)
ZERO = Decimal("0")

Row = tuple[str, Decimal, Decimal]  # label, hours, amount


@dataclass(frozen=True)
class PeriodTotals:
    """Approved and paid claims dated from ``start`` to ``end`` (both included). Amounts are
    every nature together; hours are those of the indemnities (time)."""

    start: date
    end: date
    by_mission: list[Row]
    by_activity_kind: list[Row]
    by_profession: list[Row]
    total_amount: Decimal
    total_hours: Decimal
    members_paid: int
    indemnity_amount: Decimal
    expense_amount: Decimal  # mileage and expenses on receipts
    paid_amount: Decimal  # status paid (in a payment batch)
    approved_unpaid_amount: Decimal  # approved, not paid yet

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def is_empty(self) -> bool:
        return not self.members_paid


# The totals of a calendar year are the totals of the period from January 1 to December 31.
YearTotals = PeriodTotals


def counted_between(start: date, end: date) -> QuerySet[Claim]:
    return Claim.objects.filter(status__in=COUNTED, date__gte=start, date__lte=end)


def counted_claims(year: int) -> QuerySet[Claim]:
    return counted_between(date(year, 1, 1), date(year, 12, 31))


def _rows(rows: QuerySet[Claim], key: str, label: Any, fallback: str) -> list[Row]:
    indemnity = Q(nature=ClaimNature.INDEMNITY)
    grouped = (
        rows.order_by()
        .values(key)
        .annotate(hours=Sum("hours", filter=indemnity), amount=Sum("amount"))
        .order_by("-amount", key)
    )
    # Largest amounts first, the row without a label ("Sans mission rattachée"…) last.
    return [
        (label(item[key]) if item[key] else fallback, item["hours"] or ZERO, item["amount"] or ZERO)
        for item in sorted(grouped, key=lambda item: not item[key])
    ]


def period_totals(start: date, end: date) -> PeriodTotals:
    """Four queries whatever the number of claims: the overall sums, then one per breakdown."""
    rows = counted_between(start, end)
    indemnity = Q(nature=ClaimNature.INDEMNITY)
    overall = rows.aggregate(
        total=Sum("amount"),
        hours=Sum("hours", filter=indemnity),
        indemnities=Sum("amount", filter=indemnity),
        paid=Sum("amount", filter=Q(status=ClaimStatus.PAID)),
        members=Count("member", distinct=True),
    )
    total = overall["total"] or ZERO
    indemnities = overall["indemnities"] or ZERO
    paid = overall["paid"] or ZERO
    return PeriodTotals(
        start=start,
        end=end,
        by_mission=_rows(rows, "mission__name", str, str(_("Sans mission rattachée"))),
        by_activity_kind=_rows(
            rows,
            "activity_kind",
            lambda kind: str(ActivityKind(kind).label),
            str(_("Frais sur justificatif")),
        ),
        by_profession=_rows(
            rows, "member__profession__label", str, str(_("Profession non renseignée"))
        ),
        total_amount=total,
        total_hours=overall["hours"] or ZERO,
        members_paid=overall["members"] or 0,
        indemnity_amount=indemnities,
        expense_amount=total - indemnities,
        paid_amount=paid,
        approved_unpaid_amount=total - paid,
    )


def year_totals(year: int) -> PeriodTotals:
    return period_totals(date(year, 1, 1), date(year, 12, 31))


@dataclass(frozen=True)
class CapSummary:
    """The décret 2022-375 cap (one PASS of indemnities per member and calendar year) in a
    year, in aggregate: members at 80 % of the PASS or more without exceeding it, members over
    it (approval refuses what would exceed it, so only a PASS lowered afterwards can)."""

    year: int
    pass_amount: Decimal
    near: int
    over: int

    @property
    def respected(self) -> bool:
        return not self.over


def cap_summary(year: int) -> CapSummary:
    """Counts only (no member is loaded): two or three queries whatever the data."""
    ceiling = rules.pass_amount(year)
    totals = (
        counted_claims(year)
        .filter(nature=ClaimNature.INDEMNITY)
        .order_by()
        .values("member_id")
        .annotate(total=Sum("amount"))
        .filter(total__gte=ceiling * rules.NEAR_CAP_SHARE)
        .values_list("total", flat=True)
    )
    near = over = 0
    for total in totals:
        if total > ceiling:
            over += 1
        else:
            near += 1
    return CapSummary(year=year, pass_amount=ceiling, near=near, over=over)


@dataclass(frozen=True)
class Statement:
    """A member's relevé annuel: every approved or paid claim dated in the year."""

    member: Any
    year: int
    lines: list[Claim]
    totals_by_nature: list[tuple[str, Decimal]] = field(default_factory=list)
    indemnity_total: Decimal = ZERO
    expense_total: Decimal = ZERO
    total: Decimal = ZERO
    paid_total: Decimal = ZERO
    hours: Decimal = ZERO
    pass_amount: Decimal = ZERO

    @property
    def pass_share(self) -> Decimal:
        if not self.pass_amount:
            return ZERO
        return (self.indemnity_total * 100 / self.pass_amount).quantize(Decimal("0.1"))


def member_year_statement(member: Any, year: int) -> Statement:
    lines = list(
        counted_claims(year)
        .filter(member=member)
        .select_related("mission", "meeting", "event", "shift", "batch")
        .order_by("date", "pk")
    )
    by_nature: dict[str, Decimal] = {}
    for claim in lines:
        by_nature[claim.nature] = by_nature.get(claim.nature, ZERO) + claim.amount
    indemnity = by_nature.get(ClaimNature.INDEMNITY, ZERO)
    total = sum(by_nature.values(), ZERO)
    return Statement(
        member=member,
        year=year,
        lines=lines,
        totals_by_nature=[
            (str(nature.label), by_nature[nature.value])
            for nature in ClaimNature
            if nature.value in by_nature
        ],
        indemnity_total=indemnity,
        expense_total=total - indemnity,
        total=total,
        paid_total=sum((c.amount for c in lines if c.status == ClaimStatus.PAID), ZERO),
        hours=sum((c.hours or ZERO for c in lines if c.nature == ClaimNature.INDEMNITY), ZERO),
        pass_amount=rules.pass_amount(year),
    )
