"""Reads of crisis activations: the contract years a crisis covers, and the crisis lines
its recognition makes due."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from crisis.models import Activation
from missions.models import ContractStatus, ContractYear, IndicatorLine, LineKind
from missions.selectors.earnings import line_result


def covered_span(
    activation: Activation, today: datetime.date | None = None
) -> tuple[datetime.date, datetime.date]:
    """The days a crisis covers: its start to its end (an open crisis: to today)."""
    today = today or timezone.localdate()
    end = activation.ended_on or max(activation.started_on, today)
    return activation.started_on, end


def covered_years(activation: Activation) -> QuerySet[ContractYear]:
    """The years of signed (or ended) ACI contracts overlapping the crisis."""
    first, last = covered_span(activation)
    return (
        ContractYear.objects.filter(start__lte=last, end__gte=first)
        .exclude(contract__status=ContractStatus.DRAFT)
        .select_related("contract")
        .order_by("start", "pk")
    )


def recognised_cover() -> set[int]:
    """The contract years covered by at least one crisis the ARS recognised."""
    years: set[int] = set()
    for activation in Activation.objects.filter(ars_recognised=True).order_by():
        years.update(covered_years(activation).values_list("pk", flat=True))
    return years


@dataclass(frozen=True)
class DueLine:
    year: ContractYear
    line: IndicatorLine
    amount: Decimal
    earned: Decimal


def due_crisis_lines(activation: Activation) -> list[DueLine]:
    """The crisis lines of the years the crisis covers, with what each earns now (nothing
    until the ARS recognises the crisis and the line is marked done)."""
    years = list(covered_years(activation))
    lines = (
        IndicatorLine.objects.filter(envelope__year__in=years, kind=LineKind.CRISIS)
        .select_related("envelope__year", "envelope__mission")
        .prefetch_related("tiers", "bands", "livrables")
        .order_by("envelope__year__start", "position", "pk")
    )
    result = []
    for line in lines:
        year = line.envelope.year
        computed = line_result(line, year.crisis_recognised)
        result.append(
            DueLine(year=year, line=line, amount=computed.potential, earned=computed.earned)
        )
    return result


def activation_list() -> QuerySet[Activation]:
    return Activation.objects.annotate(
        site_count=Count("sites", distinct=True),
        shift_count=Count("sites__shifts", distinct=True),
    ).order_by("-started_on", "-pk")


def open_activations() -> QuerySet[Activation]:
    return Activation.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=timezone.localdate())
    )
