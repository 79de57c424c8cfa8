"""Reads of alerts: who a segment reaches, the delivery log, the read-confirmation token."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cpts.models import Commune
from crisis.models import Alert, AlertDelivery, DeliveryStatus, Segment
from governance.models import Body
from members.models import Member, Profession
from members.models.members import MemberStatus

TOKEN_SALT = "crisis.alert.read"


@dataclass(frozen=True)
class SegmentChoice:
    segment: str
    profession: Profession | None = None
    commune: Commune | None = None
    group: Body | None = None


def segment_members(choice: SegmentChoice, on: datetime.date | None = None) -> QuerySet[Member]:
    """The active members a segment reaches: everyone; a profession; those whose address or
    one of whose practice sites is in a commune; the running members of a working group."""
    day = on or timezone.localdate()
    members = Member.objects.filter(status=MemberStatus.ACTIVE)
    if choice.segment == Segment.PROFESSION:
        members = members.filter(profession=choice.profession)
    elif choice.segment == Segment.COMMUNE:
        members = members.filter(Q(commune=choice.commune) | Q(sites__commune=choice.commune))
    elif choice.segment == Segment.GROUP:
        members = members.filter(
            Q(mandates__body=choice.group, mandates__start_date__lte=day)
            & (Q(mandates__end_date__isnull=True) | Q(mandates__end_date__gte=day))
        )
    elif choice.segment != Segment.EVERYONE:
        return Member.objects.none()
    return Member.objects.filter(pk__in=members.values("pk")).order_by("last_name", "pk")


@dataclass(frozen=True)
class SegmentCount:
    members: int
    with_email: int

    @property
    def without_email(self) -> int:
        return self.members - self.with_email


def segment_count(choice: SegmentChoice) -> SegmentCount:
    """How many members the segment reaches and how many of them have an address (1 query)."""
    figures = segment_members(choice).aggregate(
        members=Count("pk"), with_email=Count("pk", filter=~Q(email=""))
    )
    return SegmentCount(members=figures["members"], with_email=figures["with_email"])


def read_token(delivery: AlertDelivery) -> str:
    return signing.dumps({"d": delivery.pk}, salt=TOKEN_SALT, compress=True)


def delivery_for_token(token: str) -> AlertDelivery | None:
    try:
        data: Any = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    pk = data.get("d") if isinstance(data, dict) else None
    if isinstance(pk, bool) or not isinstance(pk, int):
        return None
    return AlertDelivery.objects.select_related("alert", "member").filter(pk=pk).first()


def alert_list() -> QuerySet[Alert]:
    return Alert.objects.select_related(
        "sent_by", "activation", "profession", "commune", "group"
    ).annotate(
        recipients=Count("deliveries"),
        sent_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
        read_count=Count("deliveries", filter=Q(deliveries__read_at__isnull=False)),
    )


@dataclass(frozen=True)
class DeliveryFigures:
    total: int
    pending: int
    sent: int
    failed: int
    no_email: int
    read: int


def delivery_figures(alert: Alert) -> DeliveryFigures:
    rows = alert.deliveries.aggregate(
        total=Count("pk"),
        pending=Count("pk", filter=Q(status=DeliveryStatus.PENDING)),
        sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
        failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
        no_email=Count("pk", filter=Q(status=DeliveryStatus.NO_EMAIL)),
        read=Count("pk", filter=Q(read_at__isnull=False)),
    )
    return DeliveryFigures(**rows)


DELIVERY_FILTERS = ("lues", "non_lues", "echecs")


def deliveries(alert: Alert, status_filter: str = "") -> QuerySet[AlertDelivery]:
    rows = alert.deliveries.select_related("member__profession").order_by(
        "member__last_name", "member__first_name", "pk"
    )
    if status_filter == "lues":
        rows = rows.filter(read_at__isnull=False)
    elif status_filter == "non_lues":
        rows = rows.filter(read_at__isnull=True)
    elif status_filter == "echecs":
        rows = rows.filter(status__in=[DeliveryStatus.FAILED, DeliveryStatus.NO_EMAIL])
    return rows


def segment_label(alert: Alert) -> str:
    label = str(Segment(alert.segment).label)
    detail = alert.profession or alert.commune or alert.group
    return f"{label} : {detail}" if detail else label
