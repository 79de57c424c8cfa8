"""Demo data of the crisis mission, appended to ``cpts.services.demo.DEMO_STEPS``: the crisis
plan in two versions (the first written when the mission started, the second this year),
and one past crisis recognised by the ARS in the second contract year, with a vaccination
centre and a pick-up point, their shifts, the members who took them and two alerts with
their delivery log. Rows are keyed (version number, crisis title, alert subject) and only
what is missing is created; no email leaves."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from cpts.models import Commune, User
from crisis.models import (
    Activation,
    Alert,
    AlertDelivery,
    DeliveryStatus,
    PlanVersion,
    Segment,
    Shift,
    Site,
    SiteKind,
    Situation,
)
from crisis.selectors.alerts import SegmentChoice, segment_members
from crisis.services.activations import save_activation
from crisis.services.rosters import save_shift, sign_up
from members.models import Member, Profession
from members.models.members import MemberStatus
from missions.deadlines import add_months
from missions.demo import demo_contract

if TYPE_CHECKING:
    from cpts.services.demo import DemoContext

COORDINATION_EMAIL = "coordination@cpts-demo.fr"
PAST_CRISIS_TITLE = "Épidémie hivernale de grippe et de bronchiolite"
PARIS = timezone.get_default_timezone()

SECTIONS = {
    "section_injured": (
        "Accueil des blessés légers dans les cabinets et la MSP de Clermont-l'Hérault pour "
        "délester les urgences ; liste des médecins et infirmiers mobilisables sous 2 heures."
    ),
    "section_seasonal": (
        "Canicule, grand froid, épidémie saisonnière, pollution : appel des patients fragiles "
        "par les infirmiers libéraux, renfort des gardes de pharmacie, créneaux de soins non "
        "programmés ouverts en semaine."
    ),
    "section_emerging": (
        "Agent infectieux émergent : centre de dépistage et de vaccination éphémère, "
        "circuit patient séparé dans chaque cabinet, diffusion des consignes ARS sous 24 h."
    ),
    "section_nrbc": (
        "Risque NRBC : orientation vers le SAMU et l'établissement de référence, aucune prise "
        "en charge en ville des personnes contaminées, relais des messages de la préfecture."
    ),
    "section_supply": (
        "Rupture de l'offre de soins (inondation, panne, cabinet fermé) : report des patients "
        "sur les cabinets voisins, point de retrait des médicaments en pharmacie."
    ),
}
TREE = [
    {"role": "Référent SSE", "name": "Dr Jean-Marc Vidal", "phone": "06 12 34 56 78"},
    {"role": "Coordinatrice", "name": "Camille Roux", "phone": "04 67 88 00 00"},
    {"role": "Pharmacienne référente", "name": "Sophie Marty", "phone": "06 98 76 54 32"},
]


def _by_email(email: str) -> Member | None:
    return Member.objects.filter(email__iexact=email).first()


def _referent() -> Member | None:
    return (
        _by_email("presidence@cpts-demo.fr")
        or Member.objects.filter(status=MemberStatus.ACTIVE, profession__code="medecin_generaliste")
        .order_by("pk")
        .first()
    )


def seed_crisis_plan(context: DemoContext) -> None:
    """Two versions of the plan, dated when the mission started and this year."""
    referent = _referent()
    if referent is None:
        return
    deputy = _by_email("tresorerie@cpts-demo.fr")
    author = User.objects.filter(email__iexact=COORDINATION_EMAIL).first()
    contract = demo_contract()
    first_day = (
        add_months(contract.signed_on, 5)
        if contract
        else timezone.localdate().replace(month=1, day=5)
    )
    versions = [
        (
            1,
            "Première rédaction selon le modèle national",
            first_day,
            "Maison de santé de Clermont-l'Hérault, salle de réunion",
            {},
        ),
        (
            2,
            "Retour d'expérience de l'épidémie hivernale : point de retrait et arbre d'appel",
            timezone.localdate() - datetime.timedelta(days=20),
            "Maison de santé de Clermont-l'Hérault, salle de réunion",
            {
                "section_supply": SECTIONS["section_supply"]
                + " Point de retrait de Lodève ouvert sur décision de la cellule."
            },
        ),
    ]
    created = 0
    for number, summary, day, place, changes in versions:
        if PlanVersion.objects.filter(number=number).exists():
            continue
        version = PlanVersion.objects.create(
            number=number,
            summary=summary,
            referent_sse=referent,
            referent_sse_deputy=deputy if number == 2 else None,
            cell_place=place,
            cell_fallback_place="Mairie de Lodève" if number == 2 else "",
            cell_activation="Le référent SSE ou la coordinatrice réunit la cellule dans l'heure.",
            contact_tree=TREE if number == 2 else TREE[:2],
            created_by=author,
            **{**SECTIONS, **changes},
        )
        moment = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=PARIS)
        PlanVersion.objects.filter(pk=version.pk).update(created_at=moment)
        created += 1
        context.log(_("Plan de crise : version %(number)s créée.") % {"number": number})
    context.created["seed_crisis_plan"] = created


def _commune(code: str) -> Commune | None:
    return Commune.objects.filter(insee_code=code).first()


def _volunteers(code: str, count: int) -> list[Member]:
    return list(
        Member.objects.filter(status=MemberStatus.ACTIVE, profession__code=code).order_by("pk")[
            :count
        ]
    )


HELPER_CODES = ("assistant_medical", "aide_soignant", "assistant_service_social")


def _helpers(count: int) -> list[Member]:
    return list(
        Member.objects.filter(
            status=MemberStatus.ACTIVE, profession__code__in=HELPER_CODES
        ).order_by("pk")[:count]
    )


def seed_past_crisis(context: DemoContext) -> None:
    """The winter epidemic of the second contract year, with its rosters and alerts."""
    contract = demo_contract()
    if contract is None or Activation.objects.filter(title=PAST_CRISIS_TITLE).exists():
        return
    started = add_months(contract.signed_on, 14)
    ended = started + datetime.timedelta(days=34)
    activation = save_activation(
        None,
        {
            "title": PAST_CRISIS_TITLE,
            "situation": Situation.SEASONAL,
            "started_on": started,
            "ended_on": ended,
            "ars_recognised": True,
            "ars_recognised_on": started + datetime.timedelta(days=4),
            "ars_reference": "ARS-OC-SSE-2025-041",
            "description": "Vaccination renforcée et point de retrait des traitements.",
        },
    )
    centre = Site.objects.create(
        activation=activation,
        name="Centre de vaccination de Clermont-l'Hérault",
        kind=SiteKind.VACCINATION,
        address="Salle Georges Brassens",
        commune=_commune("34079"),
    )
    pickup = Site.objects.create(
        activation=activation,
        name="Point de retrait de Lodève",
        kind=SiteKind.PICKUP,
        address="Place de la République",
        commune=_commune("34142"),
    )
    professions = {p.code: p for p in Profession.objects.all()}
    nurses, gps = _volunteers("infirmier", 10), _volunteers("medecin_generaliste", 4)
    pharmacists = _volunteers("pharmacien", 3)
    # The reception is open to everyone: medical assistants, care aides, social workers.
    helpers = _helpers(6)
    shifts: list[Shift] = []
    for day in range(6):
        when = datetime.datetime.combine(
            started + datetime.timedelta(days=7 + 2 * day), datetime.time(8, 30), tzinfo=PARIS
        )
        shifts.append(
            save_shift(
                None,
                centre,
                starts_at=when,
                ends_at=when + datetime.timedelta(hours=4),
                changes_until=when - datetime.timedelta(hours=18),
                notes="Vaccination grippe, patients de plus de 65 ans.",
                needs=[
                    (professions["infirmier"], 2),
                    (professions["medecin_generaliste"], 1),
                    (None, 1),
                ],
            )
        )
    for day in range(2):
        when = datetime.datetime.combine(
            started + datetime.timedelta(days=10 + 3 * day), datetime.time(14, 0), tzinfo=PARIS
        )
        shifts.append(
            save_shift(
                None,
                pickup,
                starts_at=when,
                ends_at=when + datetime.timedelta(hours=3),
                changes_until=when - datetime.timedelta(hours=18),
                notes="",
                needs=[(professions["pharmacien"], 1), (None, 1)],
            )
        )
    signed = 0
    for index, shift in enumerate(shifts):
        needs = {
            need.profession.code if need.profession else None: need for need in shift.needs.all()
        }
        plan: list[tuple[list[Member], str | None, int]] = []
        if "infirmier" in needs:
            plan += [(nurses, "infirmier", 2 if index != 4 else 1)]  # one gap on the fifth shift
            plan += [(gps, "medecin_generaliste", 1)]
        if "pharmacien" in needs:
            plan += [(pharmacists, "pharmacien", 1)]
        plan += [(helpers, None, 1 if index != 5 else 0)]
        for pool, code, count in plan:
            for offset in range(count):
                if not pool:
                    continue
                person = pool[(index * needs[code].count + offset) % len(pool)]
                # Signed up while the crisis was on (it is closed now).
                sign_up(person, needs[code], now=shift.changes_until, force=True)
                signed += 1
    alerts = 0
    for subject, body, choice, delay in (
        (
            "Activation de la cellule de crise : épidémie hivernale",
            "L'ARS a reconnu la situation. Le centre de vaccination ouvre dans une semaine : "
            "inscrivez-vous sur les créneaux depuis votre espace adhérent.",
            SegmentChoice(Segment.EVERYONE),
            1,
        ),
        (
            "Infirmiers : renfort du centre de vaccination",
            "Il manque des infirmiers sur plusieurs créneaux : merci de vous inscrire.",
            SegmentChoice(Segment.PROFESSION, profession=professions["infirmier"]),
            9,
        ),
    ):
        sent_at = datetime.datetime.combine(
            started + datetime.timedelta(days=delay), datetime.time(9, 0), tzinfo=PARIS
        )
        alert = Alert.objects.create(
            activation=activation,
            subject=subject,
            body=body,
            segment=choice.segment,
            profession=choice.profession,
            sent_by=User.objects.filter(email__iexact=COORDINATION_EMAIL).first(),
        )
        Alert.objects.filter(pk=alert.pk).update(sent_at=sent_at)
        rows = []
        for position, member in enumerate(segment_members(choice, on=started).only("pk", "email")):
            rows.append(
                AlertDelivery(
                    alert=alert,
                    member=member,
                    email=member.email,
                    status=DeliveryStatus.SENT if member.email else DeliveryStatus.NO_EMAIL,
                    sent_at=sent_at if member.email else None,
                    read_at=sent_at + datetime.timedelta(hours=2 + position % 30)
                    if member.email and position % 3 != 2
                    else None,
                )
            )
        AlertDelivery.objects.bulk_create(rows, batch_size=500)
        alerts += 1
    context.log(
        _(
            "Crise passée créée : %(title)s (2 sites, %(shifts)s créneaux, %(signups)s "
            "inscriptions, %(alerts)s alertes)."
        )
        % {"title": PAST_CRISIS_TITLE, "shifts": len(shifts), "signups": signed, "alerts": alerts}
    )
    context.created["seed_past_crisis"] = 1


CRISIS_DEMO_STEPS = [seed_crisis_plan, seed_past_crisis]
