"""The vocabulary of the access matrix: personas, outcomes, the objects URLs are built
with, and the helpers that declare an entry (``protected``, ``public``). The entries
themselves live in one module per application of this package."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from cpts.models import Association, Commune, GeneratedDocument, Invitation, User
from cpts.permissions import ROLE_PERMISSIONS
from cpts.roles import Role
from governance.models import (
    AgendaDocument,
    AgendaItem,
    Body,
    Convocation,
    Election,
    Mandate,
    Meeting,
    Minutes,
    Proxy,
    Resolution,
    SharedDocument,
)
from indicators.models import IndicatorDefinition, Measurement
from members.models import Adhesion, College, FeeRule, Member, MembershipRequest, Payment
from missions.models import (
    Action,
    Contract,
    ContractYear,
    Event,
    EventDocument,
    IndicatorLine,
    Livrable,
    MissionEnvelope,
    Proof,
    ReceivedPayment,
)

OK = "ok"
LOGIN = "login"
OUTCOMES = frozenset({OK, LOGIN, "400", "403", "404", "405", "410"})

PERSONAS = ("anonymous", "adherent", "referent", "tresorier", "president", "coordinator")

# The roles held by each persona fixture of tests/conftest.py (a test checks they agree).
PERSONA_ROLES: Mapping[str, frozenset[Role]] = MappingProxyType(
    {
        "anonymous": frozenset(),
        "adherent": frozenset({Role.ADHERENT}),
        "referent": frozenset({Role.ADHERENT, Role.REFERENT}),
        "tresorier": frozenset({Role.ADHERENT, Role.TRESORIER}),
        "president": frozenset({Role.ADHERENT, Role.PRESIDENT}),
        "coordinator": frozenset({Role.ADHERENT, Role.COORDINATEUR}),
    }
)

Expectation = Mapping[str, str]


@dataclass(frozen=True)
class MatrixObjects:
    """The real objects URLs are built with (created by the ``matrix_objects`` fixture)."""

    association: Association
    commune: Commune  # in the territory
    other_commune: Commune  # not in the territory
    document: GeneratedDocument  # finished, with its file
    failed_document: GeneratedDocument
    invitation: Invitation  # pending
    revoked_invitation: Invitation
    user: User  # an account that is none of the personas
    email_confirmation_key: str  # allauth key confirming the address of ``user``
    password_reset_uidb36: str
    password_reset_key: str
    # Member base (members app)
    member: Member  # an active person, not one of the personas, with a 2026 adhesion paid
    own_member: Member  # the member record of the ``adherent`` persona
    organisation: Member
    college: College
    fee_rule: FeeRule
    adhesion: Adhesion  # of ``member``
    payment: Payment  # of ``adhesion``
    membership_request: MembershipRequest  # pending
    # Governance
    ag: Body
    ca: Body
    group: Body  # open working group led by the ``referent`` persona
    other_group: Body  # a group the referent does not lead
    mandate: Mandate  # ``member`` sits in the CA
    group_membership: Mandate  # a member (none of the above) plainly in ``group``
    other_group_membership: Mandate  # the same member, plainly in ``other_group``
    ag_meeting: Meeting  # convened, in a month
    ca_meeting: Meeting  # held last week, with a resolution and draft minutes
    group_meeting: Meeting  # of ``group``, planned
    other_group_meeting: Meeting  # of ``other_group``, planned
    convocation: Convocation  # ``own_member`` convened to ``ag_meeting``
    resolution: Resolution  # of ``ca_meeting``
    election: Election  # CA seats of ``college`` at ``ag_meeting``
    minutes: Minutes  # of ``ca_meeting``, draft
    # ACI contract (missions app)
    contract: Contract  # signed on 1 January two years ago: year 3 is running
    contract_year: ContractYear  # year 3
    envelope: MissionEnvelope  # prevention, year 3
    binary_line: IndicatorLine  # of ``envelope``
    tiers_line: IndicatorLine  # of ``envelope``, three tiers
    livrable: Livrable  # of ``binary_line``
    proof: Proof  # of ``livrable``, with its file
    action: Action  # prevention action, no working group
    group_action: Action  # led by ``group`` (the referent's)
    event: Event  # of ``action``
    group_event: Event  # of ``group_action``
    event_document: EventDocument  # of ``group_event``, with its file
    received_payment: ReceivedPayment  # of ``contract_year``
    proxy: Proxy  # a convened member gives their ``ag_meeting`` vote to ``member``
    agenda_item: AgendaItem  # of ``group_meeting``
    agenda_document: AgendaDocument  # of ``agenda_item``, with its file
    shared_document: SharedDocument  # statutes, for every adherent, with its file
    body_document: SharedDocument  # for the members of ``other_group`` only (no persona)
    # Indicators
    indicator: IndicatorDefinition  # imported (colorectal screening rate)
    computed_indicator: IndicatorDefinition
    measurement: Measurement  # of ``indicator``, typed by hand, with its proof
    # Crisis mission: a ``tests.access_matrix.crisis.CrisisObjects``
    crisis: Any
    # Claims: a ``tests.access_matrix.claims.ClaimsObjects``
    claims: Any
    # Mission registries: one row of each register (tests/access_matrix/registries.py)
    registries: Any = None


KwargsBuilder = Callable[[MatrixObjects], dict[str, Any]]

# Default value of a URL kwarg, by kwarg name; an entry's own ``kwargs`` takes precedence.
KWARGS_BY_NAME: Mapping[str, Callable[[MatrixObjects], Any]] = MappingProxyType(
    {
        "token": lambda o: o.invitation.token,
        "insee_code": lambda o: o.commune.insee_code,
    }
)


def persona_permissions(persona: str) -> frozenset[str]:
    granted: set[str] = set()
    for role in PERSONA_ROLES[persona]:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)


def same(outcome: str) -> Expectation:
    """The same outcome for every persona."""
    return MappingProxyType(dict.fromkeys(PERSONAS, outcome))


def requires(permission: str, granted: str = OK) -> Expectation:
    """Outcomes of a view behind ``permission_required(permission)``, from the registry:
    anonymous → login, personas granted ``permission`` → ``granted``, the others → 403.
    ``"a | b"`` (a view accepting any of several permissions) grants either holder."""
    names = {name.strip() for name in permission.split("|")}
    return MappingProxyType(
        {
            persona: LOGIN
            if persona == "anonymous"
            else granted
            if names & persona_permissions(persona)
            else "403"
            for persona in PERSONAS
        }
    )


def override(expectation: Expectation, **outcomes: str) -> Expectation:
    unknown = set(outcomes) - set(PERSONAS)
    if unknown:
        raise ValueError(f"Unknown persona(s) {sorted(unknown)} in an override")
    return MappingProxyType({**expectation, **outcomes})


# Named profiles (``protected(p)`` computes the profile of any permission the same way).
PUBLIC = same(OK)
LOGGED_IN = override(same(OK), anonymous=LOGIN)
PORTAL = requires("portal.view")
BACKOFFICE = requires("backoffice.view")
ASSOCIATION_VIEW = requires("association.view")
MANAGE_ASSOCIATION = requires("association.manage")
REPORTS_VIEW = requires("reports.view")
REPORTS_GENERATE = requires("reports.generate")
ACCOUNTS_INVITE = requires("accounts.invite")
ACCOUNTS = requires("accounts.manage")
# The Django admin is for superusers only: everyone else is sent to the admin's login page.
SUPERUSER_ADMIN = same(LOGIN)


@dataclass(frozen=True)
class Entry:
    expect: Expectation
    method: str = "GET"
    kwargs: KwargsBuilder | None = None
    query: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)
    htmx: bool = False
    permission: str | None = None  # what the view must declare (set by ``protected``)
    why_public: str = ""  # required when ``permission`` is None: why no permission guards it


def protected(
    permission: str,
    *,
    granted: str = OK,
    expect: Expectation | None = None,
    method: str = "GET",
    kwargs: KwargsBuilder | None = None,
    query: str = "",
    data: Mapping[str, Any] | None = None,
    htmx: bool = False,
    **outcomes: str,
) -> Entry:
    """An entry for a view behind ``permission_required(permission)``: outcomes from the
    registry (``granted`` for the personas holding it), or ``expect`` when the view checks a
    second permission inside, then per-persona ``outcomes`` overrides."""
    return Entry(
        expect=override(expect or requires(permission, granted), **outcomes),
        method=method,
        kwargs=kwargs,
        query=query,
        data=data or {},
        htmx=htmx,
        permission=permission,
    )


def public(why: str, expect: Expectation = PUBLIC, **options: Any) -> Entry:
    """An entry for a view without a registry permission, with the reason it has none."""
    return Entry(expect=expect, why_public=why, **options)


def pk_of(attribute: str) -> KwargsBuilder:
    """Kwargs ``{"pk": objects.<attribute>.pk}``."""
    return lambda objects: {"pk": getattr(objects, attribute).pk}


def missing_pk(objects: MatrixObjects) -> dict[str, Any]:
    return {"pk": 999_999_999}


def membership_of(group: str, mandate: str) -> KwargsBuilder:
    """Kwargs of a working group's membership URL: the group and one mandate."""
    return lambda o: {"pk": getattr(o, group).pk, "mandate_pk": getattr(o, mandate).pk}


WHY_ALLAUTH = "allauth's own view"
WHY_MFA = "allauth MFA view: its own login check, no registry permission"
WHY_JOIN = (
    "people asking to join have no account yet; a honeypot and a per-address rate limit "
    "keep bots out, and a request only lands in the coordination's queue"
)
WHY_INVITATION = (
    "the invitee has no account yet: the unguessable emailed token is the credential "
    "(unknown → 404; accepted, revoked or expired → 410)"
)
# Pages reached only in the middle of a login (code or second factor): without a pending
# login, everyone is sent to the login page (logged-in people to their home).
MID_LOGIN = LOGGED_IN
# MFA pages about an authenticator the persona has not set up: 404.
MFA_NOT_ENROLLED = override(same("404"), anonymous=LOGIN)

MEET_READ = "governance.view | groups.lead"
MEET_WRITE = "governance.manage | groups.lead"
WHY_CONVOCATION = (
    "an invitee answers from the emailed link without an account: the unguessable token is "
    "the credential (unknown → 404)"
)


def convocation_token(objects: MatrixObjects) -> dict[str, Any]:
    return {"token": objects.convocation.token}


ACT_READ = "missions.view | groups.lead"
ACT_WRITE = "missions.manage | groups.lead"


def action_meeting(action: str, meeting: str) -> KwargsBuilder:
    """Kwargs of an action's linked-meeting URL."""
    return lambda o: {"pk": getattr(o, action).pk, "meeting_pk": getattr(o, meeting).pk}


DOCS_READ = "reports.view | portal.view"


@dataclass(frozen=True)
class NamespaceRule:
    """One rule for a whole namespace: only ``check`` is requested, as every persona."""

    check: str
    expect: Expectation
    reason: str
    superuser_check: bool = False  # also check that a superuser gets in


NAMESPACES: Mapping[str, NamespaceRule] = MappingProxyType(
    {
        "admin": NamespaceRule(
            check="admin:index",
            expect=SUPERUSER_ADMIN,
            reason="The Django admin is a superuser-only technical tool; none of the "
            "personas is a superuser, so each is sent to the admin login page.",
            superuser_check=True,
        ),
    }
)

# Patterns that cannot be requested, keyed by URL name, or by "route:<full route>" for
# unnamed ones. Each needs a reason.
SKIPPED: Mapping[str, str] = MappingProxyType({})
