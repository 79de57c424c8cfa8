"""The benchmark's data set: the demo CPTS, grown to a scale with bulk inserts.

At scale N the territory holds N times the demo's communes, and there are 10 N generated
documents, 20 N generated accounts and 10 N invitations. Growing is cumulative: seeding scale
10 after scale 1 only adds the difference. Bulk inserts skip the audit trail on purpose: this is
throw-away measurement data, never the association's history.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from cpts.jobs import known_kinds
from cpts.models import (
    Association,
    Commune,
    GeneratedDocument,
    Invitation,
    TerritoryCommune,
    User,
)
from cpts.services.demo import DEMO_ACCOUNTS, DEMO_EPCI, seed_demo

DOCUMENTS_PER_SCALE = 10
USERS_PER_SCALE = 20
INVITATIONS_PER_SCALE = 10
# Where the territory grows beyond the Cœur d'Hérault: the Hérault, then its neighbours.
DEPARTEMENTS = ("34", "30", "12", "11", "81", "48")
BENCH_EMAIL_DOMAIN = "bench.cpts-demo.fr"
COORDINATOR_EMAIL = next(account.email for account in DEMO_ACCOUNTS if account.is_staff)

_FIRST_NAMES = (
    *("Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Julie", "Emma", "Louise", "Claire"),
    *("Lucas", "Hugo", "Louis", "Nathan", "Thomas", "Julien", "Antoine", "Paul", "Mathieu"),
)
_LAST_NAMES = (
    *("Martin", "Bernard", "Dubois", "Durand", "Moreau", "Laurent", "Garcia", "Roux", "Blanc"),
    *("Bonnet", "Vidal", "Marty", "Fabre", "Rouquette", "Cabanel", "Espinasse", "Teissier"),
)
_EXAMPLE_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@dataclass(frozen=True)
class ScaleCounts:
    communes: int
    documents: int
    users: int
    invitations: int


def target_counts(scale: int) -> ScaleCounts:
    demo_communes = Commune.objects.filter(epci_siren__in=DEMO_EPCI).count()
    return ScaleCounts(
        communes=demo_communes * scale,
        documents=DOCUMENTS_PER_SCALE * scale,
        users=USERS_PER_SCALE * scale,
        invitations=INVITATIONS_PER_SCALE * scale,
    )


def current_counts() -> ScaleCounts:
    return ScaleCounts(
        communes=TerritoryCommune.objects.count(),
        documents=GeneratedDocument.objects.count(),
        users=User.objects.filter(email__endswith=f"@{BENCH_EMAIL_DOMAIN}").count(),
        invitations=Invitation.objects.count(),
    )


@transaction.atomic
def seed_scale(scale: int) -> ScaleCounts:
    """Bring the data set up to ``scale`` (idempotent) and return the counts reached."""
    seed_demo()
    association = Association.objects.get_solo()
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    target = target_counts(scale)
    _grow_territory(association, target.communes)
    _grow_users(target.users)
    _grow_invitations(target.invitations, coordinator)
    _grow_documents(target.documents, coordinator)
    _grow_members(MEMBERS_PER_SCALE * scale)
    return current_counts()


def _grow_territory(association: Association, target: int) -> None:
    missing = target - TerritoryCommune.objects.filter(association=association).count()
    if missing <= 0:
        return
    taken = set(association.communes.values_list("pk", flat=True))
    links: list[TerritoryCommune] = []
    for departement in DEPARTEMENTS:
        pks = (
            Commune.objects.filter(departement=departement)
            .exclude(pk__in=taken)
            .order_by("insee_code")
            .values_list("pk", flat=True)[: missing - len(links)]
        )
        links += [TerritoryCommune(association=association, commune_id=pk) for pk in pks]
        if len(links) >= missing:
            break
    TerritoryCommune.objects.bulk_create(links)


def _grow_users(target: int) -> None:
    existing = User.objects.filter(email__endswith=f"@{BENCH_EMAIL_DOMAIN}").count()
    if existing >= target:
        return
    password = make_password(None)  # unusable: these accounts never log in
    rng = random.Random(existing)
    users = User.objects.bulk_create(
        [
            User(
                email=f"personne{index:05d}@{BENCH_EMAIL_DOMAIN}",
                first_name=rng.choice(_FIRST_NAMES),
                last_name=rng.choice(_LAST_NAMES),
                password=password,
            )
            for index in range(existing, target)
        ]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in users]
    )
    # Roles come from mandates, as in a real CPTS: one account in ten leads a working group,
    # a few more sit on the board.
    _give_bench_mandates(
        referents=[user for index, user in enumerate(users) if index % 10 == 0],
        administrators=[user for index, user in enumerate(users) if index % 15 == 0 and index % 10],
    )


def _give_bench_mandates(referents: list[User], administrators: list[User]) -> None:
    """A member record for each of these accounts and a running mandate: référent of the
    bench working group, or administrateur in the CA. Bulk inserts skip the statutes'
    checks (seats per collège) on purpose: this is measurement data."""
    from governance.models import Body, BodyKind, Mandate, MandateRole
    from members.models import Member
    from members.models.members import MemberStatus
    from members.models.reference import MemberKind

    accounts = [*referents, *administrators]
    if not accounts:
        return
    today = timezone.localdate()
    members = Member.objects.bulk_create(
        [
            Member(
                kind=MemberKind.PERSON,
                first_name=user.first_name,
                last_name=user.last_name,
                email=user.email,
                status=MemberStatus.ACTIVE,
                joined_on=today,
                user=user,
            )
            for user in accounts
        ],
        batch_size=500,
    )
    group = Body.objects.get_or_create(
        name="Groupe de travail du banc d'essai", defaults={"kind": BodyKind.GROUP}
    )[0]
    board = Body.objects.get_or_create(kind=BodyKind.CA, defaults={"name": BodyKind.CA.label})[0]
    Mandate.objects.bulk_create(
        [
            Mandate(
                member=member,
                body=group if index < len(referents) else board,
                role=MandateRole.REFERENT if index < len(referents) else MandateRole.ADMINISTRATEUR,
                start_date=today,
            )
            for index, member in enumerate(members)
        ],
        batch_size=500,
    )


def _grow_invitations(target: int, inviter: User) -> None:
    existing = Invitation.objects.count()
    if existing >= target:
        return
    now = timezone.now()
    invitations = []
    for index in range(existing, target):
        invitation = Invitation(
            email=f"invite{index:05d}@{BENCH_EMAIL_DOMAIN}",
            first_name=_FIRST_NAMES[index % len(_FIRST_NAMES)],
            last_name=_LAST_NAMES[index % len(_LAST_NAMES)],
            invited_by=inviter,
        )
        if index % 4 == 1:
            invitation.revoked_at = now
        elif index % 4 == 2:
            invitation.expires_at = now - timedelta(days=1)
        invitations.append(invitation)
    Invitation.objects.bulk_create(invitations)


def _grow_documents(target: int, requested_by: User) -> None:
    existing = GeneratedDocument.objects.count()
    if existing >= target:
        return
    kinds = sorted(known_kinds()) or ["identity_sheet"]
    file_name = default_storage.save("documents/bench/exemple.pdf", ContentFile(_EXAMPLE_PDF))
    now = timezone.now()
    statuses = [GeneratedDocument.Status.DONE] * 6 + [
        GeneratedDocument.Status.FAILED,
        GeneratedDocument.Status.QUEUED,
        GeneratedDocument.Status.RUNNING,
    ]
    documents = []
    for index in range(existing, target):
        status = statuses[index % len(statuses)]
        done = status == GeneratedDocument.Status.DONE
        finished = done or status == GeneratedDocument.Status.FAILED
        documents.append(
            GeneratedDocument(
                kind=kinds[index % len(kinds)],
                status=status,
                progress=100 if done else 40,
                requested_by=requested_by,
                file=file_name if done else "",
                error_message="Erreur de démonstration."
                if status == GeneratedDocument.Status.FAILED
                else "",
                started_at=now,
                finished_at=now if finished else None,
            )
        )
    GeneratedDocument.objects.bulk_create(documents)


# --- Member base: 1 000 members per scale (persons and organisations) with adhesions ---
MEMBERS_PER_SCALE = 1000
# Profession codes weighted as in a real CPTS: a third GPs, then nurses, pharmacists, physios.
_PROFESSION_WEIGHTS = {
    "medecin_generaliste": 33,
    "infirmier": 20,
    "pharmacien": 10,
    "masseur_kinesitherapeute": 10,
    "sage_femme": 4,
    "chirurgien_dentiste": 4,
    "orthophoniste": 4,
    "psychologue": 4,
    "medecin_specialiste": 4,
    "dieteticien": 2,
    "assistant_service_social": 2,
    "pedicure_podologue": 3,
}


def _grow_members(target: int) -> None:
    """Members up to ``target`` in all: nine persons (with a primary practice site) for one
    organisation, spread over the territory's communes and the collèges; every member holds
    the current year's adhesion, settled for four in five (one in twenty exonerated)."""
    from decimal import Decimal

    from members.models import Adhesion, College, Member, Payment, PracticeSite, Profession
    from members.models.adhesions import PaymentMethod
    from members.models.members import MemberStatus, OrganisationKind
    from members.models.reference import MemberKind

    existing = Member.objects.count()
    if existing >= target:
        return
    rng = random.Random(existing)
    communes = list(TerritoryCommune.objects.values_list("commune_id", flat=True))
    colleges: list[int | None] = [*College.objects.values_list("pk", flat=True)] or [None]
    professions = dict(
        Profession.objects.filter(code__in=_PROFESSION_WEIGHTS).values_list("code", "pk")
    )
    codes = [code for code in _PROFESSION_WEIGHTS if code in professions]
    weights = [_PROFESSION_WEIGHTS[code] for code in codes]
    today = timezone.localdate()
    members = []
    for index in range(existing, target):
        common = {
            "email": f"membre{index:06d}@{BENCH_EMAIL_DOMAIN}",
            "commune_id": rng.choice(communes),
            "college_id": rng.choice(colleges),
            "status": MemberStatus.CANDIDATE if index % 50 == 0 else MemberStatus.ACTIVE,
            "joined_on": today - timedelta(days=rng.randrange(5 * 365)),
        }
        if index % 10 == 9:
            members.append(
                Member(
                    kind=MemberKind.ORGANISATION,
                    organisation_name=f"Maison de santé {rng.choice(_LAST_NAMES)} {index}",
                    organisation_kind=OrganisationKind.MSP,
                    siret=f"{index:014d}",
                    **common,
                )
            )
        else:
            members.append(
                Member(
                    kind=MemberKind.PERSON,
                    first_name=rng.choice(_FIRST_NAMES),
                    last_name=rng.choice(_LAST_NAMES),
                    profession_id=professions[rng.choices(codes, weights)[0]] if codes else None,
                    rpps=f"{10_000_000_000 + index}",
                    **common,
                )
            )
    members = Member.objects.bulk_create(members, batch_size=500)
    PracticeSite.objects.bulk_create(
        [
            PracticeSite(member=member, commune_id=member.commune_id, is_primary=True)
            for member in members
            if member.kind == MemberKind.PERSON and member.commune_id is not None
        ],
        batch_size=500,
    )
    adhesions = Adhesion.objects.bulk_create(
        [
            Adhesion(
                member=member,
                year=today.year,
                fee_due=Decimal("50.00" if member.kind == MemberKind.ORGANISATION else "20.00"),
                started_on=today.replace(month=1, day=1),
            )
            for member in members
        ],
        batch_size=500,
    )
    payments = []
    for index, adhesion in enumerate(adhesions):
        if index % 20 == 0:
            payments.append(
                Payment(
                    adhesion=adhesion,
                    amount=Decimal("0.00"),
                    method=PaymentMethod.EXONERATION,
                    paid_on=adhesion.started_on,
                )
            )
        elif index % 5:
            payments.append(
                Payment(
                    adhesion=adhesion,
                    amount=adhesion.fee_due,
                    method=PaymentMethod.VIREMENT,
                    paid_on=adhesion.started_on,
                )
            )
    Payment.objects.bulk_create(payments, batch_size=500)
