"""Reads the pages need that the claims selectors do not offer (yet): one query each."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from claims.models import PaymentBatch


def batch_summaries() -> QuerySet[PaymentBatch]:
    """The batches, newest first, each with its number of claims and total amount."""
    return (
        PaymentBatch.objects.select_related("created_by")
        .annotate(
            claim_count=Count("claims"),
            total=Coalesce(
                Sum("claims__amount"),
                Value(Decimal("0")),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            ),
        )
        .order_by("-paid_on", "-pk")
    )
