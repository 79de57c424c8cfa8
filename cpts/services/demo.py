"""Demo data: a realistic, fictitious CPTS to try Maillage on (``manage.py seed_demo``).

The seeding is a sequence of small named steps (``DEMO_STEPS``), run in order inside one
transaction. Every step is idempotent: it creates what is missing, corrects what differs and
leaves the rest untouched, so running the seed twice changes nothing. A later feature adds
its demo data by appending a function ``step(context) -> None`` to ``DEMO_STEPS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cpts.models import Association, Commune, User
from cpts.roles import Role
from cpts.selectors.territory import TerritorySummary, territory_summary
from cpts.services.accounts import create_account
from cpts.services.territory import add_communes, load_communes

DEMO_PASSWORD = "maillage-demo"
DEMO_URL = "http://127.0.0.1:8000"

# The three EPCI of the Pays Cœur d'Hérault (SIREN), whose communes form the demo territory.
DEMO_EPCI = {
    "243400355": "Communauté de communes du Clermontais",
    "200017341": "Communauté de communes Lodévois et Larzac",
    "243400694": "Communauté de communes Vallée de l'Hérault",
}

# Fictitious identifiers with valid check digits (Luhn for the SIREN, the SIRET and FINESS).
DEMO_ASSOCIATION: dict[str, Any] = {
    "name": "CPTS du Cœur d'Hérault",
    "short_name": "CPTS Cœur d'Hérault",
    "siret": "84172305900017",
    "finess_juridique": "340026178",
    "finess_geographique": "340026186",
    "address": "14 boulevard Gambetta",
    "postal_code": "34800",
    "city": "Clermont-l'Hérault",
    "email": "contact@cpts-demo.fr",
    "phone": "04 67 88 42 17",
    "website": "",
}


@dataclass(frozen=True)
class DemoAccount:
    """A demo login. ``roles`` describes what the account's mandates give it (the
    governance demo data records those mandates); it is only printed, never assigned."""

    email: str
    first_name: str
    last_name: str
    is_staff: bool = False
    roles: tuple[Role, ...] = ()

    @property
    def role_label(self) -> str:
        if self.is_staff:
            return str(Role.COORDINATEUR.label)
        return str(self.roles[0].label) if self.roles else str(Role.ADHERENT.label)


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("coordination@cpts-demo.fr", "Camille", "Roux", is_staff=True),
    DemoAccount("presidence@cpts-demo.fr", "Jean-Marc", "Vidal", roles=(Role.PRESIDENT,)),
    DemoAccount("tresorerie@cpts-demo.fr", "Sophie", "Marty", roles=(Role.TRESORIER,)),
    DemoAccount("referent@cpts-demo.fr", "Thomas", "Fabre", roles=(Role.REFERENT,)),
    DemoAccount("adherent@cpts-demo.fr", "Léa", "Bonnet"),
)


@dataclass
class DemoContext:
    """What the steps share: ``log``, called by a step with one French line for each change
    it makes (nothing logged means nothing changed), and ``created``, the number of new rows
    per step name."""

    log: Callable[[str], None] = lambda message: None
    created: dict[str, int] = field(default_factory=dict)


DemoStep = Callable[[DemoContext], None]


def ensure_communes(context: DemoContext) -> None:
    """Load the commune reference table when it is empty (as ``manage.py load_communes``)."""
    if Commune.objects.exists():
        context.created["ensure_communes"] = 0
        return
    result = load_communes()
    context.created["ensure_communes"] = result.created
    context.log(
        _("Référentiel des communes chargé : %(count)s communes.") % {"count": result.created}
    )


def seed_association(context: DemoContext) -> None:
    """Give the association its demo identity (saved only when a field differs)."""
    association = Association.objects.get_solo()
    changed = [
        name for name, value in DEMO_ASSOCIATION.items() if getattr(association, name) != value
    ]
    for name in changed:
        setattr(association, name, DEMO_ASSOCIATION[name])
    if changed:
        association.full_clean()
        association.save()
        context.log(
            _("Identité de l'association mise à jour : %(name)s.") % {"name": association.name}
        )
    context.created["seed_association"] = len(changed)


def seed_territory(context: DemoContext) -> None:
    """Add the communes of the three EPCI of the Cœur d'Hérault (audited, one by one)."""
    codes = Commune.objects.filter(epci_siren__in=DEMO_EPCI).values_list("insee_code", flat=True)
    added = add_communes(Association.objects.get_solo(), list(codes.order_by("insee_code")))
    context.created["seed_territory"] = len(added)
    if added:
        context.log(_("Territoire : %(count)s commune(s) ajoutée(s).") % {"count": len(added)})


def _update_account(user: User, spec: DemoAccount) -> bool:
    """Bring an existing demo account back to its demo state; True when something changed."""
    wanted = {
        "first_name": spec.first_name,
        "last_name": spec.last_name,
        "is_staff": spec.is_staff,
        "is_active": True,
    }
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, wanted[name])
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        changed.append("password")
    if changed:
        user.save()
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        changed.append("email")
    elif not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])
        changed.append("email")
    return bool(changed)


def seed_accounts(context: DemoContext) -> None:
    """Create the five demo accounts (verified addresses, password ``maillage-demo``)."""
    created = 0
    for spec in DEMO_ACCOUNTS:
        user = User.objects.filter(email__iexact=spec.email).first()
        if user is None:
            create_account(
                spec.email,
                DEMO_PASSWORD,
                first_name=spec.first_name,
                last_name=spec.last_name,
                is_staff=spec.is_staff,
                email_verified=True,
            )
            created += 1
            context.log(_("Compte créé : %(email)s.") % {"email": spec.email})
        elif _update_account(user, spec):
            context.log(
                _("Compte remis en état de démonstration : %(email)s.") % {"email": spec.email}
            )
    context.created["seed_accounts"] = created


def _member_steps() -> list[DemoStep]:
    """The member base's steps (members/demo.py): collèges, fees, members and adhesions."""
    from members.demo import MEMBER_DEMO_STEPS

    return list(MEMBER_DEMO_STEPS)


def _governance_steps() -> list[DemoStep]:
    """Governance's steps (governance/demo.py): statutes, bodies, mandates, meetings."""
    from governance.demo import GOVERNANCE_DEMO_STEPS

    return list(GOVERNANCE_DEMO_STEPS)


def _missions_steps() -> list[DemoStep]:
    """The ACI contract's steps (missions/demo.py): contract, lines, payments, actions."""
    from missions.demo import MISSIONS_DEMO_STEPS

    return list(MISSIONS_DEMO_STEPS)


def _indicator_steps() -> list[DemoStep]:
    """The indicators' steps (indicators/demo.py): CPAM values, linked lines, computed values."""
    from indicators.demo import INDICATOR_DEMO_STEPS

    return list(INDICATOR_DEMO_STEPS)


def _registries_steps() -> list[DemoStep]:
    """The mission registries' steps (registries/demo.py): requests, SAS, trainees."""
    from registries.demo import REGISTRIES_DEMO_STEPS

    return list(REGISTRIES_DEMO_STEPS)


def _crisis_steps() -> list[DemoStep]:
    """The crisis mission's steps (crisis/demo.py): the plan, a past crisis and its rosters."""
    from crisis.demo import CRISIS_DEMO_STEPS

    return list(CRISIS_DEMO_STEPS)


# The steps, in order. Append a feature's own step here to extend the demo.
DEMO_STEPS: list[DemoStep] = [
    ensure_communes,
    seed_association,
    seed_territory,
    seed_accounts,
    *_member_steps(),
    *_governance_steps(),
    *_missions_steps(),
    *_registries_steps(),
    *_crisis_steps(),
    *_indicator_steps(),
]


@dataclass(frozen=True)
class DemoResult:
    association: Association
    territory: TerritorySummary
    created: dict[str, int]
    changes: int  # number of progress messages: 0 when the demo data was already in place


def seed_demo(log: Callable[[str], None] | None = None) -> DemoResult:
    """Run every step of ``DEMO_STEPS`` in one transaction: all of them or nothing."""
    messages: list[str] = []

    def record(message: str) -> None:
        messages.append(message)
        if log is not None:
            log(message)

    context = DemoContext(log=record)
    with transaction.atomic():
        for step in DEMO_STEPS:
            step(context)
    association = Association.objects.get_solo()
    return DemoResult(
        association=association,
        territory=territory_summary(association),
        created=dict(context.created),
        changes=len(messages),
    )


def demo_summary_lines(result: DemoResult) -> list[str]:
    """The French block printed at the end of ``seed_demo``: territory, URL and logins."""
    territory = result.territory
    width = max(len(account.email) for account in DEMO_ACCOUNTS)
    if result.changes:
        headline = _("Données de démonstration prêtes : %(name)s.")
    else:
        headline = _("Données de démonstration déjà en place, rien à changer : %(name)s.")
    lines = [
        headline % {"name": result.association.name},
        _("Territoire : %(communes)s communes, %(population)s habitants — %(taille)s.")
        % {
            "communes": territory.commune_count,
            "population": number_format(territory.population, force_grouping=True),
            "taille": territory.taille_label or _("taille non calculée"),
        },
        "",
        _("Ouvrez %(url)s et connectez-vous avec l'un de ces comptes :") % {"url": DEMO_URL},
    ]
    for account in DEMO_ACCOUNTS:
        lines.append(
            f"  {account.email.ljust(width)}  {account.role_label} "
            f"({account.first_name} {account.last_name})"
        )
    lines.append(_("Mot de passe de tous ces comptes : %(password)s") % {"password": DEMO_PASSWORD})
    return lines
