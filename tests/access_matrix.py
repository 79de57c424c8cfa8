"""THE table of access expectations, checked by tests/test_access_matrix.py.

Every URL pattern of the project must appear here, once: in ``MATRIX`` (requested as each
persona, the outcome compared with the declared one), in ``SKIPPED`` (with the reason it cannot
be requested), or under a rule of ``NAMESPACES``. A new view without an entry, or an entry
whose URL disappeared, fails the test with a message saying what to do.

Outcomes:
- ``OK``: a 2xx, or a 3xx that does not lead to a login page;
- ``LOGIN``: a redirect to a login page (allauth's, or the admin's for the admin);
- ``"403"``, ``"404"``, ``"405"``, ``"410"``: that status code.
A 500 or an exception always fails.

A view protected by ``permission_required(p)`` is declared with ``protected(p)``: its expected
outcomes are computed from the permission registry (anonymous → login, a persona whose roles
grant ``p`` → ok, the others → 403), and the test checks the view really declares ``p``.
Keys are URL names (``namespace:name`` inside a namespace). A second request to the same URL
name uses the key ``name#variant`` (e.g. a revoked invitation, or a GET on a POST-only view).
"""

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
)
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
OUTCOMES = frozenset({OK, LOGIN, "403", "404", "405", "410"})

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


def _pk(attribute: str) -> KwargsBuilder:
    """Kwargs ``{"pk": objects.<attribute>.pk}``."""
    return lambda objects: {"pk": getattr(objects, attribute).pk}


def _missing_pk(objects: MatrixObjects) -> dict[str, Any]:
    return {"pk": 999_999_999}


def _membership(group: str, mandate: str) -> KwargsBuilder:
    """Kwargs of a working group's membership URL: the group and one mandate."""
    return lambda o: {"pk": getattr(o, group).pk, "mandate_pk": getattr(o, mandate).pk}


_ALLAUTH = "allauth's own view"
_MFA = "allauth MFA view: its own login check, no registry permission"
_JOIN = (
    "people asking to join have no account yet; a honeypot and a per-address rate limit "
    "keep bots out, and a request only lands in the coordination's queue"
)
_INVITATION = (
    "the invitee has no account yet: the unguessable emailed token is the credential "
    "(unknown → 404; accepted, revoked or expired → 410)"
)
# Pages reached only in the middle of a login (code or second factor): without a pending
# login, everyone is sent to the login page (logged-in people to their home).
MID_LOGIN = LOGGED_IN
# MFA pages about an authenticator the persona has not set up: 404.
MFA_NOT_ENROLLED = override(same("404"), anonymous=LOGIN)

_MEET_READ = "governance.view | groups.lead"
_MEET_WRITE = "governance.manage | groups.lead"
_CONVOCATION = (
    "an invitee answers from the emailed link without an account: the unguessable token is "
    "the credential (unknown → 404)"
)


def _convocation_token(objects: MatrixObjects) -> dict[str, Any]:
    return {"token": objects.convocation.token}


_ACT_READ = "missions.view | groups.lead"
_ACT_WRITE = "missions.manage | groups.lead"


def _action_meeting(action: str, meeting: str) -> KwargsBuilder:
    """Kwargs of an action's linked-meeting URL."""
    return lambda o: {"pk": getattr(o, action).pk, "meeting_pk": getattr(o, meeting).pk}


_DOCS = "reports.view | portal.view"

MATRIX: Mapping[str, Entry] = MappingProxyType(
    {
        # --- Landing pages (cpts/views/home.py) ---
        "home": public("router: sends each person to their space or to login", LOGGED_IN),
        "backoffice_home": protected("backoffice.view"),
        "portal_home": protected("portal.view"),
        # --- Association and territory (cpts/views/association.py) ---
        "territory": protected("association.view"),
        "territory#search": protected("association.view", query="q=cler"),
        "territory_search": protected("association.manage", query="q=cler", htmx=True),
        "territory_search#no-htmx": protected("association.manage", query="q=cler"),
        "territory_search#empty": protected("association.manage", htmx=True),
        "territory_add": protected("association.manage", method="POST", data={"codes": "34172"}),
        "territory_add#empty": protected("association.manage", method="POST", htmx=True),
        "territory_add#get": protected("association.manage", granted="405"),
        "territory_remove": protected("association.manage", method="POST"),
        "territory_remove#htmx": protected("association.manage", method="POST", htmx=True),
        "territory_remove#not-in-territory": protected(
            "association.manage",
            method="POST",
            kwargs=lambda o: {"insee_code": o.other_commune.insee_code},
        ),
        "territory_remove#get": protected("association.manage", granted="405"),
        "association_identity": protected("association.view"),
        "association_identity#post": protected(
            "association.view", method="POST", expect=MANAGE_ASSOCIATION
        ),
        "association_logo": protected("portal.view"),
        # --- Generated documents (cpts/views/documents.py) ---
        "document_list": protected("reports.view"),
        "document_list#bad-page": protected("reports.view", query="page=abc"),
        "identity_sheet_request": protected("reports.generate", method="POST"),
        "identity_sheet_request#get": protected("reports.generate", granted="405"),
        # Readable with reports.view, or by whoever requested the document (404 otherwise).
        "document_detail": protected(_DOCS, kwargs=_pk("document"), adherent="404", referent="404"),
        "document_detail#missing": protected(_DOCS, granted="404", kwargs=_missing_pk),
        "document_progress": protected(
            _DOCS, kwargs=_pk("document"), htmx=True, adherent="404", referent="404"
        ),
        "document_download": protected(
            _DOCS, kwargs=_pk("document"), adherent="404", referent="404"
        ),
        "document_download#failed": protected(_DOCS, granted="404", kwargs=_pk("failed_document")),
        "document_retry": protected("reports.generate", method="POST", kwargs=_pk("document")),
        "document_retry#failed": protected(
            "reports.generate", method="POST", kwargs=_pk("failed_document")
        ),
        "document_retry#get": protected("reports.generate", granted="405", kwargs=_pk("document")),
        # --- Invitations (cpts/views/invitations.py) ---
        "invitation_list": protected("accounts.invite"),
        "invitation_list#bad-query": protected("accounts.invite", query="statut=x&page=abc"),
        "invitation_create": protected("accounts.invite"),
        "invitation_create#post": protected("accounts.invite", method="POST"),
        "invitation_resend": protected("accounts.invite", method="POST", kwargs=_pk("invitation")),
        "invitation_resend#revoked": protected(
            "accounts.invite", method="POST", kwargs=_pk("revoked_invitation")
        ),
        "invitation_resend#get": protected(
            "accounts.invite", granted="405", kwargs=_pk("invitation")
        ),
        "invitation_revoke": protected("accounts.invite", method="POST", kwargs=_pk("invitation")),
        "invitation_revoke#missing": protected(
            "accounts.invite", method="POST", granted="404", kwargs=_missing_pk
        ),
        "invitation_revoke#get": protected(
            "accounts.invite", granted="405", kwargs=_pk("invitation")
        ),
        "invitation_accept": public(_INVITATION),
        "invitation_accept#post": public(_INVITATION, method="POST"),
        "invitation_accept#revoked": public(
            _INVITATION, same("410"), kwargs=lambda o: {"token": o.revoked_invitation.token}
        ),
        "invitation_accept#unknown": public(
            _INVITATION, same("404"), kwargs=lambda o: {"token": "inconnu"}
        ),
        # --- Users and roles (cpts/views/users.py) ---
        "user_list": protected("accounts.manage"),
        "user_list#search": protected("accounts.manage", query="q=cible&page=abc"),
        "user_list#htmx": protected("accounts.manage", query="q=cible", htmx=True),
        "user_roles": protected("accounts.manage", kwargs=_pk("user")),
        "user_roles#post": protected(
            "accounts.manage", method="POST", granted="405", kwargs=_pk("user")
        ),
        "user_roles#missing": protected("accounts.manage", granted="404", kwargs=_missing_pk),
        "user_toggle_active": protected("accounts.manage", method="POST", kwargs=_pk("user")),
        "user_toggle_active#get": protected("accounts.manage", granted="405", kwargs=_pk("user")),
        # --- Joining (members/views/joining.py) ---
        "membership_request_create": public(_JOIN),
        "membership_request_create#htmx": public(_JOIN, query="kind=personne", htmx=True),
        "membership_request_create#post": public(_JOIN, method="POST"),
        "membership_request_done": public(_JOIN),
        "membership_request_list": protected("members.manage"),
        "membership_request_list#bad-query": protected("members.manage", query="statut=x&page=abc"),
        "membership_request_detail": protected("members.manage", kwargs=_pk("membership_request")),
        "membership_request_detail#missing": protected(
            "members.manage", granted="404", kwargs=_missing_pk
        ),
        "membership_request_accept": protected(
            "members.manage", method="POST", kwargs=_pk("membership_request")
        ),
        "membership_request_accept#get": protected(
            "members.manage", granted="405", kwargs=_pk("membership_request")
        ),
        "membership_request_decline": protected(
            "members.manage",
            method="POST",
            kwargs=_pk("membership_request"),
            data={"reason": "Hors du territoire"},
        ),
        "membership_request_decline#empty": protected(
            "members.manage", method="POST", kwargs=_pk("membership_request")
        ),
        "membership_request_decline#get": protected(
            "members.manage", granted="405", kwargs=_pk("membership_request")
        ),
        # --- Portal and directory (members/views/portal.py) ---
        # Personas without a member record get the "contact the coordination" page (200).
        "portal_profile": protected("portal.view"),
        "portal_profile#post": protected(
            "portal.view",
            method="POST",
            data={"phone": "04 67 00 00 00", "sites-TOTAL_FORMS": "0", "sites-INITIAL_FORMS": "0"},
        ),
        "portal_commune_search": protected("portal.view", query="q=lod", htmx=True),
        "portal_adhesions": protected("portal.view"),
        "portal_attestation_request": protected(
            "portal.view", method="POST", kwargs=lambda o: {"year": 2026}
        ),
        "portal_attestation_request#get": protected(
            "portal.view", granted="405", kwargs=lambda o: {"year": 2026}
        ),
        "portal_receipt_request": protected(
            "portal.view", method="POST", kwargs=lambda o: {"year": 2026}
        ),
        "portal_receipt_request#get": protected(
            "portal.view", granted="405", kwargs=lambda o: {"year": 2026}
        ),
        # Only the person who requested a portal document may see it: anyone else → 404.
        "portal_document": protected("portal.view", granted="404", kwargs=_pk("document")),
        "portal_document_progress": protected(
            "portal.view", granted="404", kwargs=_pk("document"), htmx=True
        ),
        "portal_document_download": protected("portal.view", granted="404", kwargs=_pk("document")),
        "portal_data_export": protected("portal.view"),
        "portal_member_cards": protected("portal.view", htmx=True),
        "directory": protected("portal.view"),
        "directory#search": protected(
            "portal.view", query="q=a&profession=medecin_generaliste&commune=34079&page=abc"
        ),
        "directory#htmx": protected("portal.view", query="q=a", htmx=True),
        # --- Member list and export (members/views/member_list.py) ---
        "member_list": protected("members.view"),
        "member_list#filters": protected(
            "members.view", query="q=durand&fee=en_retard&sort=-commune&page=abc"
        ),
        "member_list#bad-params": protected(
            "members.view", query="profession=x&commune=zz&kind=y&status=z&fee=w&sort=--"
        ),
        "member_list#htmx": protected("members.view", query="q=lodeve", htmx=True),
        "member_export": protected("members.view", query="format=csv&fee=a_jour"),
        "member_export#xlsx": protected("members.view", query="format=xlsx&sort=-nom"),
        "member_export#bad-format": protected("members.view", granted="404", query="format=pdf"),
        # --- Member import (members/views/imports.py) ---
        "member_import": protected("members.manage"),
        "member_import#post-without-file": protected("members.manage", method="POST"),
        "member_import_template": protected("members.manage"),
        "member_import_template_xlsx": protected("members.manage"),
        "member_import_confirm": protected(
            "members.manage", method="POST", data={"token": "jeton-inconnu-0123456789"}
        ),
        "member_import_confirm#get": protected("members.manage", granted="405"),
        # --- Member pages (members/views/member_pages.py) ---
        "member_detail": protected("members.view", kwargs=_pk("member")),
        "member_detail#organisation": protected("members.view", kwargs=_pk("organisation")),
        "member_detail#missing": protected("members.view", granted="404", kwargs=_missing_pk),
        "member_create": protected("members.manage"),
        "member_create#post": protected("members.manage", method="POST"),
        "member_edit": protected("members.manage", kwargs=_pk("member")),
        "member_edit#post": protected("members.manage", method="POST", kwargs=_pk("member")),
        "member_edit#missing": protected("members.manage", granted="404", kwargs=_missing_pk),
        "member_commune_options": protected("members.manage", query="q=cler", htmx=True),
        "member_depart": protected("members.manage", kwargs=_pk("member")),
        "member_depart#post": protected("members.manage", method="POST", kwargs=_pk("member")),
        "member_reactivate": protected("members.manage", method="POST", kwargs=_pk("member")),
        "member_reactivate#get": protected("members.manage", granted="405", kwargs=_pk("member")),
        "member_duplicates": protected("members.view"),
        "member_merge": protected(
            "members.manage", kwargs=lambda o: {"pk": o.member.pk, "other": o.own_member.pk}
        ),
        "member_merge#post": protected(
            "members.manage",
            method="POST",
            kwargs=lambda o: {"pk": o.member.pk, "other": o.own_member.pk},
        ),
        "member_merge#refused": protected(
            "members.manage",
            method="POST",
            kwargs=lambda o: {"pk": o.member.pk, "other": o.organisation.pk},
        ),
        "member_merge#missing": protected(
            "members.manage",
            granted="404",
            kwargs=lambda o: {"pk": o.member.pk, "other": 999_999_999},
        ),
        "member_anonymise": protected("members.manage", kwargs=_pk("member")),
        "member_anonymise#post": protected("members.manage", method="POST", kwargs=_pk("member")),
        # --- Fees (members/views/fees.py) ---
        "fee_rule_list": protected("members.manage"),
        "fee_rule_list#bad-year": protected("members.manage", query="annee=abc"),
        "fee_rule_create": protected("members.manage"),
        "fee_rule_create#post": protected(
            "members.manage", method="POST", data={"year": "2027", "amount": "25"}
        ),
        "fee_rule_create#invalid": protected("members.manage", method="POST"),
        "fee_rule_update": protected("members.manage", kwargs=_pk("fee_rule")),
        "fee_rule_update#post": protected(
            "members.manage", method="POST", kwargs=_pk("fee_rule"), data={"year": "2026"}
        ),
        "fee_rule_update#missing": protected("members.manage", granted="404", kwargs=_missing_pk),
        "fee_rule_delete": protected("members.manage", method="POST", kwargs=_pk("fee_rule")),
        "fee_rule_delete#get": protected("members.manage", granted="405", kwargs=_pk("fee_rule")),
        "college_list": protected("members.manage"),
        "college_create": protected("members.manage"),
        "college_create#invalid": protected("members.manage", method="POST"),
        "college_update": protected("members.manage", kwargs=_pk("college")),
        "college_update#missing": protected("members.manage", granted="404", kwargs=_missing_pk),
        "adhesion_create": protected("members.manage", kwargs=_pk("member")),
        "adhesion_create#existing-year": protected(
            "members.manage",
            method="POST",
            kwargs=_pk("member"),
            data={"year": "2026", "started_on": "2026-01-01"},
        ),
        "adhesion_create#missing": protected("members.manage", granted="404", kwargs=_missing_pk),
        "payment_create": protected("members.manage", kwargs=_pk("adhesion")),
        "payment_create#post": protected(
            "members.manage",
            method="POST",
            kwargs=_pk("adhesion"),
            data={"paid_on": "2024-01-10", "amount": "5", "method": "cheque"},
        ),
        "payment_create#missing": protected("members.manage", granted="404", kwargs=_missing_pk),
        "refund_create": protected("members.manage", kwargs=_pk("adhesion")),
        "refund_create#post": protected(
            "members.manage",
            method="POST",
            kwargs=_pk("adhesion"),
            data={"paid_on": "2024-01-10", "amount": "50", "method": "cheque"},
        ),
        "membership_receipt_request": protected(
            "members.manage", method="POST", kwargs=_pk("adhesion")
        ),
        "membership_receipt_request#get": protected(
            "members.manage", granted="405", kwargs=_pk("adhesion")
        ),
        "membership_attestation_request": protected(
            "members.manage", method="POST", kwargs=lambda o: {"pk": o.member.pk, "year": 2026}
        ),
        "membership_attestation_request#no-adhesion": protected(
            "members.manage",
            method="POST",
            kwargs=lambda o: {"pk": o.organisation.pk, "year": 2026},
        ),
        "membership_attestation_request#get": protected(
            "members.manage", granted="405", kwargs=lambda o: {"pk": o.member.pk, "year": 2026}
        ),
        "member_send_reminders": protected(
            "members.manage", method="POST", data={"ids": ["1", "2", "x"]}
        ),
        "member_send_reminders#get": protected("members.manage", granted="405"),
        # --- Resolutions, elections, minutes, decision register (governance/views/resolutions.py,
        # elections.py, minutes.py, decisions.py) ---
        # The référent leads groups only: the CA and AG objects are 404 for them.
        "meeting_resolutions": protected(
            "governance.view | groups.lead", kwargs=_pk("ca_meeting"), referent="404"
        ),
        "meeting_resolutions#group": protected(
            "governance.view | groups.lead", kwargs=_pk("group_meeting")
        ),
        "meeting_resolutions#other-group": protected(
            "governance.view | groups.lead", kwargs=_pk("other_group_meeting"), referent="404"
        ),
        "meeting_resolutions#missing": protected(
            "governance.view | groups.lead", granted="404", kwargs=_missing_pk
        ),
        "resolution_create": protected(
            "governance.manage | groups.lead", kwargs=_pk("ca_meeting"), referent="404"
        ),
        "resolution_create#post": protected(
            "governance.manage | groups.lead",
            method="POST",
            kwargs=_pk("ca_meeting"),
            data={
                "title": "Cotisation",
                "text": "La cotisation reste à 20 €.",
                "majority": "simple",
            },
            referent="404",
        ),
        "resolution_create#group": protected(
            "governance.manage | groups.lead", kwargs=_pk("group_meeting")
        ),
        "resolution_create#other-group": protected(
            "governance.manage | groups.lead", kwargs=_pk("other_group_meeting"), referent="404"
        ),
        "resolution_edit": protected(
            "governance.manage | groups.lead", kwargs=_pk("resolution"), referent="404"
        ),
        "resolution_edit#invalid": protected(
            "governance.manage | groups.lead",
            method="POST",
            kwargs=_pk("resolution"),
            data={"title": "", "majority": "x"},
            referent="404",
        ),
        "resolution_edit#missing": protected(
            "governance.manage | groups.lead", granted="404", kwargs=_missing_pk
        ),
        "resolution_delete": protected(
            "governance.manage | groups.lead",
            method="POST",
            kwargs=_pk("resolution"),
            referent="404",
        ),
        "resolution_delete#get": protected(
            "governance.manage | groups.lead", granted="405", kwargs=_pk("resolution")
        ),
        "resolution_move": protected(
            "governance.manage | groups.lead",
            method="POST",
            kwargs=_pk("resolution"),
            data={"direction": "down"},
            referent="404",
        ),
        "resolution_move#get": protected(
            "governance.manage | groups.lead", granted="405", kwargs=_pk("resolution")
        ),
        # Nobody is marked present at ca_meeting: the quorum refusal comes back (no 500).
        "resolution_vote": protected(
            "governance.manage | groups.lead",
            method="POST",
            kwargs=_pk("resolution"),
            data={"r{}-votes_for": "1"},
            referent="404",
        ),
        "resolution_vote#htmx": protected(
            "governance.manage | groups.lead",
            method="POST",
            kwargs=_pk("resolution"),
            htmx=True,
            referent="404",
        ),
        "resolution_vote#get": protected(
            "governance.manage | groups.lead", granted="405", kwargs=_pk("resolution")
        ),
        "election_create": protected(
            "governance.manage | groups.lead", kwargs=_pk("ag_meeting"), referent="404"
        ),
        "election_create#post": protected(
            "governance.manage | groups.lead",
            method="POST",
            kwargs=_pk("ag_meeting"),
            data={"college": "x", "seats": "-1", "mandate_start": "31/02/2026"},
            referent="404",
        ),
        "election_create#group": protected(
            "governance.manage | groups.lead", kwargs=_pk("group_meeting")
        ),
        "election_detail": protected(
            "governance.view | groups.lead", kwargs=_pk("election"), referent="404"
        ),
        "election_detail#missing": protected(
            "governance.view | groups.lead", granted="404", kwargs=_missing_pk
        ),
        "candidate_add": protected(
            "governance.manage | groups.lead",
            method="POST",
            kwargs=_pk("election"),
            data={"member": "abc"},
            referent="404",
        ),
        "candidate_add#get": protected(
            "governance.manage | groups.lead", granted="405", kwargs=_pk("election")
        ),
        "candidate_remove": protected(
            "governance.manage | groups.lead", method="POST", granted="404", kwargs=_missing_pk
        ),
        "candidate_remove#get": protected(
            "governance.manage | groups.lead", granted="405", kwargs=_missing_pk
        ),
        "election_votes": protected(
            "governance.manage | groups.lead",
            method="POST",
            kwargs=_pk("election"),
            referent="404",
        ),
        "election_votes#get": protected(
            "governance.manage | groups.lead", granted="405", kwargs=_pk("election")
        ),
        "election_close": protected(
            "governance.manage | groups.lead",
            method="POST",
            kwargs=_pk("election"),
            referent="404",
        ),
        "election_close#get": protected(
            "governance.manage | groups.lead", granted="405", kwargs=_pk("election")
        ),
        "meeting_minutes": protected(
            "governance.view | groups.lead", kwargs=_pk("ca_meeting"), referent="404"
        ),
        "meeting_minutes#group": protected(
            "governance.view | groups.lead", kwargs=_pk("group_meeting")
        ),
        "meeting_minutes#missing": protected(
            "governance.view | groups.lead", granted="404", kwargs=_missing_pk
        ),
        "minutes_draft": protected(
            "governance.manage | groups.lead",
            method="POST",
            kwargs=_pk("ca_meeting"),
            referent="404",
        ),
        "minutes_draft#get": protected(
            "governance.manage | groups.lead", granted="405", kwargs=_pk("ca_meeting")
        ),
        "minutes_edit": protected(
            "governance.manage | groups.lead", kwargs=_pk("ca_meeting"), referent="404"
        ),
        "minutes_edit#post": protected(
            "governance.manage | groups.lead",
            method="POST",
            kwargs=_pk("ca_meeting"),
            data={"text": "## Présences\nTous présents.", "chair_name": "A", "secretary_name": "B"},
            referent="404",
        ),
        # group_meeting has no minutes yet.
        "minutes_edit#no-minutes": protected(
            "governance.manage | groups.lead", kwargs=_pk("group_meeting"), granted="404"
        ),
        "minutes_approve": protected(
            "governance.manage | groups.lead",
            method="POST",
            kwargs=_pk("ca_meeting"),
            data={"at_meeting": "abc"},
            referent="404",
        ),
        "minutes_approve#get": protected(
            "governance.manage | groups.lead", granted="405", kwargs=_pk("ca_meeting")
        ),
        "minutes_pdf_request": protected(
            "governance.view", method="POST", kwargs=_pk("ca_meeting")
        ),
        "minutes_pdf_request#get": protected(
            "governance.view", granted="405", kwargs=_pk("ca_meeting")
        ),
        # Draft minutes: only those who may view the meeting read them.
        "minutes_public": protected(
            "portal.view", kwargs=_pk("minutes"), adherent="404", referent="404"
        ),
        "minutes_public#missing": protected("portal.view", granted="404", kwargs=_missing_pk),
        "minutes_public_pdf": protected("portal.view", granted="404", kwargs=_pk("minutes")),
        "decision_register": protected("portal.view"),
        "decision_register#filters": protected(
            "portal.view", query="q=budget%C3%A9&instance=abc&annee=zz&page=abc"
        ),
        # --- Bodies, mandates, statutes (governance/views/bodies.py) ---
        "body_list": protected("governance.view"),
        "body_list#archives": protected("governance.view", query="archives=1&page=abc"),
        "body_create": protected("governance.manage"),
        "body_create#invalid": protected("governance.manage", method="POST"),
        "body_edit": protected("governance.manage", kwargs=_pk("group")),
        "body_edit#core": protected("governance.manage", kwargs=_pk("ca")),
        "body_edit#missing": protected("governance.manage", granted="404", kwargs=_missing_pk),
        # A référent reads the page of the group they lead, and no other body (404).
        "body_detail": protected("governance.view | groups.lead", kwargs=_pk("ca"), referent="404"),
        "body_detail#own-group": protected("governance.view | groups.lead", kwargs=_pk("group")),
        "body_detail#other-group": protected(
            "governance.view | groups.lead", kwargs=_pk("other_group"), referent="404"
        ),
        "body_detail#ag": protected(
            "governance.view | groups.lead", kwargs=_pk("ag"), referent="404"
        ),
        "body_detail#missing": protected(
            "governance.view | groups.lead", granted="404", kwargs=_missing_pk
        ),
        "body_archive": protected("governance.manage", method="POST", kwargs=_pk("other_group")),
        "body_archive#core": protected("governance.manage", method="POST", kwargs=_pk("ca")),
        "body_archive#get": protected("governance.manage", granted="405", kwargs=_pk("group")),
        "mandate_create": protected("governance.manage", kwargs=_pk("ca")),
        "mandate_create#invalid": protected("governance.manage", method="POST", kwargs=_pk("ca")),
        "mandate_create#missing": protected("governance.manage", granted="404", kwargs=_missing_pk),
        "mandate_edit": protected("governance.manage", kwargs=_pk("mandate")),
        "mandate_edit#conflict": protected(
            "governance.manage",
            method="POST",
            kwargs=_pk("mandate"),
            data={"member": "999999999", "role": "referent", "start_date": "2026-13-01"},
        ),
        "mandate_edit#missing": protected("governance.manage", granted="404", kwargs=_missing_pk),
        "mandate_end": protected("governance.manage", method="POST", kwargs=_pk("mandate")),
        "mandate_end#bad-date": protected(
            "governance.manage", method="POST", kwargs=_pk("mandate"), data={"end_date": "abc"}
        ),
        # The end of a mandate is confirmed on its own page (the last day shown) before a POST.
        "mandate_end#get": protected("governance.manage", kwargs=_pk("mandate")),
        "mandate_end#missing": protected(
            "governance.manage", method="POST", granted="404", kwargs=_missing_pk
        ),
        # A référent·e adds and removes the plain members of the group they lead (404 elsewhere).
        "group_member_add": protected("governance.manage | groups.lead", kwargs=_pk("group")),
        "group_member_add#invalid": protected(
            "governance.manage | groups.lead",
            method="POST",
            kwargs=_pk("group"),
            data={"member": "abc", "start_date": "31/02/2026"},
        ),
        "group_member_add#other-group": protected(
            "governance.manage | groups.lead", kwargs=_pk("other_group"), referent="404"
        ),
        "group_member_add#core": protected(
            "governance.manage | groups.lead", granted="404", kwargs=_pk("ca")
        ),
        "group_member_add#missing": protected(
            "governance.manage | groups.lead", granted="404", kwargs=_missing_pk
        ),
        "group_member_end": protected(
            "governance.manage | groups.lead", kwargs=_membership("group", "group_membership")
        ),
        "group_member_end#bad-date": protected(
            "governance.manage | groups.lead",
            method="POST",
            kwargs=_membership("group", "group_membership"),
            data={"end_date": "abc"},
        ),
        "group_member_end#other-group": protected(
            "governance.manage | groups.lead",
            method="POST",
            kwargs=_membership("other_group", "other_group_membership"),
            data={"end_date": "abc"},
            referent="404",
        ),
        "group_member_end#mismatch": protected(
            "governance.manage | groups.lead",
            granted="404",
            kwargs=_membership("group", "other_group_membership"),
        ),
        "group_member_end#board-mandate": protected(
            "governance.manage | groups.lead", granted="404", kwargs=_membership("group", "mandate")
        ),
        "statutes": protected("governance.view"),
        "statutes#post": protected(
            "governance.view",
            method="POST",
            expect=requires("governance.manage"),
            data={"ag_quorum_percent": "abc", "sieges-TOTAL_FORMS": "x"},
        ),
        # --- Gouvernance page, join / leave (governance/views/governance_page.py) ---
        # Personas without a member record get a message (redirect), never an error.
        "governance_page": protected("portal.view"),
        "group_join": protected("portal.view", method="POST", kwargs=_pk("group")),
        "group_join#htmx": protected("portal.view", method="POST", kwargs=_pk("group"), htmx=True),
        "group_join#closed": protected("portal.view", method="POST", kwargs=_pk("other_group")),
        "group_join#not-a-group": protected(
            "portal.view", method="POST", granted="404", kwargs=_pk("ca")
        ),
        "group_join#get": protected("portal.view", granted="405", kwargs=_pk("group")),
        "group_leave": protected("portal.view", method="POST", kwargs=_pk("group")),
        "group_leave#htmx": protected("portal.view", method="POST", kwargs=_pk("group"), htmx=True),
        "group_leave#get": protected("portal.view", granted="405", kwargs=_pk("group")),
        # --- Meetings and convocations (governance/views/meetings.py, convocations.py) ---
        # A référent reaches the meetings of the group they lead only (404 elsewhere).
        "meeting_list": protected(_MEET_READ),
        "meeting_list#filters": protected(
            _MEET_READ, query="instance=x&statut=zz&annee=abc&page=abc"
        ),
        "meeting_create": protected(_MEET_WRITE),
        "meeting_create#instance": protected(_MEET_WRITE, query="instance=abc"),
        "meeting_create#post": protected(_MEET_WRITE, method="POST"),
        "meeting_detail": protected(_MEET_READ, kwargs=_pk("ag_meeting"), referent="404"),
        "meeting_detail#group": protected(_MEET_READ, kwargs=_pk("group_meeting")),
        "meeting_detail#held": protected(_MEET_READ, kwargs=_pk("ca_meeting"), referent="404"),
        "meeting_detail#other-group": protected(
            _MEET_READ, kwargs=_pk("other_group_meeting"), referent="404"
        ),
        "meeting_detail#missing": protected(_MEET_READ, granted="404", kwargs=_missing_pk),
        "meeting_edit": protected(_MEET_WRITE, kwargs=_pk("group_meeting")),
        "meeting_edit#post": protected(_MEET_WRITE, method="POST", kwargs=_pk("group_meeting")),
        "meeting_edit#other-group": protected(
            _MEET_WRITE, kwargs=_pk("other_group_meeting"), referent="404"
        ),
        "meeting_mark_held": protected(_MEET_WRITE, method="POST", kwargs=_pk("group_meeting")),
        "meeting_mark_held#held": protected(
            _MEET_WRITE, method="POST", kwargs=_pk("ca_meeting"), referent="404"
        ),
        "meeting_mark_held#get": protected(_MEET_WRITE, granted="405", kwargs=_pk("group_meeting")),
        "meeting_cancel": protected(
            _MEET_WRITE, method="POST", kwargs=_pk("group_meeting"), data={"reason": "Salle"}
        ),
        "meeting_cancel#other-group": protected(
            _MEET_WRITE,
            method="POST",
            kwargs=_pk("other_group_meeting"),
            data={"reason": "Salle"},
            referent="404",
        ),
        "meeting_cancel#get": protected(_MEET_WRITE, granted="405", kwargs=_pk("group_meeting")),
        "agenda_item_create": protected(_MEET_WRITE, kwargs=_pk("group_meeting")),
        "agenda_item_create#post": protected(
            _MEET_WRITE, method="POST", kwargs=_pk("group_meeting"), data={"title": "Budget"}
        ),
        "agenda_item_create#other-group": protected(
            _MEET_WRITE, kwargs=_pk("other_group_meeting"), referent="404"
        ),
        "agenda_item_edit": protected(_MEET_WRITE, kwargs=_pk("agenda_item")),
        "agenda_item_edit#post": protected(
            _MEET_WRITE, method="POST", kwargs=_pk("agenda_item"), data={"title": ""}
        ),
        "agenda_item_edit#missing": protected(_MEET_WRITE, granted="404", kwargs=_missing_pk),
        "agenda_item_delete": protected(_MEET_WRITE, method="POST", kwargs=_pk("agenda_item")),
        "agenda_item_delete#get": protected(_MEET_WRITE, granted="405", kwargs=_pk("agenda_item")),
        "agenda_item_move": protected(
            _MEET_WRITE, method="POST", kwargs=_pk("agenda_item"), data={"direction": "up"}
        ),
        "agenda_item_move#get": protected(_MEET_WRITE, granted="405", kwargs=_pk("agenda_item")),
        "agenda_document_add": protected(_MEET_WRITE, method="POST", kwargs=_pk("agenda_item")),
        "agenda_document_add#get": protected(_MEET_WRITE, granted="405", kwargs=_pk("agenda_item")),
        "agenda_document_delete": protected(
            _MEET_WRITE, method="POST", kwargs=_pk("agenda_document")
        ),
        "agenda_document_delete#get": protected(
            _MEET_WRITE, granted="405", kwargs=_pk("agenda_document")
        ),
        # Readable by the back-office readers and by the meeting's invitees; others → 404.
        "agenda_document_download": protected(
            "portal.view", kwargs=_pk("agenda_document"), adherent="404"
        ),
        "agenda_document_download#missing": protected(
            "portal.view", granted="404", kwargs=_missing_pk
        ),
        "meeting_convene": protected(_MEET_WRITE, method="POST", kwargs=_pk("group_meeting")),
        "meeting_convene#convened": protected(
            _MEET_WRITE, method="POST", kwargs=_pk("ag_meeting"), referent="404"
        ),
        "meeting_convene#get": protected(_MEET_WRITE, granted="405", kwargs=_pk("group_meeting")),
        "meeting_resend": protected(
            _MEET_WRITE, method="POST", kwargs=_pk("ag_meeting"), referent="404"
        ),
        "meeting_resend#planned": protected(
            _MEET_WRITE, method="POST", kwargs=_pk("group_meeting")
        ),
        "meeting_resend#get": protected(_MEET_WRITE, granted="405", kwargs=_pk("ag_meeting")),
        "convocation_answer": public(_CONVOCATION, kwargs=_convocation_token),
        "convocation_answer#post": public(
            _CONVOCATION, method="POST", kwargs=_convocation_token, data={"answer": "present"}
        ),
        "convocation_answer#unknown": public(
            _CONVOCATION, same("404"), kwargs=lambda o: {"token": "inconnu"}
        ),
        # Personas without a member record get the "contact the coordination" page (200).
        "portal_meetings": protected("portal.view"),
        # Only the invitee (``own_member`` of the adherent) reaches their meeting: others → 404.
        "portal_meeting_ics": protected(
            "portal.view", granted="404", kwargs=_pk("ag_meeting"), adherent=OK
        ),
        "portal_meeting_answer": protected(
            "portal.view",
            granted="404",
            method="POST",
            kwargs=_pk("ag_meeting"),
            data={"answer": "absent"},
            adherent=OK,
        ),
        "portal_meeting_answer#get": protected(
            "portal.view", granted="405", kwargs=_pk("ag_meeting")
        ),
        # --- Attendance and proxies (governance/views/attendance.py + proxies.py) ---
        # ag_meeting is convened in a month: proxies are open. A référent only reaches the
        # meetings of the group they lead (404 elsewhere).
        "meeting_attendance": protected(
            "governance.view | groups.lead", kwargs=_pk("ag_meeting"), referent="404"
        ),
        "meeting_attendance#group": protected(
            "governance.view | groups.lead", kwargs=_pk("group_meeting")
        ),
        "meeting_attendance#other-group": protected(
            "governance.view | groups.lead", kwargs=_pk("other_group_meeting"), referent="404"
        ),
        "meeting_attendance#missing": protected(
            "governance.view | groups.lead", granted="404", kwargs=_missing_pk
        ),
        "attendance_mark": protected(
            "governance.manage | groups.lead",
            method="POST",
            kwargs=lambda o: {"pk": o.ag_meeting.pk, "member_pk": o.member.pk},
            data={"status": "present"},
            referent="404",
        ),
        "attendance_mark#htmx": protected(
            "governance.manage | groups.lead",
            method="POST",
            kwargs=lambda o: {"pk": o.ag_meeting.pk, "member_pk": o.member.pk},
            data={"status": "absent"},
            htmx=True,
            referent="404",
        ),
        "attendance_mark#bad-status": protected(
            "governance.manage | groups.lead",
            method="POST",
            kwargs=lambda o: {"pk": o.ag_meeting.pk, "member_pk": o.member.pk},
            data={"status": "x"},
            htmx=True,
            referent="404",
        ),
        # ``member`` is not expected at the group's meetings.
        "attendance_mark#not-expected": protected(
            "governance.manage | groups.lead",
            method="POST",
            granted="404",
            kwargs=lambda o: {"pk": o.group_meeting.pk, "member_pk": o.member.pk},
            data={"status": "present"},
        ),
        "attendance_mark#other-group": protected(
            "governance.manage | groups.lead",
            method="POST",
            granted="404",
            kwargs=lambda o: {"pk": o.other_group_meeting.pk, "member_pk": o.member.pk},
            data={"status": "present"},
        ),
        "attendance_mark#get": protected(
            "governance.manage | groups.lead",
            granted="405",
            kwargs=lambda o: {"pk": o.ag_meeting.pk, "member_pk": o.member.pk},
        ),
        "meeting_quorum": protected(
            "governance.view | groups.lead", kwargs=_pk("ag_meeting"), htmx=True, referent="404"
        ),
        "meeting_quorum#group": protected(
            "governance.view | groups.lead", kwargs=_pk("group_meeting"), htmx=True
        ),
        "meeting_quorum#held": protected(
            "governance.view | groups.lead", kwargs=_pk("ca_meeting"), referent="404"
        ),
        "attendance_sheet_request": protected(
            "governance.view | groups.lead",
            method="POST",
            kwargs=_pk("ag_meeting"),
            referent="404",
        ),
        "attendance_sheet_request#group": protected(
            "governance.view | groups.lead", method="POST", kwargs=_pk("group_meeting")
        ),
        "attendance_sheet_request#get": protected(
            "governance.view | groups.lead", granted="405", kwargs=_pk("ag_meeting")
        ),
        "meeting_proxy_add": protected(
            "governance.manage | groups.lead",
            method="POST",
            kwargs=_pk("ag_meeting"),
            data={"giver": "abc", "holder": "999999999"},
            referent="404",
        ),
        "meeting_proxy_add#group": protected(
            "governance.manage | groups.lead", method="POST", kwargs=_pk("group_meeting")
        ),
        "meeting_proxy_add#get": protected(
            "governance.manage | groups.lead", granted="405", kwargs=_pk("ag_meeting")
        ),
        "meeting_proxy_delete": protected(
            "governance.manage | groups.lead", method="POST", kwargs=_pk("proxy"), referent="404"
        ),
        "meeting_proxy_delete#missing": protected(
            "governance.manage | groups.lead", method="POST", granted="404", kwargs=_missing_pk
        ),
        "meeting_proxy_delete#get": protected(
            "governance.manage | groups.lead", granted="405", kwargs=_pk("proxy")
        ),
        # Portal: only a member convened to the AG reaches its proxy page (the adherent
        # persona's member is convened; its 2026 fee is unpaid, so the page explains why it
        # cannot give a proxy). Everyone else, and any meeting other than an AG: 404.
        "proxy_give": protected(
            "portal.view", granted="404", kwargs=_pk("ag_meeting"), adherent=OK
        ),
        "proxy_give#post": protected(
            "portal.view",
            granted="404",
            method="POST",
            kwargs=_pk("ag_meeting"),
            data={"holder": "abc"},
            adherent=OK,
        ),
        "proxy_give#search": protected(
            "portal.view",
            granted="404",
            kwargs=_pk("ag_meeting"),
            query="q=a",
            htmx=True,
            adherent=OK,
        ),
        "proxy_give#not-an-ag": protected("portal.view", granted="404", kwargs=_pk("ca_meeting")),
        "proxy_give#missing": protected("portal.view", granted="404", kwargs=_missing_pk),
        "proxy_revoke": protected(
            "portal.view", granted="404", method="POST", kwargs=_pk("ag_meeting"), adherent=OK
        ),
        "proxy_revoke#get": protected("portal.view", granted="405", kwargs=_pk("ag_meeting")),
        # --- Contract, years, envelopes, alerts (missions/views/contract.py) ---
        "contract_home": protected("missions.view"),
        "contract_home#bad-query": protected("missions.view", query="contrat=abc"),
        "contract_home#other-contract": protected("missions.view", query="contrat=999999999999"),
        "contract_create": protected("missions.manage"),
        "contract_create#post": protected("missions.manage", method="POST"),
        "contract_edit": protected("missions.manage", kwargs=_pk("contract")),
        "contract_edit#post": protected("missions.manage", method="POST", kwargs=_pk("contract")),
        "contract_edit#missing": protected("missions.manage", granted="404", kwargs=_missing_pk),
        "contract_mission_update": protected(
            "missions.manage",
            method="POST",
            kwargs=lambda o: {"pk": o.contract.pk, "mission_pk": o.envelope.mission_id},
            data={"started_on": "", "deployed_on": ""},
        ),
        "contract_mission_update#get": protected(
            "missions.manage",
            granted="405",
            kwargs=lambda o: {"pk": o.contract.pk, "mission_pk": o.envelope.mission_id},
        ),
        "contract_mission_update#missing": protected(
            "missions.manage",
            method="POST",
            granted="404",
            kwargs=lambda o: {"pk": o.contract.pk, "mission_pk": 999_999_999},
        ),
        "contract_year_detail": protected("missions.view", kwargs=_pk("contract_year")),
        "contract_year_detail#missing": protected(
            "missions.view", granted="404", kwargs=_missing_pk
        ),
        "contract_year_edit": protected("missions.manage", kwargs=_pk("contract_year")),
        "contract_year_edit#post": protected(
            "missions.manage",
            method="POST",
            kwargs=_pk("contract_year"),
            data={"fonctionnement": "-1"},
        ),
        "envelope_create": protected("missions.manage", kwargs=_pk("contract_year")),
        "envelope_create#post": protected(
            "missions.manage", method="POST", kwargs=_pk("contract_year")
        ),
        "envelope_create#missing": protected("missions.manage", granted="404", kwargs=_missing_pk),
        "envelope_edit": protected("missions.manage", kwargs=_pk("envelope")),
        "envelope_edit#post": protected("missions.manage", method="POST", kwargs=_pk("envelope")),
        # Refused while the envelope has lines: a redirect with a message.
        "envelope_delete": protected("missions.manage", method="POST", kwargs=_pk("envelope")),
        "envelope_delete#get": protected("missions.manage", granted="405", kwargs=_pk("envelope")),
        "envelope_delete#missing": protected(
            "missions.manage", method="POST", granted="404", kwargs=_missing_pk
        ),
        "contract_alerts": protected("missions.view", htmx=True),
        "contract_alerts#post": protected("missions.view", method="POST", granted="405"),
        # --- Financing schedule (missions/views/financing.py) ---
        "financing_schedule": protected("missions.view"),
        "financing_schedule#year": protected("missions.view", query="annee=3"),
        "financing_schedule#bad-query": protected("missions.view", query="annee=abc&x=%ff"),
        "received_payment_create": protected("finance.approve", kwargs=_pk("contract_year")),
        "received_payment_create#post": protected(
            "finance.approve",
            method="POST",
            kwargs=_pk("contract_year"),
            data={"received_on": "01/01/2025", "amount": "1 500,00", "nature": "fixe"},
        ),
        "received_payment_create#invalid": protected(
            "finance.approve", method="POST", kwargs=_pk("contract_year"), data={"amount": "-1"}
        ),
        "received_payment_create#missing": protected(
            "finance.approve", granted="404", kwargs=_missing_pk
        ),
        "received_payment_edit": protected("finance.approve", kwargs=_pk("received_payment")),
        "received_payment_edit#post": protected(
            "finance.approve",
            method="POST",
            kwargs=_pk("received_payment"),
            data={"received_on": "01/01/2025", "amount": "44000", "nature": "fonctionnement"},
        ),
        "received_payment_edit#missing": protected(
            "finance.approve", granted="404", kwargs=_missing_pk
        ),
        "received_payment_delete": protected(
            "finance.approve", method="POST", kwargs=_pk("received_payment")
        ),
        "received_payment_delete#missing": protected(
            "finance.approve", method="POST", granted="404", kwargs=_missing_pk
        ),
        "received_payment_delete#get": protected(
            "finance.approve", granted="405", kwargs=_pk("received_payment")
        ),
        # --- Contract annex file (missions/views/annex.py) ---
        "contract_annex_import": protected("missions.manage"),
        "contract_annex_import#post-without-file": protected("missions.manage", method="POST"),
        "contract_annex_confirm": protected(
            "missions.manage", method="POST", data={"token": "jeton-inconnu-0123456789"}
        ),
        "contract_annex_confirm#get": protected("missions.manage", granted="405"),
        "contract_annex_export": protected("missions.view", kwargs=_pk("contract_year")),
        "contract_annex_export#missing": protected(
            "missions.view", granted="404", kwargs=_missing_pk
        ),
        # --- Actions and events (missions/views/actions.py) ---
        "action_list": protected(_ACT_READ),
        "action_create": protected(_ACT_WRITE),
        "action_create#post": protected(_ACT_WRITE, method="POST"),
        "action_detail": protected(_ACT_READ, kwargs=_pk("group_action")),
        "action_detail#no-group": protected(_ACT_READ, kwargs=_pk("action"), referent="404"),
        "action_detail#missing": protected(_ACT_READ, granted="404", kwargs=_missing_pk),
        "action_edit": protected(_ACT_WRITE, kwargs=_pk("group_action")),
        "action_edit#post": protected(_ACT_WRITE, method="POST", kwargs=_pk("group_action")),
        "action_edit#no-group": protected(_ACT_WRITE, kwargs=_pk("action"), referent="404"),
        # group_action has an event: the deletion is refused with a message (redirect).
        "action_delete": protected(_ACT_WRITE, method="POST", kwargs=_pk("group_action")),
        "action_delete#no-group": protected(
            _ACT_WRITE, method="POST", kwargs=_pk("action"), referent="404"
        ),
        "action_delete#get": protected(_ACT_WRITE, granted="405", kwargs=_pk("group_action")),
        "action_meeting_link": protected(_ACT_WRITE, method="POST", kwargs=_pk("group_action")),
        "action_meeting_link#no-group": protected(
            _ACT_WRITE, method="POST", kwargs=_pk("action"), referent="404"
        ),
        "action_meeting_link#get": protected(_ACT_WRITE, granted="405", kwargs=_pk("group_action")),
        # group_meeting is linked to group_action.
        "action_meeting_unlink": protected(
            _ACT_WRITE, method="POST", kwargs=_action_meeting("group_action", "group_meeting")
        ),
        "action_meeting_unlink#not-linked": protected(
            _ACT_WRITE,
            method="POST",
            kwargs=_action_meeting("group_action", "other_group_meeting"),
            granted="404",
        ),
        "action_meeting_unlink#get": protected(
            _ACT_WRITE, granted="405", kwargs=_action_meeting("group_action", "group_meeting")
        ),
        "event_create": protected(_ACT_WRITE, kwargs=_pk("group_action")),
        "event_create#post": protected(_ACT_WRITE, method="POST", kwargs=_pk("group_action")),
        "event_create#no-group": protected(_ACT_WRITE, kwargs=_pk("action"), referent="404"),
        "event_edit": protected(_ACT_WRITE, kwargs=_pk("group_event")),
        "event_edit#post": protected(_ACT_WRITE, method="POST", kwargs=_pk("group_event")),
        "event_edit#no-group": protected(_ACT_WRITE, kwargs=_pk("event"), referent="404"),
        "event_edit#missing": protected(_ACT_WRITE, granted="404", kwargs=_missing_pk),
        "event_delete": protected(_ACT_WRITE, method="POST", kwargs=_pk("group_event")),
        "event_delete#no-group": protected(
            _ACT_WRITE, method="POST", kwargs=_pk("event"), referent="404"
        ),
        "event_delete#get": protected(_ACT_WRITE, granted="405", kwargs=_pk("group_event")),
        "event_document_add": protected(_ACT_WRITE, method="POST", kwargs=_pk("group_event")),
        "event_document_add#no-group": protected(
            _ACT_WRITE, method="POST", kwargs=_pk("event"), referent="404"
        ),
        "event_document_add#get": protected(_ACT_WRITE, granted="405", kwargs=_pk("group_event")),
        "event_document_download": protected(_ACT_READ, kwargs=_pk("event_document")),
        "event_document_download#missing": protected(_ACT_READ, granted="404", kwargs=_missing_pk),
        "event_document_delete": protected(_ACT_WRITE, method="POST", kwargs=_pk("event_document")),
        "event_document_delete#get": protected(
            _ACT_WRITE, granted="405", kwargs=_pk("event_document")
        ),
        # --- Indicator lines, livrables, proofs (missions/views/lines.py) ---
        "line_detail": protected("missions.view", kwargs=_pk("binary_line")),
        "line_detail#tiers": protected("missions.view", kwargs=_pk("tiers_line")),
        "line_detail#missing": protected("missions.view", granted="404", kwargs=_missing_pk),
        "line_create": protected("missions.manage", kwargs=_pk("envelope")),
        "line_create#post": protected(
            "missions.manage",
            method="POST",
            kwargs=_pk("envelope"),
            data={"label": "Ligne", "kind": "binary", "direction": "increasing", "amount": "1e99"},
        ),
        "line_create#missing": protected("missions.manage", granted="404", kwargs=_missing_pk),
        "line_edit": protected("missions.manage", kwargs=_pk("tiers_line")),
        "line_edit#post": protected(
            "missions.manage",
            method="POST",
            kwargs=_pk("tiers_line"),
            data={"label": "Dépistage", "kind": "tiers", "direction": "increasing"},
        ),
        "line_delete": protected("missions.manage", method="POST", kwargs=_pk("binary_line")),
        "line_delete#get": protected("missions.manage", granted="405", kwargs=_pk("binary_line")),
        "line_delete#missing": protected(
            "missions.manage", method="POST", granted="404", kwargs=_missing_pk
        ),
        "line_assess": protected(
            "missions.manage",
            method="POST",
            kwargs=_pk("tiers_line"),
            data={"achieved": "34,5", "source": "manual"},
        ),
        "line_assess#htmx-bad": protected(
            "missions.manage",
            method="POST",
            kwargs=_pk("tiers_line"),
            data={"achieved": "beaucoup", "source": "manual"},
            htmx=True,
        ),
        "line_assess#binary": protected(
            "missions.manage",
            method="POST",
            kwargs=_pk("binary_line"),
            data={"done": "on", "source": "manual"},
        ),
        "line_assess#get": protected("missions.manage", granted="405", kwargs=_pk("tiers_line")),
        # The tiers line has no value proof yet: 404 for the readers.
        "line_value_proof": protected("missions.view", granted="404", kwargs=_pk("tiers_line")),
        "livrable_add": protected(
            "missions.manage", method="POST", kwargs=_pk("binary_line"), data={"label": "CR"}
        ),
        "livrable_add#get": protected("missions.manage", granted="405", kwargs=_pk("binary_line")),
        "livrable_update": protected(
            "missions.manage", method="POST", kwargs=_pk("livrable"), data={"status": "accepted"}
        ),
        "livrable_update#get": protected("missions.manage", granted="405", kwargs=_pk("livrable")),
        "livrable_update#missing": protected(
            "missions.manage", method="POST", granted="404", kwargs=_missing_pk
        ),
        "livrable_delete": protected("missions.manage", method="POST", kwargs=_pk("livrable")),
        "livrable_delete#get": protected("missions.manage", granted="405", kwargs=_pk("livrable")),
        # Without a file: refused with a message, back to the line.
        "proof_upload": protected("missions.manage", method="POST", kwargs=_pk("livrable")),
        "proof_upload#get": protected("missions.manage", granted="405", kwargs=_pk("livrable")),
        "proof_download": protected("missions.view", kwargs=_pk("proof")),
        "proof_download#missing": protected("missions.view", granted="404", kwargs=_missing_pk),
        "proof_delete": protected("missions.manage", method="POST", kwargs=_pk("proof")),
        "proof_delete#get": protected("missions.manage", granted="405", kwargs=_pk("proof")),
        "lines_carry_over": protected(
            "missions.manage", method="POST", kwargs=_pk("contract_year")
        ),
        # GET: the confirmation page listing what would be carried.
        "lines_carry_over#get": protected("missions.manage", kwargs=_pk("contract_year")),
        "lines_carry_over#missing": protected(
            "missions.manage", method="POST", granted="404", kwargs=_missing_pk
        ),
        # --- allauth: accounts (public pages; a logged-in person is sent home) ---
        "account_login": public(_ALLAUTH),
        "account_logout": public(_ALLAUTH),
        "account_logout#post": public(_ALLAUTH, method="POST"),
        "account_inactive": public(_ALLAUTH),
        "account_signup": public(_ALLAUTH),
        "account_reauthenticate": public(_ALLAUTH, LOGGED_IN),
        "account_email": public(_ALLAUTH, LOGGED_IN),
        "account_email_verification_sent": public(_ALLAUTH),
        "account_change_password": public(_ALLAUTH, LOGGED_IN),
        "account_set_password": public(_ALLAUTH, LOGGED_IN),
        "account_reset_password": public(_ALLAUTH),
        "account_confirm_login_code": public(_ALLAUTH, MID_LOGIN),
        "account_confirm_email": public(
            _ALLAUTH, kwargs=lambda o: {"key": o.email_confirmation_key}
        ),
        "account_reset_password_from_key_done": public(_ALLAUTH),
        "account_reset_password_from_key": public(
            _ALLAUTH,
            kwargs=lambda o: {"uidb36": o.password_reset_uidb36, "key": o.password_reset_key},
        ),
        "account_reset_password_done": public(_ALLAUTH),
        # --- allauth: MFA ---
        "mfa_index": public(_MFA, LOGGED_IN),
        "mfa_authenticate": public(_MFA, MID_LOGIN),
        "mfa_reauthenticate": public(_MFA, LOGGED_IN),
        "mfa_activate_totp": public(_MFA, LOGGED_IN),
        "mfa_deactivate_totp": public(_MFA, MFA_NOT_ENROLLED),
        "mfa_view_recovery_codes": public(_MFA, MFA_NOT_ENROLLED),
        "mfa_generate_recovery_codes": public(_MFA, LOGGED_IN),
        "mfa_download_recovery_codes": public(_MFA, MFA_NOT_ENROLLED),
    }
)


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
