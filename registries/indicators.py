"""Indicators computed from the mission registries (see cpts/indicator_registry.py), each a few
SQL aggregates over a period whose first and last days are both included.

Periods and dates:
- a médecin traitant request counts for the period of its request date; it is resolved in the
  period of its closing date when it was accepted;
- the median waiting days are those of the requests accepted in the period (closing date minus
  request date, stored when the request is closed). The median is read in SQL on every
  database: one COUNT, then the one or two middle values through ORDER BY … LIMIT/OFFSET, so
  it behaves the same on SQLite (which has no MEDIAN/percentile function) and PostgreSQL
  (where ``percentile_cont`` would give the same value); an even count averages the two
  middle values;
- a SAS month belongs to the period when its first day does; a week of unplanned-care slots
  when its Monday does; a SAS participation or a traineeship counts when its span meets the
  period; an installation by its date; a maître de stage when flagged since a day no later
  than the period's last day (a member no longer flagged is not counted).

Every breakdown lists all its categories, zero included."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cpts.indicator_registry import Value, computed_indicator
from registries.models import (
    PRIORITY_CRITERIA,
    GpRequest,
    Installation,
    Origin,
    ProfessionalProfile,
    RequestStatus,
    SasMonthlyActivity,
    SasParticipation,
    Trainee,
    TraineeLevel,
    UnplannedSlotOffer,
)

MISSION_ACCESS = "acces_soins"
MISSION_SUPPORT = "accompagnement"
HUNDREDTH = Decimal("0.01")


def criterion_key(label: object) -> str:
    return gettext("Critère : %(criterion)s") % {"criterion": label}


def origin_key(origin: str) -> str:
    return gettext("Origine : %(origin)s") % {"origin": Origin(origin).label}


def _by_criteria(rows: QuerySet[GpRequest]) -> dict[str, int]:
    """The total and one count per priority criterion, in one query."""
    aggregates = rows.aggregate(
        total=Count("pk"),
        **{name: Count("pk", filter=Q(**{name: True})) for name, _label in PRIORITY_CRITERIA},
    )
    result: dict[str, int] = {"": aggregates["total"]}
    result.update({criterion_key(label): aggregates[name] for name, label in PRIORITY_CRITERIA})
    return result


def median_of(rows: QuerySet[GpRequest], field: str = "waiting_days") -> Decimal:
    """The median of ``field`` over ``rows`` in SQL (two queries, at most two values read);
    0 when there are no rows."""
    values = rows.exclude(**{f"{field}__isnull": True}).order_by(field)
    count = values.count()
    if count == 0:
        return Decimal(0)
    middle = (count - 1) // 2
    picked = list(values.values_list(field, flat=True)[middle : middle + 2 - count % 2])
    median = Decimal(sum(picked)) / len(picked)
    return median.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def accepted_in(start: date, end: date) -> QuerySet[GpRequest]:
    return GpRequest.objects.filter(
        status=RequestStatus.ACCEPTED, closed_on__range=(start, end)
    ).order_by()


@computed_indicator(
    "gp_requests",
    label=_("Demandes de médecin traitant reçues"),
    description=_(
        "Demandes du registre médecin traitant dont la date de demande est comprise entre le "
        "premier et le dernier jour de la période inclus. Ventilation par critère de priorité "
        "(une demande à plusieurs critères compte pour chacun) et par origine."
    ),
    mission=MISSION_ACCESS,
    position=60,
)
def gp_requests(start: date, end: date) -> Value:
    rows = GpRequest.objects.filter(received_on__range=(start, end)).order_by()
    result = _by_criteria(rows)
    per_origin = {row["origin"]: row["n"] for row in rows.values("origin").annotate(n=Count("pk"))}
    result.update({origin_key(origin): per_origin.get(origin, 0) for origin in Origin.values})
    return result


@computed_indicator(
    "gp_requests_resolved",
    label=_("Demandes de médecin traitant résolues"),
    description=_(
        "Demandes acceptées par un médecin traitant dont la date de clôture est comprise "
        "entre le premier et le dernier jour de la période inclus, quelle que soit la date de "
        "la demande. Ventilation par critère de priorité."
    ),
    mission=MISSION_ACCESS,
    position=61,
)
def gp_requests_resolved(start: date, end: date) -> Value:
    return _by_criteria(accepted_in(start, end))


@computed_indicator(
    "gp_waiting_median_days",
    label=_("Délai médian d'attribution d'un médecin traitant (jours)"),
    description=_(
        "Médiane, en jours, du délai entre la demande et son acceptation par un médecin, sur "
        "les demandes acceptées pendant la période (date de clôture comprise entre le premier "
        "et le dernier jour inclus) ; moyenne des deux valeurs du milieu pour un nombre pair, "
        "0 sans demande acceptée. Ventilation par critère de priorité."
    ),
    direction="decreasing",
    mission=MISSION_ACCESS,
    position=62,
)
def gp_waiting_median_days(start: date, end: date) -> Value:
    rows = accepted_in(start, end)
    result: dict[str, Decimal] = {"": median_of(rows)}
    for name, label in PRIORITY_CRITERIA:
        result[criterion_key(label)] = median_of(rows.filter(**{name: True}))
    return result


@computed_indicator(
    "sas_doctors",
    label=_("Médecins participant au SAS"),
    description=_(
        "Nombre de médecins distincts dont une participation au service d'accès aux soins "
        "recouvre la période : débutée au plus tard le dernier jour, sans fin ou finie au plus "
        "tôt le premier jour."
    ),
    mission=MISSION_ACCESS,
    position=63,
)
def sas_doctors(start: date, end: date) -> Value:
    return (
        SasParticipation.objects.filter(Q(end__isnull=True) | Q(end__gte=start), start__lte=end)
        .order_by()
        .aggregate(n=Count("member", distinct=True))["n"]
    )


def _sas_months(start: date, end: date) -> dict[str, int]:
    totals = (
        SasMonthlyActivity.objects.filter(month__range=(start, end))
        .order_by()
        .aggregate(
            requests=Sum("requests_received"),
            appointments=Sum("appointments_given"),
            honoured=Sum("honoured"),
            not_honoured=Sum("not_honoured"),
            oriented=Sum("oriented_elsewhere"),
        )
    )
    return {key: value or 0 for key, value in totals.items()}


@computed_indicator(
    "sas_appointments",
    label=_("Demandes SAS ayant abouti à un rendez-vous"),
    description=_(
        "Somme des rendez-vous donnés de l'activité mensuelle du SAS, pour les mois dont le "
        "premier jour est compris dans la période. Ventilation : demandes reçues, honorés, non "
        "honorés et réorientations des mêmes mois."
    ),
    mission=MISSION_ACCESS,
    position=64,
)
def sas_appointments(start: date, end: date) -> Value:
    totals = _sas_months(start, end)
    return {
        "": totals["appointments"],
        gettext("Demandes reçues"): totals["requests"],
        gettext("Rendez-vous honorés"): totals["honoured"],
        gettext("Rendez-vous non honorés"): totals["not_honoured"],
        gettext("Réorientations"): totals["oriented"],
    }


@computed_indicator(
    "sas_honoured_rate",
    label=_("Taux de rendez-vous SAS honorés"),
    description=_(
        "Rendez-vous honorés rapportés aux rendez-vous dont l'issue est connue (honorés + non "
        "honorés), en pourcentage à deux décimales, sur les mois dont le premier jour est "
        "compris dans la période ; 0 sans issue connue."
    ),
    unit="percent",
    mission=MISSION_ACCESS,
    position=65,
)
def sas_honoured_rate(start: date, end: date) -> Value:
    totals = _sas_months(start, end)
    known = totals["honoured"] + totals["not_honoured"]
    if not known:
        return Decimal(0)
    return (Decimal(100) * totals["honoured"] / known).quantize(HUNDREDTH, ROUND_HALF_UP)


@computed_indicator(
    "unplanned_slots",
    label=_("Créneaux de soins non programmés proposés"),
    description=_(
        "Somme des créneaux de soins non programmés proposés par les membres, pour les "
        "semaines dont le lundi est compris dans la période."
    ),
    mission=MISSION_ACCESS,
    position=66,
)
def unplanned_slots(start: date, end: date) -> Value:
    total = UnplannedSlotOffer.objects.filter(week__range=(start, end)).aggregate(n=Sum("slots"))[
        "n"
    ]
    return total or 0


@computed_indicator(
    "trainees_hosted",
    label=_("Stagiaires accueillis"),
    description=_(
        "Stagiaires dont le stage recouvre la période (débuté au plus tard le dernier jour, "
        "fini au plus tôt le premier jour). Ventilation par niveau."
    ),
    mission=MISSION_SUPPORT,
    position=70,
)
def trainees_hosted(start: date, end: date) -> Value:
    rows = Trainee.objects.filter(start__lte=end, end__gte=start).order_by()
    per_level = {row["level"]: row["n"] for row in rows.values("level").annotate(n=Count("pk"))}
    result: dict[str, int] = {"": rows.count()}
    result.update(
        {
            gettext("Niveau : %(level)s") % {"level": TraineeLevel(level).label}: per_level.get(
                level, 0
            )
            for level in TraineeLevel.values
        }
    )
    return result


@computed_indicator(
    "internship_supervisors",
    label=_("Maîtres de stage"),
    description=_(
        "Membres signalés maîtres de stage sur leur profil, depuis une date au plus tard le "
        "dernier jour de la période. Un membre qui ne l'est plus n'est pas compté."
    ),
    mission=MISSION_SUPPORT,
    position=71,
)
def internship_supervisors(start: date, end: date) -> Value:
    return ProfessionalProfile.objects.filter(
        internship_supervisor=True, supervisor_since__lte=end
    ).count()


@computed_indicator(
    "installations_supported",
    label=_("Installations accompagnées"),
    description=_(
        "Installations de professionnels accompagnées dont la date d'installation est comprise "
        "dans la période. Ventilation par aide apportée (une installation aidée de plusieurs "
        "façons compte pour chacune)."
    ),
    mission=MISSION_SUPPORT,
    position=72,
)
def installations_supported(start: date, end: date) -> Value:
    totals = (
        Installation.objects.filter(installed_on__range=(start, end))
        .order_by()
        .aggregate(
            total=Count("pk"),
            premises=Count("pk", filter=Q(help_premises=True)),
            administrative=Count("pk", filter=Q(help_administrative=True)),
            introductions=Count("pk", filter=Q(help_introductions=True)),
        )
    )
    return {
        "": totals["total"],
        gettext("Aide : locaux"): totals["premises"],
        gettext("Aide : administrative"): totals["administrative"],
        gettext("Aide : mise en relation"): totals["introductions"],
    }
