"""The calendar of the governance demo data (see ``governance.demo``): the past meetings of
every body, relative to today, and the meetings to come (a CA convened in about three weeks,
the next AG planned in about six weeks, working groups)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from governance.models import (
    SINGLE_KINDS,
    AgendaItem,
    Body,
    BodyKind,
    Convocation,
    ConvocationAnswer,
    Meeting,
    MeetingStatus,
)
from governance.selectors.voting import body_members

AG_TITLE = "Assemblée générale ordinaire du"
CA_TITLE = "Conseil d'administration du"
BUREAU_TITLE = "Réunion du bureau du"
SEAT = "Siège de la CPTS, 14 boulevard Gambetta, Clermont-l'Hérault"
AG_PLACES = [
    "Salle des fêtes, allée Salengro, Clermont-l'Hérault",
    "Salle polyvalente, Gignac",
    "Salle du Peyrou, Lodève",
]
VIDEO = "https://visio.cpts-demo.fr/"
# (name, theme, description, open to self-service joining, led by the référent demo account)
GROUPS = [
    (
        "Soins non programmés",
        "Accès aux soins",
        "Organiser la réponse aux demandes de soins non programmés en journée : créneaux "
        "dédiés des médecins, régulation avec le SAS 34, protocoles infirmiers.",
        True,
        True,
    ),
    (
        "Parcours insuffisance cardiaque",
        "Parcours de soins",
        "Repérer et suivre les patients insuffisants cardiaques après une hospitalisation : "
        "pesée, éducation thérapeutique, lien avec la cardiologie du CH de Clermont-l'Hérault.",
        True,
        False,
    ),
    (
        "Prévention des cancers",
        "Prévention",
        "Dépistages organisés (sein, côlon, col de l'utérus) : Octobre rose, Mars bleu, "
        "actions auprès des publics éloignés du soin.",
        True,
        False,
    ),
    (
        "Santé mentale",
        "Parcours de soins",
        "Coordination avec le CMP et les psychologues libéraux, formation aux premiers "
        "secours en santé mentale, repérage de la crise suicidaire.",
        False,
        False,
    ),
    (
        "Accueil des stagiaires",
        "Attractivité du territoire",
        "Maîtres de stage, logement des internes et des étudiants, journées d'accueil pour "
        "faire découvrir l'exercice coordonné du Cœur d'Hérault.",
        True,
        False,
    ),
    (
        "Gestion de crise",
        "Crise sanitaire",
        "Plan de gestion de crise de la CPTS : canicule, épidémies, inondations ; liste des "
        "professionnels mobilisables et annuaire de crise.",
        False,
        False,
    ),
]
GROUP_NAMES = [group[0] for group in GROUPS]


def group_title(name: str) -> str:
    return f"Groupe « {name} » — réunion du"


def titled(prefix: str, day: datetime.date) -> str:
    return f"{prefix} {day:%d/%m/%Y}"


def nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date:
    """The n-th ``weekday`` (0 = Monday) of the month."""
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def next_weekday(day: datetime.date, weekday: int) -> datetime.date:
    """``day`` itself or the first ``weekday`` (0 = Monday) after it."""
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@dataclass(frozen=True)
class MeetingPlan:
    kind: str  # "ag", "ca", "bureau" or "group"
    body: Body
    prefix: str
    day: datetime.date
    hour: tuple[int, int]
    minutes: int
    place: str = ""
    video_url: str = ""
    notice_days: int = 10

    @property
    def title(self) -> str:
        return titled(self.prefix, self.day)

    @property
    def starts_at(self) -> datetime.datetime:
        return at(self.day, *self.hour)

    def meeting(self, status: str = MeetingStatus.HELD) -> Meeting:
        ends_at = self.starts_at + datetime.timedelta(minutes=self.minutes)
        convened = self.starts_at - datetime.timedelta(days=self.notice_days)
        past = status == MeetingStatus.HELD
        return Meeting(
            body=self.body,
            title=self.title,
            starts_at=self.starts_at,
            ends_at=ends_at,
            place=self.place,
            video_url=self.video_url,
            status=status,
            ag_kind="ordinary" if self.kind == "ag" else "",
            convened_at=convened if status != MeetingStatus.PLANNED else None,
            reminded_at=convened + datetime.timedelta(days=self.notice_days - 2) if past else None,
            held_at=ends_at if past else None,
        )


def past_meeting_plans(today: datetime.date) -> list[MeetingPlan]:
    """Every past meeting of the demo, oldest first: the AGs of June two years ago and last
    year (the first followed by the constitutive CA), quarterly CAs, Bureau meetings and two
    meetings a year of each working group, strictly before today."""
    bodies = {b.kind: b for b in Body.objects.filter(kind__in=SINGLE_KINDS)}
    groups = {b.name: b for b in Body.objects.filter(kind=BodyKind.GROUP, name__in=GROUP_NAMES)}
    if len(bodies) < len(SINGLE_KINDS):
        return []
    y = today.year
    plans: list[MeetingPlan] = []
    for n, year in enumerate((y - 2, y - 1)):
        day = nth_weekday(year, 6, 3, 2)
        plans.append(
            MeetingPlan(
                "ag",
                bodies[BodyKind.AG],
                AG_TITLE,
                day,
                (19, 0) if n == 0 else (18, 30),
                150,
                AG_PLACES[n],
                notice_days=21,
            )
        )
    first_ag = plans[0]
    plans.append(
        MeetingPlan("ca", bodies[BodyKind.CA], CA_TITLE, first_ag.day, (21, 45), 30, first_ag.place)
    )
    for year, month in (
        (y - 2, 10),
        (y - 1, 3),
        (y - 1, 9),
        (y - 1, 12),
        (y, 3),
        (y, 6),
        (y, 9),
        (y, 12),
    ):
        plans.append(
            MeetingPlan(
                "ca",
                bodies[BodyKind.CA],
                CA_TITLE,
                nth_weekday(year, month, 1, 2),
                (20, 0),
                120,
                SEAT,
            )
        )
    for year, month in ((y - 2, 11), (y - 1, 1), (y - 1, 5), (y - 1, 10), (y, 1), (y, 5), (y, 10)):
        plans.append(
            MeetingPlan(
                "bureau",
                bodies[BodyKind.BUREAU],
                BUREAU_TITLE,
                nth_weekday(year, month, 0, 1),
                (12, 30),
                60,
                video_url=VIDEO,
                notice_days=5,
            )
        )
    for index, name in enumerate(GROUP_NAMES):
        body = groups.get(name)
        if body is None:
            continue
        for year, month in ((y - 1, 4 + index), (y, 2 + index)):
            plans.append(
                MeetingPlan(
                    "group",
                    body,
                    group_title(name),
                    nth_weekday(year, month, 2, 2),
                    (18, 30),
                    90,
                    SEAT if index % 2 else "",
                    VIDEO,
                    notice_days=14,
                )
            )
    past = [plan for plan in plans if plan.day < today]
    return sorted(past, key=lambda plan: (plan.starts_at, plan.kind))


def add_agenda(meeting: Meeting, items: list[tuple[str, str, str]]) -> list[AgendaItem]:
    """Agenda items from (title, description, resolution text or "")."""
    return AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=meeting,
                position=position,
                title=title,
                description=description,
                needs_vote=bool(text),
            )
            for position, (title, description, text) in enumerate(items, start=1)
        ]
    )


# The last day of the year an AG is held on: the holidays follow.
LAST_AG_OF_YEAR = (12, 18)


def upcoming_ag_day(today: datetime.date) -> datetime.date:
    """The Thursday of the next AG: six weeks ahead. When that falls in the holidays or next
    year, it is brought forward to the third Thursday of December if that still leaves three
    weeks to convene it (the members up to date for this year then vote); otherwise it stays
    in January, where the renewals paid early give the vote (``governance.demo``)."""
    day = next_weekday(today + datetime.timedelta(days=42), 3)
    if day <= datetime.date(today.year, *LAST_AG_OF_YEAR):
        return day
    december = nth_weekday(today.year, 12, 3, 3)
    if december >= today + datetime.timedelta(days=21):
        return december
    return day


def upcoming_ca_day(today: datetime.date, ag_day: datetime.date) -> datetime.date:
    """The Tuesday of the CA to come: three weeks ahead, or in the week before the AG it
    prepares when the AG comes sooner."""
    day = next_weekday(today + datetime.timedelta(days=21), 1)
    if day > ag_day - datetime.timedelta(days=7):
        day = ag_day - datetime.timedelta(days=9)
    return day


def seed_upcoming_meetings(rng: random.Random) -> list[Meeting]:
    """A CA convened in about three weeks, the next AG planned in about six weeks (agenda
    ready, not yet convened; see ``upcoming_ag_day``) and three working-group meetings;
    skipped while one is already to come."""
    today = timezone.localdate()
    now = timezone.now()
    bodies = {b.kind: b for b in Body.objects.filter(kind__in=SINGLE_KINDS)}
    groups = {b.name: b for b in Body.objects.filter(kind=BodyKind.GROUP, name__in=GROUP_NAMES)}
    ag_day = upcoming_ag_day(today)
    ca_day = upcoming_ca_day(today, ag_day)
    closed = ag_day.year - 1
    specs: list[tuple[MeetingPlan, bool, list[tuple[str, str, str]]]] = []
    if BodyKind.CA in bodies:
        specs.append(
            (
                MeetingPlan(
                    "ca",
                    bodies[BodyKind.CA],
                    CA_TITLE,
                    ca_day,
                    (20, 0),
                    120,
                    SEAT,
                ),
                True,
                [
                    ("Approbation du procès-verbal de la séance précédente", "", "vote"),
                    ("Préparation de l'assemblée générale", "Rapports, budget, candidatures.", ""),
                    ("Point financier", "Point de la trésorière.", ""),
                    ("Questions diverses", "", ""),
                ],
            )
        )
    if BodyKind.AG in bodies:
        specs.append(
            (
                MeetingPlan(
                    "ag",
                    bodies[BodyKind.AG],
                    AG_TITLE,
                    ag_day,
                    (18, 30),
                    150,
                    AG_PLACES[2],
                    notice_days=21,
                ),
                False,
                [
                    ("Accueil, émargement et vérification du quorum", "", ""),
                    ("Approbation du procès-verbal de la dernière assemblée générale", "", "vote"),
                    (f"Rapport moral et rapport d'activité {closed}", "", "vote"),
                    (f"Approbation des comptes {closed} et quitus au trésorier", "", "vote"),
                    (f"Budget prévisionnel {closed + 1}", "", "vote"),
                    (f"Montant de la cotisation {closed + 2}", "", "vote"),
                    ("Questions diverses", "", ""),
                ],
            )
        )
    for index, days, convened in ((0, 10, True), (1, 17, False), (4, 31, False)):
        body = groups.get(GROUP_NAMES[index])
        if body is not None:
            specs.append(
                (
                    MeetingPlan(
                        "group",
                        body,
                        group_title(body.name),
                        next_weekday(today + datetime.timedelta(days=days), 2),
                        (18, 30),
                        90,
                        SEAT,
                        VIDEO,
                        notice_days=days,
                    ),
                    convened,
                    [
                        ("Tour de table", "", ""),
                        ("Avancement du plan d'action", "", ""),
                        ("Questions diverses", "", ""),
                    ],
                )
            )
    created: list[Meeting] = []
    for plan, convened, items in specs:
        to_come = Meeting.objects.filter(
            body=plan.body,
            title__startswith=plan.prefix,
            starts_at__gte=now,
            status__in=[MeetingStatus.PLANNED, MeetingStatus.CONVENED],
        )
        if to_come.exists():
            continue
        meeting = plan.meeting(MeetingStatus.CONVENED if convened else MeetingStatus.PLANNED)
        if convened:
            meeting.convened_at = now
        Meeting.objects.bulk_create([meeting])
        add_agenda(meeting, items)
        if convened:
            invited = body_members(plan.body, plan.day).order_by("email")
            Convocation.objects.bulk_create(
                [
                    Convocation(
                        meeting=meeting,
                        member=member,
                        can_vote=plan.kind != "group",
                        sent_at=now,
                        answer=rng.choice(
                            [
                                ConvocationAnswer.PRESENT,
                                ConvocationAnswer.PRESENT,
                                ConvocationAnswer.ABSENT,
                                ConvocationAnswer.PENDING,
                            ]
                        ),
                    )
                    for member in invited
                ]
            )
            Convocation.objects.filter(meeting=meeting).exclude(
                answer=ConvocationAnswer.PENDING
            ).update(answered_at=now)
        created.append(meeting)
    return created
