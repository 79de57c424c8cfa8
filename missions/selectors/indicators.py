"""Indicators computed from the missions data (see cpts/indicator_registry.py): each one a few SQL
aggregates over a period (first and last day included).

Events carry a date (no time): an event belongs to a period when its date lies between the first
and the last day, both included. The figures of events reuse ``activity_totals`` and
``activity_totals_by_mission`` (missions/selectors/actions.py) so that the action pages, the
reports and the indicators give the same numbers. An action of several missions counts for each
of them, so the mission breakdowns may add up to more than the total.

Every breakdown lists all its categories, zero included: a category that drops to zero when a
period is computed again then gets a fresh value instead of keeping its former one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cpts.indicator_registry import Value, computed_indicator
from governance.selectors.indicators import period_bounds
from missions.models import (
    Action,
    ActionStatus,
    AgeBand,
    Event,
    EventKind,
    Livrable,
    Mission,
    ParticipantCount,
    Proof,
)
from missions.selectors.actions import (
    activity_totals,
    activity_totals_by_mission,
    held_during,
    runs_during,
)

CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.ABANDONED)


def mission_key(name: str) -> str:
    return gettext("Mission : %(mission)s") % {"mission": name}


def status_key(status: str) -> str:
    return gettext("Statut : %(status)s") % {"status": ActionStatus(status).label}


def event_kind_key(kind: str) -> str:
    return gettext("Type : %(kind)s") % {"kind": EventKind(kind).label}


def age_band_key(band: str) -> str:
    return gettext("Tranche d'âge : %(band)s") % {"band": AgeBand(band).label}


def _by_mission(values: Mapping[int, int]) -> dict[str, int]:
    """Every mission of the catalogue with its value in ``values`` (0 when absent). One query."""
    return {
        mission_key(name): values.get(pk, 0)
        for pk, name in Mission.objects.order_by("position", "key").values_list("pk", "name")
    }


def active_actions(start: date, end: date) -> QuerySet[Action]:
    """Actions active during the period: their span meets it (started on or before its last
    day, planned end absent or on or after its first day) and they were not already closed
    before it — a completed or abandoned action last modified before the first day (Paris time)
    was closed by then; or, whatever their dates and status, an event of theirs was held in it."""
    first_instant, _after = period_bounds(start, end)
    closed_before = Q(status__in=CLOSED_STATUSES, updated_at__lt=first_instant)
    return Action.objects.filter(
        (runs_during(start, end) & ~closed_before) | held_during(start, end)
    ).order_by()


@computed_indicator(
    "actions_by_status",
    label=_("Actions menées"),
    description=_(
        "Actions (fiches action) actives pendant la période : débutées au plus tard le dernier "
        "jour, sans fin prévue ou avec une fin prévue au plus tôt le premier jour, sauf les "
        "actions terminées ou abandonnées dont la dernière modification précède le premier jour "
        "(heure de Paris), déjà closes alors ; une action dont un événement a eu lieu dans la "
        "période compte toujours. Ventilation par mission (une action de plusieurs missions "
        "compte pour chacune) et par statut, le statut étant le statut actuel de l'action."
    ),
    position=20,
)
def actions_by_status(start: date, end: date) -> Value:
    active = active_actions(start, end)
    link = Action.missions.through.objects.filter(action__in=active.values("pk"))
    per_mission = {
        row["mission"]: row["n"]
        for row in link.values("mission").annotate(n=Count("action", distinct=True)).order_by()
    }
    per_status = {
        row["status"]: row["n"] for row in active.values("status").annotate(n=Count("pk"))
    }
    result: dict[str, int] = {"": active.count()}
    result.update(_by_mission(per_mission))
    result.update({status_key(status): per_status.get(status, 0) for status in ActionStatus})
    return result


@computed_indicator(
    "events_held",
    label=_("Événements organisés"),
    description=_(
        "Événements des actions (ateliers, soirées pluriprofessionnelles, stands, formations…) "
        "dont la date est comprise entre le premier et le dernier jour de la période inclus. "
        "Ventilation par mission de l'action (un événement d'une action de plusieurs missions "
        "compte pour chacune) et par type d'événement."
    ),
    position=21,
)
def events_held(start: date, end: date) -> Value:
    totals = activity_totals_by_mission(start, end)
    per_kind = {
        row["kind"]: row["n"]
        for row in Event.objects.filter(date__range=(start, end))
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
    }
    result: dict[str, int] = {"": activity_totals(start, end).events}
    result.update(_by_mission({pk: figures.events for pk, figures in totals.items()}))
    result.update({event_kind_key(kind): per_kind.get(kind, 0) for kind in EventKind})
    return result


@computed_indicator(
    "event_participants_professionals",
    label=_("Participants professionnels aux événements"),
    description=_(
        "Somme des participants professionnels déclarés (comptes par profession) des événements "
        "tenus pendant la période, date de l'événement comprise entre le premier et le dernier "
        "jour inclus. Ce sont des participations : un professionnel venu à deux événements "
        "compte deux fois. Ventilation par mission de l'action."
    ),
    position=22,
)
def event_participants_professionals(start: date, end: date) -> Value:
    totals = activity_totals_by_mission(start, end)
    result: dict[str, int] = {"": activity_totals(start, end).professionals}
    result.update(_by_mission({pk: figures.professionals for pk, figures in totals.items()}))
    return result


@computed_indicator(
    "event_participants_public",
    label=_("Participants du public aux événements"),
    description=_(
        "Somme des participants du public déclarés (comptes par tranche d'âge) des événements "
        "tenus pendant la période, date de l'événement comprise entre le premier et le dernier "
        "jour inclus. Ce sont des participations, jamais des personnes identifiées. Ventilation "
        "par mission de l'action et par tranche d'âge."
    ),
    position=23,
)
def event_participants_public(start: date, end: date) -> Value:
    totals = activity_totals_by_mission(start, end)
    per_band = {
        row["age_band"]: row["n"]
        for row in ParticipantCount.objects.filter(
            event__date__range=(start, end), profession__isnull=True
        )
        .order_by()
        .values("age_band")
        .annotate(n=Sum("count"))
    }
    result: dict[str, int] = {"": activity_totals(start, end).public}
    result.update(_by_mission({pk: figures.public for pk, figures in totals.items()}))
    result.update({age_band_key(band): per_band.get(band, 0) for band in AgeBand})
    return result


@computed_indicator(
    "professionals_mobilised",
    label=_("Professionnels mobilisés sur les actions"),
    description=_(
        "Nombre de membres distincts inscrits comme « professionnels mobilisés » sur au moins un "
        "événement tenu pendant la période (date comprise entre le premier et le dernier jour "
        "inclus) : un membre présent à plusieurs événements compte une fois. Les participants "
        "seulement comptés par profession n'y figurent pas, faute d'être nommés. Ventilation par "
        "mission de l'action (un membre compte une fois par mission)."
    ),
    position=24,
)
def professionals_mobilised(start: date, end: date) -> Value:
    totals = activity_totals_by_mission(start, end)
    result: dict[str, int] = {"": activity_totals(start, end).mobilised}
    result.update(_by_mission({pk: figures.mobilised for pk, figures in totals.items()}))
    return result


def period_livrables(start: date, end: date) -> QuerySet[Livrable]:
    """Livrables of the indicator lines of the contract years that overlap the period (for a
    contract-year period: that year only)."""
    return Livrable.objects.filter(
        line__envelope__year__start__lte=end, line__envelope__year__end__gte=start
    ).order_by()


def _livrables_by_mission(livrables: QuerySet[Livrable]) -> dict[str, int]:
    per_mission = {
        row["line__envelope__mission"]: row["n"]
        for row in livrables.values("line__envelope__mission").annotate(n=Count("pk"))
    }
    result: dict[str, int] = {"": livrables.count()}
    result.update(_by_mission(per_mission))
    return result


@computed_indicator(
    "livrables_expected",
    label=_("Livrables attendus"),
    description=_(
        "Nombre de livrables (justificatifs attendus) des lignes d'indicateurs des années de "
        "contrat qui recouvrent la période — pour une année de contrat, ceux de cette année. "
        "Ventilation par mission de la ligne."
    ),
    position=25,
)
def livrables_expected(start: date, end: date) -> Value:
    return _livrables_by_mission(period_livrables(start, end))


@computed_indicator(
    "livrables_with_proof",
    label=_("Livrables justifiés"),
    description=_(
        "Parmi les livrables attendus des années de contrat qui recouvrent la période, ceux qui "
        "ont au moins un justificatif déposé au plus tard le dernier jour de la période (heure "
        "de Paris), quel que soit le statut saisi. Ventilation par mission de la ligne."
    ),
    position=26,
)
def livrables_with_proof(start: date, end: date) -> Value:
    _first, after = period_bounds(start, end)
    proved = Exists(Proof.objects.filter(livrable=OuterRef("pk"), created_at__lt=after))
    return _livrables_by_mission(period_livrables(start, end).filter(proved))
