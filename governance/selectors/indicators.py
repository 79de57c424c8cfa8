"""Indicators computed from the governance data (see cpts/indicator_registry.py): each one a few SQL
aggregates over a period (first and last day included).

Meetings carry a date and time: a period runs from the first instant of its first day to the
first instant of the day after its last day, Paris time (a meeting at 23:30 on the last day
belongs to the period, whatever the offset to UTC that day). A meeting is "held" once declared
held or once its minutes are approved; planned, convened and cancelled meetings never count."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cpts.indicator_registry import Value, computed_indicator
from governance.models import (
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)
from members.selectors.indicators import percent

PARIS = ZoneInfo("Europe/Paris")
HELD_STATUSES = (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED)
ATTENDED_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.REPRESENTED)


def period_bounds(start: date, end: date) -> tuple[datetime.datetime, datetime.datetime]:
    """The aware datetimes [first instant of ``start``, first instant of ``end`` + 1 day)."""
    after = end + datetime.timedelta(days=1)
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=PARIS),
        datetime.datetime.combine(after, datetime.time.min, tzinfo=PARIS),
    )


def held_meetings(start: date, end: date) -> QuerySet[Meeting]:
    """Meetings held (declared held or minutes approved) that started within the period."""
    first, after = period_bounds(start, end)
    return Meeting.objects.filter(
        status__in=HELD_STATUSES, starts_at__gte=first, starts_at__lt=after
    ).order_by()


def minutes_approved_q() -> Q:
    """The meeting's minutes are approved (the meeting says so, or its minutes do)."""
    approved = Minutes.objects.filter(meeting=OuterRef("pk"), status=MinutesStatus.APPROVED)
    return Q(status=MeetingStatus.MINUTES_APPROVED) | Q(Exists(approved))


def body_kind_key(kind: str) -> str:
    return gettext("Instance : %(kind)s") % {"kind": BodyKind(kind).label}


@computed_indicator(
    "meetings_held",
    label=_("Réunions tenues"),
    description=_(
        "Nombre de réunions commencées pendant la période (heure de Paris, premier et dernier "
        "jour compris) et déclarées tenues ou dont le procès-verbal est approuvé ; les réunions "
        "annulées, seulement planifiées ou convoquées ne comptent pas. Ventilé par type "
        "d'instance : assemblée générale, conseil d'administration, bureau, groupes de travail."
    ),
    position=10,
)
def meetings_held(start: date, end: date) -> Value:
    counts = dict(
        held_meetings(start, end)
        .values("body__kind")
        .annotate(n=Count("pk"))
        .values_list("body__kind", "n")
    )
    result: dict[str, int] = {"": sum(counts.values())}
    for kind in BodyKind.values:
        result[body_kind_key(kind)] = counts.get(kind, 0)
    return result


@computed_indicator(
    "pluripro_meetings_with_minutes",
    label=_("Réunions pluriprofessionnelles avec procès-verbal approuvé"),
    description=_(
        "Nombre de réunions tenues pendant la période (heure de Paris) dont le procès-verbal "
        "est approuvé et où des membres d'au moins deux professions différentes étaient "
        "présents en personne (les membres représentés et les structures, sans profession, "
        "ne comptent pas pour la pluriprofessionnalité)."
    ),
    mission="parcours",
    position=11,
)
def pluripro_meetings_with_minutes(start: date, end: date) -> Value:
    professions = (
        Attendance.objects.filter(
            meeting=OuterRef("pk"),
            status=AttendanceStatus.PRESENT,
            member__profession__isnull=False,
        )
        .order_by()
        .values("meeting")
        .annotate(n=Count("member__profession", distinct=True))
        .values("n")
    )
    return (
        held_meetings(start, end)
        .filter(minutes_approved_q())
        .annotate(professions=Subquery(professions, output_field=IntegerField()))
        .filter(professions__gte=2)
        .count()
    )


@computed_indicator(
    "attendance_rate",
    label=_("Taux de présence aux réunions"),
    description=_(
        "Sur les réunions tenues pendant la période (heure de Paris), nombre de présences "
        "« présent·e » ou « représenté·e » divisé par le nombre de présences saisies "
        "(présent·e, représenté·e, excusé·e, absent·e), en pourcentage arrondi à deux "
        "décimales. Le dénominateur est la feuille d'émargement saisie et non la liste des "
        "convoqués, qui dépend des adhérents actifs au jour du calcul ; une réunion sans "
        "aucune présence saisie n'entre pas dans le calcul. 0 s'il n'y a aucune présence "
        "saisie. Ventilé par type d'instance."
    ),
    unit="percent",
    position=12,
)
def attendance_rate(start: date, end: date) -> Value:
    rows = (
        Attendance.objects.filter(meeting__in=held_meetings(start, end).values("pk"))
        .order_by()
        .values("meeting__body__kind")
        .annotate(
            recorded=Count("pk"),
            attended=Count("pk", filter=Q(status__in=ATTENDED_STATUSES)),
        )
    )
    by_kind = {row["meeting__body__kind"]: (row["attended"], row["recorded"]) for row in rows}
    result = {
        "": percent(
            sum(attended for attended, _recorded in by_kind.values()),
            sum(recorded for _attended, recorded in by_kind.values()),
        )
    }
    for kind in BodyKind.values:
        attended, recorded = by_kind.get(kind, (0, 0))
        result[body_kind_key(kind)] = percent(attended, recorded)
    return result


@computed_indicator(
    "professionals_mobilised_meetings",
    label=_("Membres mobilisés en groupes de travail"),
    description=_(
        "Nombre de membres distincts (personnes ou structures) marqués présents en personne à "
        "au moins une réunion d'un groupe de travail ou d'une commission tenue pendant la "
        "période (heure de Paris) ; un membre présent à plusieurs réunions compte une fois, "
        "les membres représentés ne comptent pas."
    ),
    position=13,
)
def professionals_mobilised_meetings(start: date, end: date) -> Value:
    return (
        Attendance.objects.filter(
            meeting__in=held_meetings(start, end).filter(body__kind=BodyKind.GROUP).values("pk"),
            status=AttendanceStatus.PRESENT,
        )
        .order_by()
        .values("member")
        .distinct()
        .count()
    )


# --- Activity of each body over a period (dashboard and activity reports) ----------------------


@dataclass(frozen=True)
class BodyActivity:
    """A body's meetings held during a period and their attendance (the ``attendance_rate``
    rule: present or represented over the attendance recorded)."""

    body: Body
    held: int
    attended: int
    recorded: int

    @property
    def attendance_rate(self) -> Decimal | None:
        return percent(self.attended, self.recorded) if self.recorded else None


def body_activity(start: date, end: date, *, with_idle: bool = True) -> list[BodyActivity]:
    """Every body not archived before the period (``with_idle``: also those without a held
    meeting), in the bodies' order, with its held meetings and attendance. Two queries."""
    held = held_meetings(start, end)
    meetings = dict(held.values("body").annotate(n=Count("pk")).values_list("body", "n").order_by())
    attendance = {
        row["meeting__body"]: (row["attended"], row["recorded"])
        for row in Attendance.objects.filter(meeting__in=held.values("pk"))
        .order_by()
        .values("meeting__body")
        .annotate(
            recorded=Count("pk"),
            attended=Count("pk", filter=Q(status__in=ATTENDED_STATUSES)),
        )
    }
    bodies = Body.objects.filter(
        Q(archived_on__isnull=True) | Q(archived_on__gte=start) | Q(pk__in=list(meetings))
    ).order_by("position", "name")
    rows = []
    for body in bodies:
        attended, recorded = attendance.get(body.pk, (0, 0))
        count = meetings.get(body.pk, 0)
        if count or with_idle:
            rows.append(BodyActivity(body, count, attended, recorded))
    return rows
