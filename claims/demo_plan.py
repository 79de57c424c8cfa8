"""The plan of the claims demo (``claims.demo``): which claims the demo members declare over
last year and this year, and how far each one goes in the workflow.

The claims come from the demo's real activity — working-group, CA and Bureau meetings where
the member is marked present (never the AG), mission events where the member is among the
professionals mobilised, crisis shifts the member signed up for — and from a few claims
entered by hand with a justification, some with mileage, plus expenses with a receipt. Not
everybody claims everything, so a seeded draw keeps about two claims in three.

The state of a claim follows its date, relative to today: the last month is still submitted,
the month before validated, the one before approved and waiting for the next payment batch,
older claims were paid in the quarterly batch of their quarter; a few were refused on the
way with the reason the member reads. The claims of the latest meeting of the group led by
the demo référent were declared late: they wait in the référent's queue."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from claims.models import ActivityKind, ClaimStatus

SEED = 2026_12
D = Decimal
# Workflow windows, in days before today: a claim dated in the last SUBMITTED_DAYS is still
# submitted, then validated, then approved; older ones were paid (or refused).
SUBMITTED_DAYS = 30
VALIDATED_DAYS = 60
APPROVED_DAYS = 100
# Share of the claimable activities actually claimed, per source kind.
CLAIM_SHARE = {"meeting": 0.75, "event": 0.6, "shift": 0.85}
# Refusals: a salaried professional's meeting or action on paid work time; a shift not done.
REFUSED_SHARE = {"meeting": 0.25, "event": 0.25, "shift": 0.08}
SALARIED = ("salarie", "mixte")
MILEAGE_SHARE = 0.3
KILOMETRES = (D("12"), D("18"), D("24"), D("31"), D("46"), D("58"))

REFUSALS = {
    "meeting": (
        "Vous avez participé à cette réunion sur votre temps de travail salarié : ce temps "
        "est déjà rémunéré par votre employeur, la CPTS ne peut pas l'indemniser."
    ),
    "event": (
        "Cette action a été réalisée sur votre temps de travail salarié, déjà rémunéré par "
        "votre employeur : la CPTS ne peut pas l'indemniser une seconde fois."
    ),
    "shift": (
        "Vous n'avez pas pu assurer ce créneau (remplacement par un confrère, noté sur la "
        "feuille d'émargement du centre) : il ne peut pas être indemnisé."
    ),
    "hand": (
        "Le temps de préparation individuelle n'est pas indemnisé par le règlement financier "
        "adopté par le bureau : seules les réunions et les actions de mission le sont."
    ),
    "expense": (
        "Les frais de repas ne sont pas remboursés par la CPTS (règlement financier, "
        "article 4) : seuls les déplacements et les achats pour une action le sont."
    ),
}


@dataclass
class Planned:
    """One declaration of the demo (an indemnity, with its mileage claim when ``km`` is
    given, or an expense) and the state it reaches."""

    member: Any
    day: datetime.date
    source_kind: str  # "meeting", "event", "shift", "hand" or "expense"
    status: str
    source: Any = None
    activity_kind: str = ""
    hours: Decimal | None = None
    km: Decimal | None = None
    amount: Decimal | None = None
    justification: str = ""
    reason: str = ""
    validator: Any = None
    refused_at_validation: bool = False
    late: bool = False  # declared long after the activity
    claims: list[Any] = field(default_factory=list)  # filled when declared


# Claims entered by hand: (member email or profession code, days before today, activity
# kind, hours, km, justification). A profession code picks the first active members of it.
HAND_CLAIMS: tuple[tuple[str, int, str, str, str, str], ...] = (
    *(
        (
            "referent@cpts-demo.fr",
            days,
            ActivityKind.REFERENT,
            "3",
            "",
            "Animation du groupe « Soins non programmés » : préparation de l'ordre du jour, "
            "compte rendu et lien avec la régulation du SAS 34.",
        )
        for days in (690, 600, 510, 420, 330, 240, 150, 85, 45, 12)
    ),
    *(
        (
            "presidence@cpts-demo.fr",
            days,
            ActivityKind.REFERENT,
            "3",
            "92",
            "Représentation de la CPTS au comité de pilotage du SAS 34 (ARS Occitanie, "
            "Montpellier).",
        )
        for days in (640, 460, 280, 70, 20)
    ),
    (
        "presidence@cpts-demo.fr",
        380,
        ActivityKind.REFERENT,
        "4",
        "",
        "Référent SSE : mise à jour du plan de crise après l'épidémie hivernale, point avec l'ARS.",
    ),
    (
        "adherent@cpts-demo.fr",
        80,
        ActivityKind.TRAINING,
        "7",
        "92",
        "Formation « Premiers secours en santé mentale », première journée (Montpellier).",
    ),
    (
        "adherent@cpts-demo.fr",
        50,
        ActivityKind.MISSION_ACTION,
        "2",
        "",
        "Préparation de l'atelier « Bien vivre avec son diabète » avec la MSP de Gignac.",
    ),
    (
        "adherent@cpts-demo.fr",
        200,
        ActivityKind.MISSION_ACTION,
        "2",
        "",
        "Relecture des supports de l'atelier prévention des chutes à domicile.",
    ),
    (
        "infirmier",
        300,
        ActivityKind.TRAINING,
        "6",
        "64",
        "Formation à l'entretien motivationnel en éducation thérapeutique (Béziers).",
    ),
    (
        "pharmacien",
        420,
        ActivityKind.TRAINING,
        "7",
        "92",
        "Formation « Premiers secours en santé mentale » (Montpellier).",
    ),
    (
        "medecin_generaliste",
        560,
        ActivityKind.TRAINING,
        "4",
        "",
        "Formation des maîtres de stage universitaires : accueil des internes.",
    ),
    (
        "masseur_kinesitherapeute",
        160,
        ActivityKind.MISSION_ACTION,
        "3",
        "36",
        "Bilans de prévention des chutes au club des aînés d'Aniane.",
    ),
)
# Refused hand claims: (member email or profession code, days before today).
REFUSED_HAND = {("adherent@cpts-demo.fr", 200), ("masseur_kinesitherapeute", 160)}
# Expenses with a receipt: (member, days before today, amount, justification, refused).
EXPENSES: tuple[tuple[str, int, str, str, bool], ...] = (
    (
        "adherent@cpts-demo.fr",
        6,
        "14.60",
        "Péage et parking : formation « Premiers secours en santé mentale » à Montpellier.",
        False,
    ),
    ("adherent@cpts-demo.fr", 120, "23.50", "Repas pris pendant la formation à Montpellier.", True),
    (
        "infirmier",
        400,
        "86.40",
        "Impression des affiches et dépliants d'Octobre rose (reprographie).",
        False,
    ),
    (
        "medecin_generaliste",
        250,
        "150.00",
        "Location de la salle des fêtes pour la soirée pluriprofessionnelle.",
        False,
    ),
    (
        "presidence@cpts-demo.fr",
        70,
        "12.80",
        "Parking du comité de pilotage du SAS 34 à Montpellier.",
        False,
    ),
    (
        "pharmacien",
        40,
        "119.90",
        "Tensiomètres pour le stand de dépistage de l'hypertension au marché de Lodève.",
        False,
    ),
)


def window_status(day: datetime.date, today: datetime.date) -> str:
    age = (today - day).days
    if age < SUBMITTED_DAYS:
        return ClaimStatus.SUBMITTED
    if age < VALIDATED_DAYS:
        return ClaimStatus.VALIDATED
    if age < APPROVED_DAYS:
        return ClaimStatus.APPROVED
    return ClaimStatus.PAID


def first_day(today: datetime.date) -> datetime.date:
    """The demo claims start on January 1st of last year."""
    return datetime.date(today.year - 1, 1, 1)


@dataclass(frozen=True)
class Moments:
    """When a claim was declared, validated and approved (or refused): days after the
    activity, squeezed before the payment date of its batch."""

    declared: datetime.datetime
    validated: datetime.datetime | None
    decided: datetime.datetime | None


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, 0), tzinfo=timezone.get_default_timezone()
    )


def moments(
    plan: Planned, rng: random.Random, today: datetime.date, paid_on: datetime.date | None
) -> Moments:
    """Declared the evening of a day after the activity, validated days later in the
    morning, decided days after that; squeezed before the payment date, never after now
    (today's end when ``today`` is not the current day), always in that order."""
    declared = plan.day + datetime.timedelta(days=rng.randint(1, 8))
    if plan.late:
        declared = today - datetime.timedelta(days=rng.randint(2, 9))
    validated = declared + datetime.timedelta(days=rng.randint(3, 10))
    decided = validated + datetime.timedelta(days=rng.randint(4, 12))
    if paid_on is not None:
        decided = min(decided, paid_on - datetime.timedelta(days=2))
        validated = min(validated, decided - datetime.timedelta(days=1))
        declared = min(declared, validated - datetime.timedelta(days=1))
    earliest = min(plan.day + datetime.timedelta(days=1), today)
    declared, validated, decided = (
        min(max(day, earliest), today) for day in (declared, validated, decided)
    )
    hour = datetime.timedelta(hours=1)
    stamps = [at(declared, 19), at(validated, 10), at(decided, 11)]
    for index in (1, 2):
        stamps[index] = max(stamps[index], stamps[index - 1] + hour)
    limit = at(today, 23)
    if today == timezone.localdate():
        limit = min(limit, timezone.now())
    for index in (2, 1, 0):
        stamps[index] = min(stamps[index], limit - (2 - index) * hour)
    goes: dict[str, tuple[bool, bool]] = {
        ClaimStatus.SUBMITTED: (False, False),
        ClaimStatus.VALIDATED: (True, False),
        ClaimStatus.APPROVED: (True, True),
        ClaimStatus.PAID: (True, True),
        ClaimStatus.REFUSED: (not plan.refused_at_validation, True),
    }
    validates, decides = goes[plan.status]
    return Moments(
        declared=stamps[0],
        validated=stamps[1] if validates else None,
        decided=stamps[2] if decides else None,
    )


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_paid_on(year: int, quarter: int, today: datetime.date) -> datetime.date:
    """The treasurer pays each quarter's claims about three weeks after it ends (at the
    latest when the claims of the approval window start: the rest waits)."""
    end = datetime.date(year + (quarter == 4), quarter * 3 % 12 + 1, 1) - datetime.timedelta(1)
    paid = end + datetime.timedelta(days=20)
    return min(paid, today - datetime.timedelta(days=APPROVED_DAYS - 20))


QUARTER_NAMES = {1: "1er", 2: "2e", 3: "3e", 4: "4e"}


def batch_label(year: int, quarter: int) -> str:
    return f"Indemnités et frais du {QUARTER_NAMES[quarter]} trimestre {year}"
