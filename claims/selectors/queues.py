"""Reads of the claims: a member's own claims, the validation and approval queues (with the
PASS cap status of each claim), payable claims, near-cap members, the dashboard counts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear

from claims import rules
from claims.models import Claim, ClaimNature, ClaimStatus, PassCeiling, PaymentBatch
from claims.selectors.access import led_body_ids
from cpts.permissions import user_can

MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)
COUNTED = (ClaimStatus.APPROVED, ClaimStatus.PAID)
DISPLAY = ("member", "member__profession", "mission", "meeting", "event", "shift", "batch")


def member_claims(member: Any) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(member=member)
        .select_related("mission", "meeting", "event", "shift", "batch")
        .order_by("-date", "-pk")
    )


def validation_scope(user: Any) -> Q | None:
    """The claims ``user`` may validate, as a filter (None when they validate none): all for
    the coordination, their groups' meeting claims for a référent; never the user's own
    claims. No query of its own (the led groups are a subquery): the validation queue and
    the dashboard's count share it."""
    if user is None or not user.is_authenticated:
        return None
    if user_can(user, "claims.validate"):
        scope = Q()
    elif user_can(user, "groups.lead"):
        scope = Q(meeting__body_id__in=led_body_ids(user))
    else:
        return None
    return scope & ~Q(member__user_id=user.pk)


def validation_queue(user: Any, *, status: str = ClaimStatus.SUBMITTED) -> QuerySet[Claim]:
    """The claims ``user`` may validate (``validation_scope``), oldest first."""
    scope = validation_scope(user)
    if scope is None:
        return Claim.objects.none()
    rows = Claim.objects.filter(scope, status=status).select_related(*DISPLAY)
    return rows.order_by("date", "pk")


def year_total_expression() -> Subquery:
    """Approved + paid indemnities of the row's member in the row's calendar year."""
    totals = (
        Claim.objects.filter(
            member_id=OuterRef("member_id"),
            nature=ClaimNature.INDEMNITY,
            status__in=COUNTED,
            date__year=ExtractYear(OuterRef("date")),
        )
        .order_by()
        .values("member_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Subquery(totals, output_field=MONEY)


def pass_expression() -> Any:
    """The PASS of the row's year, as ``rules.pass_amount`` computes it, in SQL."""
    year = ExtractYear(OuterRef("date"))
    recorded = PassCeiling.objects.filter(year=year).values("amount")[:1]
    earlier = PassCeiling.objects.filter(year__lt=year).order_by("-year").values("amount")[:1]
    defaults = Case(
        *[
            When(date__year=y, then=Value(amount, output_field=MONEY))
            for y, amount in rules.DEFAULT_PASS.items()
        ],
        default=None,
        output_field=MONEY,
    )
    latest_default = rules.DEFAULT_PASS[max(rules.DEFAULT_PASS)]
    return Coalesce(
        Subquery(recorded, output_field=MONEY),
        defaults,
        Subquery(earlier, output_field=MONEY),
        Value(latest_default, output_field=MONEY),
        output_field=MONEY,
    )


def with_cap_status(rows: QuerySet[Claim]) -> QuerySet[Claim]:
    """Annotate ``year_total`` (approved + paid indemnities of the member that year),
    ``year_pass``, ``near_cap`` (the total with this claim reaches 80 % of the PASS) and
    ``over_cap`` (approving this indemnity would exceed the PASS)."""
    zero = Value(Decimal("0"), output_field=MONEY)
    own = Case(
        When(nature=ClaimNature.INDEMNITY, then=F("amount")), default=zero, output_field=MONEY
    )
    rows = rows.annotate(
        year_total=Coalesce(year_total_expression(), zero, output_field=MONEY),
        year_pass=pass_expression(),
    ).annotate(
        projected=ExpressionWrapper(F("year_total") + own, output_field=MONEY),
    )
    return rows.annotate(
        near_cap=Case(
            When(projected__gte=F("year_pass") * Value(rules.NEAR_CAP_SHARE), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        over_cap=Case(
            When(nature=ClaimNature.INDEMNITY, projected__gt=F("year_pass"), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def approval_queue(
    *,
    year: int | None = None,
    activity_kind: str | None = None,
    profession_id: int | None = None,
    mission_id: int | None = None,
    near_cap_only: bool = False,
) -> QuerySet[Claim]:
    rows = Claim.objects.filter(status=ClaimStatus.VALIDATED)
    if year:
        rows = rows.filter(date__year=year)
    if activity_kind:
        rows = rows.filter(activity_kind=activity_kind)
    if profession_id:
        rows = rows.filter(member__profession_id=profession_id)
    if mission_id:
        rows = rows.filter(mission_id=mission_id)
    rows = with_cap_status(rows.select_related(*DISPLAY, "validated_by"))
    if near_cap_only:
        rows = rows.filter(near_cap=True)  # type: ignore[misc]  # annotated by with_cap_status
    return rows.order_by("date", "pk")


def cap_status(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """The cap annotations of ``approval_queue`` on any queryset of claims."""
    return with_cap_status(claims)


def payable_claims() -> QuerySet[Claim]:
    return (
        Claim.objects.filter(status=ClaimStatus.APPROVED, batch__isnull=True)
        .select_related(*DISPLAY, "member__bank_account")
        .order_by("member__last_name", "member__first_name", "date", "pk")
    )


def batch_claims(batch: PaymentBatch) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(batch=batch)
        .select_related(*DISPLAY, "member__bank_account")
        .order_by("member__last_name", "member__first_name", "date", "pk")
    )


def batches() -> QuerySet[PaymentBatch]:
    return PaymentBatch.objects.annotate(
        claim_count=Count("claims"), total=Coalesce(Sum("claims__amount"), Value(Decimal("0")))
    ).order_by("-paid_on", "-pk")


def members_near_cap(year: int) -> list[tuple[Any, Decimal, Decimal]]:
    """(member, indemnities approved or paid in ``year``, PASS) for members at 80 % or more."""
    from members.models import Member

    ceiling = rules.pass_amount(year)
    threshold = ceiling * rules.NEAR_CAP_SHARE
    totals = dict(
        Claim.objects.filter(date__year=year, nature=ClaimNature.INDEMNITY, status__in=COUNTED)
        .order_by()
        .values("member_id")
        .annotate(total=Sum("amount"))
        .filter(total__gte=threshold)
        .values_list("member_id", "total")
    )
    members = Member.objects.filter(pk__in=totals).select_related("profession")
    rows = [(member, totals[member.pk], ceiling) for member in members]
    return sorted(rows, key=lambda row: -row[1])


def pending_counts(validator: Any = None) -> dict[str, Any]:
    """Counts and amounts waiting at each step (one query), for the dashboard block. With
    ``validator``, the submitted claims are those of their validation queue (when they
    have one: else every submitted claim)."""
    zero = Value(Decimal("0"), output_field=MONEY)
    submitted = Q(status=ClaimStatus.SUBMITTED)
    scope = validation_scope(validator) if validator is not None else None
    if scope is not None:
        submitted &= scope
    validated = Q(status=ClaimStatus.VALIDATED)
    approved = Q(status=ClaimStatus.APPROVED, batch__isnull=True)
    return Claim.objects.aggregate(
        submitted=Count("pk", filter=submitted),
        submitted_amount=Coalesce(Sum("amount", filter=submitted), zero),
        validated=Count("pk", filter=validated),
        validated_amount=Coalesce(Sum("amount", filter=validated), zero),
        approved=Count("pk", filter=approved),
        approved_amount=Coalesce(Sum("amount", filter=approved), zero),
    )
