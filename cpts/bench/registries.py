"""The benchmark's data set of the mission registries, grown with the member base.

On top of the demo registers (``registries.demo``, run by ``seed_demo``), per scale unit
(1 000 members): ``REQUESTS_PER_SCALE`` médecin traitant requests in every status over two
years, a profile taking new patients for one GP in four and a maître de stage for one person
in twenty, ``SAS_PER_SCALE`` SAS participations, the weekly unplanned-care slots of
``SLOT_MEMBERS_PER_SCALE`` members over a year, ``TRAINEES_PER_SCALE`` trainees,
``INSTALLATIONS_PER_SCALE`` installations with as many parrainages. The SAS monthly activity
stays one row per month (24 from the demo): it does not grow with members.

The registries' pages measured in ``cpts.bench.targets`` take their URL arguments from
``grown_kwargs`` and ``request_kwargs``, which grow this data set first. Idempotent and
cumulative (rows are counted against the scale's target); bulk inserts, no audit trail:
throw-away measurement data.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from cpts.bench.missions import bench_scale
from cpts.models import Association
from members.models import Member
from members.models.members import MemberStatus
from members.models.reference import MemberKind
from registries.models import (
    GpRequest,
    Installation,
    Mentorship,
    ProfessionalProfile,
    RequestStatus,
    SasParticipation,
    Trainee,
    TraineeLevel,
    UnplannedSlotOffer,
)

BENCH_REFERENCE_PREFIX = "MB-"
REQUESTS_PER_SCALE = 500
SAS_PER_SCALE = 80
SLOT_MEMBERS_PER_SCALE = 30
TRAINEES_PER_SCALE = 40
INSTALLATIONS_PER_SCALE = 15
WEEKS = 52
STATUSES = (
    RequestStatus.ACCEPTED,
    RequestStatus.ACCEPTED,
    RequestStatus.WAITING,
    RequestStatus.PROPOSED,
    RequestStatus.ACCEPTED,
    RequestStatus.NO_SOLUTION,
)


def _persons(code: str | None = None) -> Any:
    rows = Member.objects.filter(status=MemberStatus.ACTIVE, kind=MemberKind.PERSON)
    if code:
        rows = rows.filter(profession__code=code)
    return rows.order_by("pk")


def _grow_profiles() -> None:
    """One GP in four takes new patients; one person in twenty is a maître de stage."""
    today = timezone.localdate()
    known = set(ProfessionalProfile.objects.values_list("member_id", flat=True))
    gps = list(_persons("medecin_generaliste").values_list("pk", flat=True))
    persons = list(_persons().values_list("pk", flat=True))
    new: dict[int, ProfessionalProfile] = {}
    for index, pk in enumerate(gps):
        if index % 4 == 0 and pk not in known:
            new[pk] = ProfessionalProfile(
                member_id=pk,
                accepts_new_patients=True,
                new_patients_capacity=5 + index % 20,
                capacity_since=today - datetime.timedelta(days=800),
            )
    for index, pk in enumerate(persons):
        if index % 20 == 7 and pk not in known:
            profile = new.setdefault(pk, ProfessionalProfile(member_id=pk))
            profile.internship_supervisor = True
            profile.supervisor_since = today - datetime.timedelta(days=400 + index % 900)
    ProfessionalProfile.objects.bulk_create(new.values(), batch_size=500)


def _grow_requests(wanted: int) -> None:
    today = timezone.localdate()
    mine = GpRequest.objects.filter(reference__startswith=BENCH_REFERENCE_PREFIX).count()
    if mine >= wanted:
        return
    communes = list(Association.objects.get_solo().communes.values_list("pk", flat=True))
    doctors = list(
        ProfessionalProfile.objects.filter(accepts_new_patients=True).values_list(
            "member_id", flat=True
        )
    )
    rows = []
    for number in range(mine + 1, wanted + 1):
        status = STATUSES[number % len(STATUSES)]
        received = today - datetime.timedelta(days=20 + number % 700)
        doctor = doctors[number % len(doctors)] if doctors else None
        proposed = status in (RequestStatus.PROPOSED, RequestStatus.ACCEPTED) and doctor
        closed = received + datetime.timedelta(days=3 + number % 40)
        closing = status in (RequestStatus.ACCEPTED, RequestStatus.NO_SOLUTION)
        if status == RequestStatus.ACCEPTED and not doctor:
            status = RequestStatus.NO_SOLUTION
        rows.append(
            GpRequest(
                reference=f"{BENCH_REFERENCE_PREFIX}{number:07d}",
                age_band=("0-17", "18-29", "30-59", "60-74", "75+")[number % 5],
                commune_id=communes[number % len(communes)],
                ald=number % 3 == 0,
                aged_70=number % 5 == 4,
                c2s_ame=number % 7 == 0,
                precarity=number % 11 == 0,
                hospital_discharge=number % 13 == 0,
                origin=("cpam", "pharmacie", "hopital", "direct")[number % 4],
                received_on=received,
                status=status,
                proposed_to_id=doctor if proposed else None,
                proposed_on=received + datetime.timedelta(days=1) if proposed else None,
                doctor_id=doctor if status == RequestStatus.ACCEPTED else None,
                closed_on=closed if closing else None,
                waiting_days=(closed - received).days if closing else None,
            )
        )
    GpRequest.objects.bulk_create(rows, batch_size=500)


def _grow_sas(scale: int) -> None:
    today = timezone.localdate()
    gps = list(_persons("medecin_generaliste").values_list("pk", flat=True))
    have = SasParticipation.objects.count()
    wanted = SAS_PER_SCALE * scale
    SasParticipation.objects.bulk_create(
        [
            SasParticipation(
                member_id=gps[number % len(gps)],
                start=today - datetime.timedelta(days=30 + number % 700),
                end=today - datetime.timedelta(days=number % 20) if number % 9 == 0 else None,
            )
            for number in range(have, wanted)
        ],
        batch_size=500,
    )
    offering = set(UnplannedSlotOffer.objects.values_list("member_id", flat=True).distinct())
    candidates = [pk for pk in gps if pk not in offering]
    missing = max(0, SLOT_MEMBERS_PER_SCALE * scale - len(offering))
    monday = today - datetime.timedelta(days=today.weekday())
    UnplannedSlotOffer.objects.bulk_create(
        [
            UnplannedSlotOffer(
                member_id=pk, week=monday - datetime.timedelta(weeks=back), slots=2 + back % 6
            )
            for pk in candidates[:missing]
            for back in range(WEEKS)
        ],
        batch_size=1000,
    )


def _grow_support(scale: int) -> None:
    today = timezone.localdate()
    hosts = [
        (member, profession)
        for member, profession in ProfessionalProfile.objects.filter(
            internship_supervisor=True
        ).values_list("member_id", "member__profession_id")
        if profession is not None
    ]
    have = Trainee.objects.count()
    levels = TraineeLevel.values
    Trainee.objects.bulk_create(
        [
            Trainee(
                first_name=("Léa", "Hugo", "Inès", "Tom", "")[number % 5],
                profession_id=hosts[number % len(hosts)][1],
                level=levels[number % len(levels)],
                host_id=hosts[number % len(hosts)][0],
                start=today - datetime.timedelta(days=number % 700),
                end=today - datetime.timedelta(days=number % 700) + datetime.timedelta(days=60),
                housing_provided=number % 4 == 0,
            )
            for number in range(have, TRAINEES_PER_SCALE * scale)
        ]
        if hosts
        else [],
        batch_size=500,
    )
    persons = list(_persons().values_list("pk", flat=True))
    have = Installation.objects.count()
    installations, pairs = [], []
    for number in range(have, INSTALLATIONS_PER_SCALE * scale):
        newcomer = persons[-1 - number % len(persons)]
        installed = today - datetime.timedelta(days=10 + number % 700)
        installations.append(
            Installation(
                professional_id=newcomer,
                installed_on=installed,
                help_premises=number % 2 == 0,
                help_administrative=True,
                help_introductions=number % 3 == 0,
            )
        )
        mentor = persons[number % len(persons)]
        if mentor != newcomer:
            pairs.append(
                Mentorship(
                    mentor_id=mentor, newcomer_id=newcomer, start=installed, hours=Decimal(6)
                )
            )
    Installation.objects.bulk_create(installations, batch_size=500)
    Mentorship.objects.bulk_create(pairs, batch_size=500)


@transaction.atomic
def seed_registries(scale: int) -> int:
    """Grow every register to ``scale`` (idempotent); returns the number of requests."""
    _grow_profiles()
    _grow_requests(REQUESTS_PER_SCALE * scale)
    _grow_sas(scale)
    _grow_support(scale)
    return GpRequest.objects.count()


def grow() -> None:
    seed_registries(bench_scale())


def grown_kwargs() -> dict[str, Any]:
    """URL arguments of a register's list page (none), once the data set is grown."""
    grow()
    return {}


def request_kwargs() -> dict[str, Any]:
    """A waiting request's page (its candidate doctors), once the data set is grown."""
    grow()
    request = (
        GpRequest.objects.filter(status=RequestStatus.WAITING).order_by("pk").first()
        or GpRequest.objects.order_by("pk").first()
    )
    assert request is not None
    return {"pk": request.pk}


PORTAL_USER = "adherent@cpts-demo.fr"


def portal_slot_kwargs() -> dict[str, Any]:
    """The demo adherent's own slots page (``portal_slot_offers``), once the data set is grown
    and she has a year of weeks declared (so the page reads a long history)."""
    grow()
    member = Member.objects.filter(user__email=PORTAL_USER).first()
    if member is not None:
        monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
        known = set(UnplannedSlotOffer.objects.filter(member=member).values_list("week", flat=True))
        UnplannedSlotOffer.objects.bulk_create(
            [
                UnplannedSlotOffer(member=member, week=week, slots=1 + back % 4)
                for back in range(-8, WEEKS)
                if (week := monday - datetime.timedelta(weeks=back)) not in known
            ]
        )
    return {}
