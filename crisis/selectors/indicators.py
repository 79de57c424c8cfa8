"""Indicators computed from the volunteer rosters (see cpts/indicator_registry.py), for the
crisis mission: professionals mobilised, shifts filled, hours given. A shift belongs to the
period in which it starts, from the first instant of the first day to the first instant of
the day after the last day, Paris time (a shift starting at 23:00 on 31/12 counts in that
year, even when it ends on 01/01)."""

from __future__ import annotations

import datetime
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from cpts.indicator_registry import Value, computed_indicator
from crisis.models import RECEPTION_LABEL, Shift, SignUp

PARIS = ZoneInfo("Europe/Paris")
HOUR = Decimal(60)


def period_bounds(start: date, end: date) -> tuple[datetime.datetime, datetime.datetime]:
    after = end + datetime.timedelta(days=1)
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=PARIS),
        datetime.datetime.combine(after, datetime.time.min, tzinfo=PARIS),
    )


def period_signups(start: date, end: date) -> QuerySet[SignUp]:
    first, after = period_bounds(start, end)
    return SignUp.objects.filter(shift__starts_at__gte=first, shift__starts_at__lt=after).order_by()


def _by_profession(rows: list[dict[str, object]], value: str) -> dict[str, Decimal | int]:
    breakdown: dict[str, Decimal | int] = {}
    for row in rows:
        label = str(row["need__profession__label"] or RECEPTION_LABEL)
        breakdown[label] = row[value]  # type: ignore[assignment]
    return breakdown


@computed_indicator(
    "crisis_professionals_mobilised",
    label=_("Professionnels mobilisés sur les créneaux de crise"),
    description=_(
        "Membres distincts inscrits sur au moins un créneau (centre de vaccination, de "
        "dépistage, point de retrait…) commençant dans la période, par besoin pourvu."
    ),
    mission="crise",
    position=10,
)
def professionals_mobilised(start: date, end: date) -> Value:
    signups = period_signups(start, end)
    total = signups.values("member").distinct().count()
    rows = list(
        signups.values("need__profession__label").annotate(people=Count("member", distinct=True))
    )
    return {"": total, **_by_profession(rows, "people")}


@computed_indicator(
    "crisis_shifts_filled",
    label=_("Créneaux de crise entièrement pourvus"),
    description=_(
        "Créneaux commençant dans la période dont chaque profession demandée a tous ses inscrits."
    ),
    mission="crise",
    position=11,
)
def shifts_filled(start: date, end: date) -> Value:
    from crisis.selectors.rosters import short_need_exists

    first, after = period_bounds(start, end)
    shifts = Shift.objects.filter(starts_at__gte=first, starts_at__lt=after).order_by()
    figures = shifts.aggregate(
        filled=Count("pk", filter=~Q(short_need_exists())), total=Count("pk")
    )
    return {"": figures["filled"], str(_("Créneaux proposés")): figures["total"]}


@computed_indicator(
    "crisis_hours",
    label=_("Heures de mobilisation sur les créneaux de crise"),
    description=_(
        "Somme des durées des créneaux commençant dans la période, pour chaque personne "
        "inscrite, par besoin pourvu."
    ),
    unit="hours",
    mission="crise",
    position=12,
)
def hours(start: date, end: date) -> Value:
    signups = period_signups(start, end)
    total = signups.aggregate(minutes=Sum("shift__duration_minutes"))["minutes"] or 0
    rows = list(
        signups.values("need__profession__label").annotate(minutes=Sum("shift__duration_minutes"))
    )
    breakdown = {
        str(row["need__profession__label"] or RECEPTION_LABEL): _hours(row["minutes"])
        for row in rows
    }
    return {"": _hours(total), **breakdown}


def _hours(minutes: int | Decimal | None) -> Decimal:
    return (Decimal(int(minutes or 0)) / HOUR).quantize(Decimal("0.01"))
