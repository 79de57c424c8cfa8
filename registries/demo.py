"""Demo data of the mission registries, appended to ``cpts.services.demo.DEMO_STEPS``: over
the last two years, médecin traitant requests in every status (pseudonymous references,
priority criteria, communes of the territory) placed with the GPs who take new patients
within their declared capacity; SAS participation, 24 months of SAS activity and weekly
unplanned-care slots; trainees (a first name only) hosted by maîtres de stage, installations
supported and their parrainages.

Rows come from a seeded generator (the same demo on every machine) relative to today. Each
step fills its registers only while they are empty, so a second run creates nothing."""

from __future__ import annotations

import datetime
import random
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cpts.models import Association, Commune
from members.models import Member
from members.models.members import MemberStatus
from members.models.reference import MemberKind
from missions.models import AgeBand
from registries.models import (
    GpRequest,
    Installation,
    Mentorship,
    Origin,
    ProfessionalProfile,
    RequestStatus,
    SasMonthlyActivity,
    SasParticipation,
    Trainee,
    TraineeLevel,
    UnplannedSlotOffer,
)

if TYPE_CHECKING:
    from cpts.services.demo import DemoContext

SEED = 20260901
DAYS = 730  # two years back from today
GP = "medecin_generaliste"
REQUESTS = 220
# (chance, criterion) per request; ALD and 70+ often come together.
CRITERIA_ODDS = {
    "ald": 0.38,
    "aged_70": 0.34,
    "c2s_ame": 0.13,
    "precarity": 0.10,
    "hospital_discharge": 0.08,
}
ORIGIN_WEIGHTS = {
    Origin.CPAM: 45,
    Origin.PHARMACY: 20,
    Origin.HOSPITAL: 12,
    Origin.DIRECT: 23,
}
AGE_WEIGHTS = {
    AgeBand.CHILDREN: 8,
    AgeBand.YOUNG: 12,
    AgeBand.ADULTS: 30,
    AgeBand.SENIORS: 22,
    AgeBand.ELDERLY: 24,
    AgeBand.UNKNOWN: 4,
}
# Supervisors: the share of each profession who host trainees, and the trainees' levels.
SUPERVISED = {
    GP: (0.18, (TraineeLevel.EXTERNE, TraineeLevel.INTERNE, TraineeLevel.DOCTEUR_JUNIOR)),
    "infirmier": (0.12, (TraineeLevel.PARAMEDICAL,)),
    "masseur_kinesitherapeute": (0.15, (TraineeLevel.PARAMEDICAL,)),
    "pharmacien": (0.15, (TraineeLevel.EXTERNE, TraineeLevel.OTHER)),
    "sage_femme": (0.3, (TraineeLevel.PARAMEDICAL,)),
}
TRAINEE_FIRST_NAMES = (
    "Léa",
    "Hugo",
    "Chloé",
    "Lucas",
    "Manon",
    "Théo",
    "Inès",
    "Nathan",
    "Camille",
    "Louis",
    "Sarah",
    "Enzo",
    "Jade",
    "Tom",
    "Lina",
    "Mathis",
)


DEMO_ADHERENT_EMAIL = "adherent@cpts-demo.fr"


def _rng(step: str) -> random.Random:
    return random.Random(f"{SEED}-{step}")


def _today() -> datetime.date:
    return timezone.localdate()


def _active(code: str) -> QuerySet[Member]:
    return Member.objects.filter(
        status=MemberStatus.ACTIVE, kind=MemberKind.PERSON, profession__code=code
    ).order_by("pk")


def _weighted(rng: random.Random, weights: Mapping[Any, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _month_start(day: datetime.date, months_back: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


# --- Profiles --------------------------------------------------------------------------------


def seed_registry_profiles(context: DemoContext) -> None:
    """GPs taking new patients (capacity declared over a year ago) and maîtres de stage."""
    if ProfessionalProfile.objects.exists():
        return
    rng = _rng("profiles")
    today = _today()
    profiles: dict[int, ProfessionalProfile] = {}
    for member in _active(GP):
        if rng.random() < 0.4:
            profiles[member.pk] = ProfessionalProfile(
                member=member,
                accepts_new_patients=True,
                new_patients_capacity=rng.choice((3, 4, 5, 6, 8, 10, 12, 15)),
                capacity_since=today - datetime.timedelta(days=rng.randint(DAYS, DAYS + 200)),
            )
    for code, (share, _levels) in SUPERVISED.items():
        for member in _active(code):
            if rng.random() >= share:
                continue
            profile = profiles.setdefault(member.pk, ProfessionalProfile(member=member))
            profile.internship_supervisor = True
            profile.supervisor_since = today - datetime.timedelta(days=rng.randint(200, 3000))
    ProfessionalProfile.objects.bulk_create(profiles.values())
    taking = sum(1 for profile in profiles.values() if profile.accepts_new_patients)
    supervising = sum(1 for profile in profiles.values() if profile.internship_supervisor)
    context.log(
        _(
            "Registres : %(taking)s médecins acceptant de nouveaux patients, %(sup)s maîtres "
            "de stage."
        )
        % {"taking": taking, "sup": supervising}
    )
    context.created["seed_registry_profiles"] = len(profiles)


# --- Médecin traitant requests ---------------------------------------------------------------


def _outcome(rng: random.Random, age_days: int) -> str:
    """A status likely for a request received ``age_days`` ago: recent ones are still open."""
    if age_days < 20:
        return rng.choices(
            (RequestStatus.WAITING, RequestStatus.PROPOSED, RequestStatus.ACCEPTED), (6, 3, 1)
        )[0]
    if age_days < 90:
        return rng.choices(
            (
                RequestStatus.WAITING,
                RequestStatus.PROPOSED,
                RequestStatus.ACCEPTED,
                RequestStatus.NO_SOLUTION,
            ),
            (3, 2, 6, 1),
        )[0]
    return rng.choices((RequestStatus.ACCEPTED, RequestStatus.NO_SOLUTION), (8, 2))[0]


def seed_gp_requests(context: DemoContext) -> None:
    """Requests received over two years; each acceptance uses one place of a doctor's
    capacity (none is exceeded), a request that finds no place closes without solution."""
    if GpRequest.objects.exists():
        return
    communes: Sequence[Commune] = list(Association.objects.get_solo().communes.order_by("pk"))
    doctors = list(
        ProfessionalProfile.objects.filter(
            accepts_new_patients=True, member__status=MemberStatus.ACTIVE
        ).select_related("member")
    )
    if not communes or not doctors:
        return
    rng = _rng("requests")
    today = _today()
    places = {profile.member_id: profile.new_patients_capacity for profile in doctors}
    # Leave room on a few doctors so that the register shows who can still take someone.
    for profile in doctors[::3]:
        places[profile.member_id] = max(0, places[profile.member_id] - 2)
    received_days = sorted(
        today - datetime.timedelta(days=rng.randint(0, DAYS)) for _ in range(REQUESTS)
    )
    serial: dict[int, int] = {}
    rows: list[GpRequest] = []
    for received in received_days:
        serial[received.year] = serial.get(received.year, 0) + 1
        age = (today - received).days
        status = _outcome(rng, age)
        row = GpRequest(
            reference=f"MT-{received.year}-{serial[received.year]:04d}",
            age_band=_weighted(rng, AGE_WEIGHTS),
            commune=rng.choice(communes),
            origin=_weighted(rng, ORIGIN_WEIGHTS),
            received_on=received,
            **{name: rng.random() < odds for name, odds in CRITERIA_ODDS.items()},
        )
        if row.age_band == AgeBand.ELDERLY:
            row.aged_70 = True
        if status in (RequestStatus.PROPOSED, RequestStatus.ACCEPTED):
            open_doctors = [p for p in doctors if places[p.member_id] > 0]
            if not open_doctors:
                status = RequestStatus.NO_SOLUTION if age >= 20 else RequestStatus.WAITING
            else:
                chosen = rng.choice(open_doctors)
                row.proposed_to = chosen.member
                row.proposed_on = received + datetime.timedelta(days=min(age, rng.randint(1, 10)))
                if status == RequestStatus.ACCEPTED:
                    places[chosen.member_id] -= 1
                    row.doctor = chosen.member
                    delay = rng.choice((2, 4, 6, 9, 12, 15, 21, 28, 35, 45, 60))
                    row.closed_on = min(row.proposed_on + datetime.timedelta(days=delay), today)
        if status == RequestStatus.NO_SOLUTION:
            row.closed_on = min(received + datetime.timedelta(days=rng.randint(45, 120)), today)
        if row.closed_on is not None:
            row.waiting_days = (row.closed_on - received).days
        row.status = status
        rows.append(row)
    GpRequest.objects.bulk_create(rows)
    context.log(
        _("Registres : %(count)s demandes de médecin traitant sur deux ans.") % {"count": len(rows)}
    )
    context.created["seed_gp_requests"] = len(rows)


# --- SAS and unplanned care ------------------------------------------------------------------


def seed_sas(context: DemoContext) -> None:
    """SAS participation of about half the GPs, 24 months of activity, weekly slot offers."""
    if SasParticipation.objects.exists() or SasMonthlyActivity.objects.exists():
        return
    rng = _rng("sas")
    today = _today()
    gps = list(_active(GP))
    participations = []
    for member in gps:
        if rng.random() >= 0.5:
            continue
        start = today - datetime.timedelta(days=rng.randint(30, DAYS))
        end = None
        if rng.random() < 0.15 and (today - start).days > 120:
            end = start + datetime.timedelta(days=rng.randint(90, (today - start).days - 1))
        participations.append(SasParticipation(member=member, start=start, end=end))
    SasParticipation.objects.bulk_create(participations)
    months = []
    for back in range(24, 0, -1):
        month = _month_start(today, back)
        winter = month.month in (12, 1, 2)
        requests = rng.randint(260, 340) + (90 if winter else 0) + (24 - back) * 4
        oriented = int(requests * rng.uniform(0.18, 0.26))
        given = int((requests - oriented) * rng.uniform(0.82, 0.93))
        not_honoured = int(given * rng.uniform(0.03, 0.07))
        unknown = int(given * rng.uniform(0.0, 0.04))
        months.append(
            SasMonthlyActivity(
                month=month,
                requests_received=requests,
                appointments_given=given,
                honoured=given - not_honoured - unknown,
                not_honoured=not_honoured,
                oriented_elsewhere=oriented,
            )
        )
    SasMonthlyActivity.objects.bulk_create(months)
    offering = [p.member for p in participations if p.end is None][:14]
    monday = today - datetime.timedelta(days=today.weekday())
    slots = []
    for member in offering:
        usual = rng.randint(2, 8)
        for back in range(104):  # two years of weeks
            if rng.random() < 0.2:
                continue  # holidays, training
            slots.append(
                UnplannedSlotOffer(
                    member=member,
                    week=monday - datetime.timedelta(weeks=back),
                    slots=max(1, usual + rng.randint(-2, 2)),
                )
            )
    # The demo adherent (a nurse) declares her own slots from the portal: the past weeks, not
    # yet this one.
    adherent = Member.objects.filter(user__email=DEMO_ADHERENT_EMAIL).first()
    if adherent is not None and adherent not in offering:
        for back in range(1, 9):
            if back % 4 != 3:
                slots.append(
                    UnplannedSlotOffer(
                        member=adherent,
                        week=monday - datetime.timedelta(weeks=back),
                        slots=rng.randint(2, 4),
                    )
                )
    UnplannedSlotOffer.objects.bulk_create(slots)
    context.log(
        _(
            "Registres : %(doctors)s médecins au SAS, %(months)s mois d'activité, %(slots)s "
            "semaines de créneaux de soins non programmés."
        )
        % {"doctors": len(participations), "months": len(months), "slots": len(slots)}
    )
    context.created["seed_sas"] = len(participations) + len(months) + len(slots)


# --- Accompagnement des professionnels -------------------------------------------------------


def seed_support(context: DemoContext) -> None:
    """Trainees hosted by the maîtres de stage, installations and parrainages."""
    if Trainee.objects.exists() or Installation.objects.exists():
        return
    rng = _rng("support")
    today = _today()
    supervisors = list(
        ProfessionalProfile.objects.filter(internship_supervisor=True)
        .select_related("member__profession")
        .order_by("pk")
    )
    trainees = []
    for profile in supervisors:
        host = profile.member
        if host.profession is None:
            continue
        _share, levels = SUPERVISED.get(host.profession.code, (0, (TraineeLevel.OTHER,)))
        for _term in range(rng.randint(1, 3)):
            start = today - datetime.timedelta(days=rng.randint(0, DAYS))
            trainees.append(
                Trainee(
                    first_name=rng.choice(TRAINEE_FIRST_NAMES) if rng.random() < 0.85 else "",
                    profession=host.profession,
                    level=rng.choice(levels),
                    host=host,
                    start=start,
                    end=start + datetime.timedelta(days=rng.choice((28, 42, 90, 180))),
                    housing_provided=rng.random() < 0.3,
                )
            )
    Trainee.objects.bulk_create(trainees)
    newcomers = [
        member
        for code in (GP, "infirmier", "masseur_kinesitherapeute")
        for member in _active(code).select_related("profession").order_by("-pk")[:3]
    ]
    communes = list(Association.objects.get_solo().communes.order_by("pk"))
    installations, mentorships = [], []
    for index, newcomer in enumerate(newcomers):
        installed = today - datetime.timedelta(days=40 + index * 75)
        helps = [rng.random() < 0.6, rng.random() < 0.7, rng.random() < 0.8]
        if not any(helps):
            helps[2] = True
        installations.append(
            Installation(
                professional=newcomer,
                installed_on=installed,
                commune=newcomer.commune or (rng.choice(communes) if communes else None),
                help_premises=helps[0],
                help_administrative=helps[1],
                help_introductions=helps[2],
            )
        )
        mentor = (
            _active(newcomer.profession.code).exclude(pk=newcomer.pk).first()
            if newcomer.profession
            else None
        )
        if mentor is not None and index % 3 != 2:
            mentorships.append(
                Mentorship(
                    mentor=mentor,
                    newcomer=newcomer,
                    start=installed - datetime.timedelta(days=rng.randint(0, 30)),
                    hours=Decimal(rng.choice((2, 4, 6, 8, 12))) + Decimal("0.5") * (index % 2),
                )
            )
    Installation.objects.bulk_create(installations)
    Mentorship.objects.bulk_create(mentorships)
    context.log(
        _(
            "Registres : %(trainees)s stagiaires accueillis, %(installations)s installations "
            "accompagnées, %(pairs)s parrainages."
        )
        % {
            "trainees": len(trainees),
            "installations": len(installations),
            "pairs": len(mentorships),
        }
    )
    context.created["seed_support"] = len(trainees) + len(installations) + len(mentorships)


REGISTRIES_DEMO_STEPS = [seed_registry_profiles, seed_gp_requests, seed_sas, seed_support]
