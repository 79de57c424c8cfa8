"""The access matrix: every URL of the project, requested as every persona, must give the
outcome declared in tests/access_matrix/ (see its __init__ for the rules)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from http.cookies import SimpleCookie
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from cpts.models import Commune, GeneratedDocument, Invitation, User
from cpts.permissions import roles_of
from cpts.services.accounts import create_account
from governance.models import (
    AgendaDocument,
    AgendaItem,
    AgKind,
    Body,
    BodyKind,
    Convocation,
    Election,
    MajorityRule,
    Mandate,
    MandateRole,
    Meeting,
    MeetingStatus,
    Minutes,
    Proxy,
    Resolution,
    SharedDocument,
)
from indicators.models import IndicatorDefinition, Measurement
from members.models import College, FeeRule, Member, MembershipRequest
from members.models.adhesions import PaymentMethod
from members.services.adhesions import ensure_adhesion, record_payment
from missions.models import (
    Action,
    Contract,
    ContractMission,
    ContractYear,
    Event,
    EventDocument,
    EventKind,
    IndicatorLine,
    LineKind,
    LineTier,
    Livrable,
    Mission,
    MissionEnvelope,
    PaymentNature,
    Proof,
    ReceivedPayment,
    Taille,
)
from tests import access_matrix as am
from tests.access_matrix.claims import claims_objects
from tests.access_matrix.crisis import crisis_objects
from tests.access_matrix.registries import registry_objects
from tests.factories import PASSWORD, CollegeFactory, MemberFactory, OrganisationFactory


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or "route:<full route>" when the pattern has no name
    namespace: str  # outermost namespace, "" outside any
    route: str
    kwargs: tuple[str, ...]  # names of the URL's kwargs, outer includes first
    view: Any = field(compare=False, repr=False)


def _iter_patterns(
    resolver: URLResolver, prefix: str = "", namespace: str = "", kwargs: tuple[str, ...] = ()
) -> Iterator[Pattern]:
    for item in resolver.url_patterns:
        names = kwargs + tuple(item.pattern.regex.groupindex)
        if isinstance(item, URLResolver):
            inner = namespace
            if item.namespace:
                inner = f"{namespace}:{item.namespace}" if namespace else item.namespace
            yield from _iter_patterns(item, prefix + str(item.pattern), inner, names)
        elif isinstance(item, URLPattern):
            route = prefix + str(item.pattern)
            if item.name:
                key = f"{namespace}:{item.name}" if namespace else item.name
            else:
                key = f"route:{route}"
            yield Pattern(key, namespace.split(":")[0], route, names, item.callback)


@cache
def project_patterns() -> tuple[Pattern, ...]:
    """Every URL pattern of the project (the URLconf does not change during a run)."""
    return tuple(_iter_patterns(get_resolver()))


def _base_name(key: str) -> str:
    """The URL name of a table key ("name" or "name#variant")."""
    return key.split("#", 1)[0]


def _pattern(key: str) -> Pattern:
    return next(p for p in project_patterns() if p.key == _base_name(key))


# --- Completeness of the table ---


def test_every_url_pattern_is_declared():
    declared = {_base_name(key) for key in am.MATRIX} | set(am.SKIPPED)
    missing = [
        p for p in project_patterns() if p.namespace not in am.NAMESPACES and p.key not in declared
    ]
    assert not missing, (
        "URL pattern(s) without an access expectation. Add each to the ENTRIES of its "
        'application in tests/access_matrix/ (e.g. `"name": protected("area.permission")`), or to '
        "SKIPPED with the reason it cannot be requested:\n"
        + "\n".join(f"  {p.key}  (/{p.route})" for p in missing)
    )


def test_every_declared_url_exists():
    keys = {p.key for p in project_patterns()}
    namespaces = {p.namespace for p in project_patterns()}
    stale = [key for key in am.MATRIX if _base_name(key) not in keys]
    stale += [key for key in am.SKIPPED if key not in keys]
    stale += [f"namespace {ns}" for ns in am.NAMESPACES if ns not in namespaces]
    stale += [rule.check for rule in am.NAMESPACES.values() if rule.check not in keys]
    assert not stale, (
        "Entries of tests/access_matrix/ whose URL no longer exists; remove or rename them: "
        + ", ".join(stale)
    )


def test_the_table_is_well_formed():
    for key, entry in am.MATRIX.items():
        assert set(entry.expect) == set(am.PERSONAS), key
        assert set(entry.expect.values()) <= am.OUTCOMES, key
        assert entry.method in {"GET", "POST"}, key
        assert entry.permission or entry.why_public, f"{key}: say why it has no permission"
    for key, reason in am.SKIPPED.items():
        assert reason.strip(), f"{key}: a skipped pattern needs its reason"
    for rule in am.NAMESPACES.values():
        assert set(rule.expect) == set(am.PERSONAS) and rule.reason


def _declared_permission(view: Any) -> str | None:
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return getattr(view_class, "permission", None) or None
    return getattr(view, "maillage_permission", None)


def test_declared_permissions_match_the_views():
    """The permission an entry declares is the one its view enforces, and a view with a
    registry permission is never declared public."""
    mismatches = []
    for key, entry in am.MATRIX.items():
        enforced = _declared_permission(_pattern(key).view)
        if enforced != entry.permission:
            mismatches.append(f"{key}: table says {entry.permission!r}, view has {enforced!r}")
    assert not mismatches, "\n".join(mismatches)


# --- The objects URLs are built with ---


@pytest.fixture
def matrix_objects(association, settings, tmp_path, adherent, referent) -> am.MatrixObjects:
    settings.MEDIA_ROOT = tmp_path
    user = create_account(
        "compte.cible@exemple.fr", PASSWORD, first_name="Cible", email_verified=False
    )
    inviter = create_account("invitant@exemple.fr", PASSWORD, is_staff=True)
    address = EmailAddress.objects.get(user=user)
    document = GeneratedDocument.objects.create(
        kind="identity_sheet",
        status=GeneratedDocument.Status.DONE,
        progress=100,
        requested_by=inviter,
        finished_at=timezone.now(),
    )
    document.file.save("fiche.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    failed = GeneratedDocument.objects.create(
        kind="identity_sheet",
        status=GeneratedDocument.Status.FAILED,
        error_message="Échec de test",
        requested_by=inviter,
        finished_at=timezone.now(),
    )
    invitation = Invitation.objects.create(
        email="invitee@exemple.fr", first_name="Inès", last_name="Garcia", invited_by=inviter
    )
    revoked = Invitation.objects.create(
        email="revoquee@exemple.fr",
        invited_by=inviter,
        revoked_at=timezone.now() - timedelta(days=1),
    )
    logo = BytesIO()
    Image.new("RGB", (4, 4), "teal").save(logo, "PNG")
    association.logo.save("logo.png", ContentFile(logo.getvalue()), save=True)
    commune = association.communes.order_by("insee_code").first()
    assert commune is not None
    college = CollegeFactory.create(name="Libéraux de santé", code="liberaux")
    fee_rule = FeeRule.objects.create(year=2026, amount=Decimal("20.00"))
    member = MemberFactory.create(college=college, commune=commune, directory_listed=True)
    own_member = MemberFactory.create(email=adherent.email, user=adherent, college=college)
    organisation = OrganisationFactory.create(commune=commune)
    adhesion = ensure_adhesion(member, 2026)
    payment = record_payment(
        adhesion, amount=Decimal("20.00"), method=PaymentMethod.CHEQUE, paid_on=date(2026, 2, 1)
    )
    ensure_adhesion(own_member, 2026)
    membership_request = MembershipRequest.objects.create(
        last_name="Durand", first_name="Léa", email="lea.durand@exemple.fr"
    )
    governance = _governance_objects(member, own_member, college, referent)
    return am.MatrixObjects(
        association=association,
        commune=commune,
        other_commune=Commune.objects.get(insee_code="34172"),  # Montpellier
        document=document,
        failed_document=failed,
        invitation=invitation,
        revoked_invitation=revoked,
        user=user,
        email_confirmation_key=EmailConfirmationHMAC(address).key,
        password_reset_uidb36=user_pk_to_url_str(user),
        password_reset_key=default_token_generator.make_token(user),
        member=member,
        own_member=own_member,
        organisation=organisation,
        college=college,
        fee_rule=fee_rule,
        adhesion=adhesion,
        payment=payment,
        membership_request=membership_request,
        **governance,
        **_contract_objects(governance["group"]),
        **_indicator_objects(),
        crisis=crisis_objects(member, own_member, inviter),
        registries=registry_objects(member, own_member, commune),
        claims=claims_objects(member, own_member, governance["group_meeting"], adherent),
    )


def _indicator_objects() -> dict[str, Any]:
    indicator = IndicatorDefinition.objects.get(code="screening_colorectal_rate")
    year = timezone.localdate().year
    measurement = Measurement(
        indicator=indicator,
        period_kind="year",
        period_key=str(year),
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        value=Decimal("70"),
        source="manual",
    )
    measurement.proof.save("extraction.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return {
        "indicator": indicator,
        "computed_indicator": IndicatorDefinition.objects.filter(source="computed").first(),
        "measurement": measurement,
    }


def _contract_objects(group: Body) -> dict[str, Any]:
    today = timezone.localdate()
    contract = Contract.objects.create(
        signed_on=date(today.year - 2, 1, 1),  # year 3 is the current calendar year
        cpam="CPAM de l'Hérault",
        ars="ARS Occitanie",
        taille=Taille.T2,
        population=52000,
    )
    for number in range(1, 6):
        start = contract.signed_on.replace(year=contract.signed_on.year + number - 1)
        ContractYear.objects.create(
            contract=contract,
            number=number,
            start=start,
            end=start.replace(year=start.year + 1) - timedelta(days=1),
        )
    year = ContractYear.objects.get(contract=contract, number=3)
    prevention = Mission.objects.get(key="prevention")
    ContractMission.objects.create(contract=contract, mission=prevention)
    envelope = MissionEnvelope.objects.create(
        year=year, mission=prevention, fixed=Decimal("20000"), variable=Decimal("10000")
    )
    binary_line = IndicatorLine.objects.create(
        envelope=envelope,
        label="Organiser 3 ateliers",
        kind=LineKind.BINARY,
        amount=Decimal("5000"),
    )
    tiers_line = IndicatorLine.objects.create(
        envelope=envelope,
        position=1,
        label="Taux de dépistage du cancer colorectal",
        kind=LineKind.TIERS,
        amount=Decimal("5000"),
        baseline=Decimal("30"),
    )
    for position, (threshold, amount) in enumerate(((32, 1000), (34, 2500), (36, 5000))):
        LineTier.objects.create(
            line=tiers_line, position=position, threshold=threshold, amount=amount
        )
    livrable = Livrable.objects.create(line=binary_line, label="Feuilles d'émargement")
    proof = Proof(livrable=livrable, title="Émargement atelier 1")
    proof.file.save("emargement.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    action = Action.objects.create(title="Ateliers mémoire", contract=contract)
    action.missions.add(prevention)
    group_action = Action.objects.create(
        title="Parcours insuffisance cardiaque", contract=contract, working_group=group
    )
    group_action.missions.add(Mission.objects.get(key="parcours"))
    event = Event.objects.create(
        action=action, kind=EventKind.WORKSHOP, title="Atelier mémoire n° 1", date=today
    )
    group_event = Event.objects.create(
        action=group_action, kind=EventKind.PLURIPRO, title="Soirée IC", date=today
    )
    group_action.meetings.add(*Meeting.objects.filter(body=group))
    event_document = EventDocument(event=group_event, title="Émargement soirée IC")
    event_document.file.save("emargement-ic.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    received_payment = ReceivedPayment.objects.create(
        year=year,
        received_on=today,
        amount=Decimal("45000"),
        nature=PaymentNature.FONCTIONNEMENT,
    )
    return {
        "contract": contract,
        "contract_year": year,
        "envelope": envelope,
        "binary_line": binary_line,
        "tiers_line": tiers_line,
        "livrable": livrable,
        "proof": proof,
        "action": action,
        "group_action": group_action,
        "event": event,
        "group_event": group_event,
        "event_document": event_document,
        "received_payment": received_payment,
    }


def _governance_objects(
    member: Member, own_member: Member, college: College, referent: User
) -> dict[str, Any]:
    now = timezone.now()
    ag = Body.objects.get_or_create(kind=BodyKind.AG, defaults={"name": "Assemblée générale"})[0]
    ca = Body.objects.get_or_create(
        kind=BodyKind.CA, defaults={"name": "Conseil d'administration"}
    )[0]
    group = Mandate.objects.get(member__user=referent, role=MandateRole.REFERENT).body
    group.open_to_join = True
    group.save()
    other_group = Body.objects.create(kind=BodyKind.GROUP, name="Prévention des cancers")
    mandate = Mandate.objects.create(
        member=member,
        body=ca,
        role=MandateRole.ADMINISTRATEUR,
        college=college,
        start_date=date(2025, 6, 1),
    )
    grouped = MemberFactory.create(last_name="Groupé")
    group_membership, other_group_membership = (
        Mandate.objects.create(
            member=grouped, body=body, role=MandateRole.MEMBRE, start_date=date(2025, 9, 1)
        )
        for body in (group, other_group)
    )
    ag_meeting = Meeting.objects.create(
        body=ag,
        title="Assemblée générale ordinaire",
        starts_at=now + timedelta(days=30),
        status=MeetingStatus.CONVENED,
        ag_kind=AgKind.ORDINARY,
        convened_at=now,
    )
    ca_meeting = Meeting.objects.create(
        body=ca,
        title="Conseil d'administration",
        starts_at=now - timedelta(days=7),
        status=MeetingStatus.HELD,
        held_at=now - timedelta(days=7),
    )
    group_meeting = Meeting.objects.create(
        body=group, title="Réunion du groupe", starts_at=now + timedelta(days=10)
    )
    other_group_meeting = Meeting.objects.create(
        body=other_group, title="Réunion prévention", starts_at=now + timedelta(days=12)
    )
    convocation = Convocation.objects.create(
        meeting=ag_meeting, member=own_member, can_vote=True, sent_at=now
    )
    Convocation.objects.create(meeting=ag_meeting, member=member, can_vote=True, sent_at=now)
    resolution = Resolution.objects.create(
        meeting=ca_meeting,
        position=1,
        title="Budget",
        text="Le conseil adopte le budget prévisionnel.",
        majority=MajorityRule.SIMPLE,
    )
    election = Election.objects.create(
        meeting=ag_meeting,
        body=ca,
        college=college,
        seats=2,
        mandate_start=date(2026, 7, 1),
        mandate_end=date(2029, 6, 30),
    )
    minutes = Minutes.objects.create(meeting=ca_meeting, text="Procès-verbal du conseil.")
    giver = MemberFactory.create(last_name="Mandant")
    Convocation.objects.create(meeting=ag_meeting, member=giver, can_vote=True, sent_at=now)
    proxy = Proxy.objects.create(meeting=ag_meeting, giver=giver, holder=member)
    agenda_item = AgendaItem.objects.create(meeting=group_meeting, position=1, title="Bilan")
    agenda_document = AgendaDocument.objects.create(
        item=agenda_item, title="Bilan", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="bilan.pdf")
    )
    shared_document = SharedDocument.objects.create(
        title="Statuts",
        category="statutes",
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="statuts.pdf"),
    )
    body_document = SharedDocument.objects.create(
        title="Plan du groupe",
        category="plans",
        visibility="body",
        body=other_group,
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="plan.pdf"),
    )
    return {
        "shared_document": shared_document,
        "body_document": body_document,
        "ag": ag,
        "ca": ca,
        "group": group,
        "other_group": other_group,
        "mandate": mandate,
        "group_membership": group_membership,
        "other_group_membership": other_group_membership,
        "ag_meeting": ag_meeting,
        "ca_meeting": ca_meeting,
        "group_meeting": group_meeting,
        "other_group_meeting": other_group_meeting,
        "convocation": convocation,
        "resolution": resolution,
        "election": election,
        "minutes": minutes,
        "proxy": proxy,
        "agenda_item": agenda_item,
        "agenda_document": agenda_document,
    }


def _build_url(key: str, entry: am.Entry, objects: am.MatrixObjects) -> str:
    kwargs = entry.kwargs(objects) if entry.kwargs else {}
    name = _base_name(key)
    if not entry.kwargs:
        wanted = _pattern(name).kwargs
        unknown = [k for k in wanted if k not in am.KWARGS_BY_NAME]
        assert not unknown, (
            f"{key}: no way to build kwarg(s) {unknown}; give the entry `kwargs=` or add them "
            "to KWARGS_BY_NAME in tests/access_matrix/core.py"
        )
        kwargs = {k: am.KWARGS_BY_NAME[k](objects) for k in wanted}
    url = reverse(name, kwargs=kwargs)
    return f"{url}?{entry.query}" if entry.query else url


# --- Requesting every URL as every persona ---


def _login_paths() -> set[str]:
    return {reverse(settings.LOGIN_URL), reverse("admin:login")}


def outcome_of(response: Any) -> str:
    status = response.status_code
    if 300 <= status < 400:
        target = urlsplit(response["Location"]).path
        return am.LOGIN if target in _login_paths() else am.OK
    if 200 <= status < 300:
        return am.OK
    return str(status)


def _request(client: Client, entry: am.Entry, url: str) -> Any:
    headers = {"HX-Request": "true"} if entry.htmx else {}
    if entry.method == "POST":
        return client.post(url, data=dict(entry.data), headers=headers)
    return client.get(url, headers=headers)


@cache
def _client() -> Client:
    """One test client for the whole matrix: a Client builds its middleware chain (and
    WhiteNoise scans the static files) once per instance, which is what costs time."""
    return Client()


def _outcome(entry: am.Entry, url: str, user: User | None) -> tuple[str, str]:
    """Request ``url`` as ``user`` inside a savepoint rolled back afterwards, so a request
    that writes (a POST, a toggle) leaves the next persona the same data. Returns the
    outcome and a detail for the failure message."""
    with transaction.atomic():
        client = _client()
        client.cookies = SimpleCookie()  # a fresh browser: no session, no CSRF cookie
        if user is not None:
            client.force_login(user)
        try:
            response = _request(client, entry, url)
        except Exception as exc:  # any exception is a failure, reported with its URL
            outcome, detail = "exception", f"{type(exc).__name__}: {exc}"
        else:
            outcome = outcome_of(response)
            detail = f"status {response.status_code}"
            if response.has_header("Location"):
                detail += f" → {response['Location']}"
        transaction.set_rollback(True)
    return outcome, detail


def _check(key: str, entry: am.Entry, users: Mapping[str, User | None], objects: Any) -> None:
    url = _build_url(key, entry, objects)
    failures = []
    for persona in am.PERSONAS:
        expected = entry.expect[persona]
        got, detail = _outcome(entry, url, users[persona])
        if got != expected:
            failures.append(f"  {persona}: expected {expected!r}, got {got!r} ({detail})")
    assert not failures, f"{entry.method} {url} ({key}):\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("key", list(am.MATRIX))
def test_access(key: str, personas: dict[str, User | None], matrix_objects: Any) -> None:
    _check(key, am.MATRIX[key], personas, matrix_objects)


@pytest.mark.django_db
@pytest.mark.parametrize("namespace", list(am.NAMESPACES))
def test_namespace_access(
    namespace: str, personas: dict[str, User | None], matrix_objects: Any
) -> None:
    rule = am.NAMESPACES[namespace]
    entry = am.Entry(expect=rule.expect, why_public=rule.reason)
    _check(rule.check, entry, personas, matrix_objects)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "namespace", [ns for ns, rule in am.NAMESPACES.items() if rule.superuser_check]
)
def test_a_superuser_gets_into_the_namespace(namespace: str, client: Client) -> None:
    superuser = User.objects.create_superuser("technique@exemple.fr", PASSWORD)
    client.force_login(superuser)
    response = client.get(reverse(am.NAMESPACES[namespace].check))
    assert response.status_code == 200


@pytest.mark.django_db
def test_personas_hold_the_roles_the_table_assumes(personas):
    for persona, user in personas.items():
        held = roles_of(user) if user is not None else frozenset()
        assert held == am.PERSONA_ROLES[persona], persona


def test_outcome_classification():
    class FakeResponse(dict):
        def __init__(self, status: int, location: str = "") -> None:
            super().__init__(Location=location)
            self.status_code = status

    assert outcome_of(FakeResponse(200)) == am.OK
    assert outcome_of(FakeResponse(302, "/comptes/login/?next=/portail/")) == am.LOGIN
    assert outcome_of(FakeResponse(302, "/admin/login/?next=/admin/")) == am.LOGIN
    assert outcome_of(FakeResponse(302, "/portail/")) == am.OK
    assert outcome_of(FakeResponse(403)) == "403"
    assert outcome_of(FakeResponse(500)) == "500"
