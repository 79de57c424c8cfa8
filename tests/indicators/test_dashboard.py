"""The coordinator's dashboard (indicators/views/dashboard.py, indicators/selectors/dashboard/):
figures against hand-counted fixtures, the blocks and buttons each persona gets, the empty
database, and a number of queries that does not grow with the data."""

from __future__ import annotations

import datetime
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cpts.models import Association, GeneratedDocument, User
from cpts.roles import Role
from governance.models import (
    Body,
    BodyKind,
    Convocation,
    ConvocationAnswer,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)
from indicators.selectors.dashboard import dashboard_for
from members.models import Adhesion, Member, MembershipRequest
from members.services.adhesions import record_payment
from missions.deadlines import add_months
from missions.models import (
    Contract,
    IndicatorLine,
    LineBand,
    LineKind,
    LineTier,
    Livrable,
    Mission,
    MissionEnvelope,
    PaymentNature,
    ReceivedPayment,
)
from missions.services.contract import create_contract
from tests.factories import MemberFactory, UserFactory

D = Decimal
NB = "\xa0"
pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(user: User) -> str:
    response = _client(user).get(reverse("backoffice_home"))
    assert response.status_code == 200
    return response.content.decode()


# --- Fixtures -----------------------------------------------------------------------------


def _members(today: datetime.date, count: int, paid: bool) -> None:
    """``count`` members joined a year ago, each with this year's 20 € adhesion, paid or not."""
    for _index in range(count):
        member = MemberFactory.create(joined_on=today - timedelta(days=365))
        adhesion = Adhesion.objects.create(
            member=member, year=today.year, fee_due=D("20"), started_on=today.replace(day=1)
        )
        if paid:
            record_payment(adhesion, amount=D("20"), method="virement", paid_on=today)


def _body(kind: str) -> Body:
    return Body.objects.get_or_create(kind=kind, defaults={"name": BodyKind(kind).label})[0]


def _meeting(body: Body, starts_at: datetime.datetime, **fields: Any) -> Meeting:
    return Meeting.objects.create(
        body=body, title=f"Réunion {body.name}", starts_at=starts_at, **fields
    )


def _lines(envelope: MissionEnvelope, today: datetime.date) -> None:
    """A done action (4 000, earned), an open one (6 000, reachable), a tiers line at its
    first tier (1 000 earned of 3 500: not reachable), bands without a value (9 000
    reachable). Three livrables, two missing."""
    done = IndicatorLine.objects.create(
        envelope=envelope,
        position=1,
        label="Ateliers réalisés",
        kind=LineKind.BINARY,
        amount=D("4000"),
        done=True,
    )
    IndicatorLine.objects.create(
        envelope=envelope,
        position=2,
        label="Réunions à organiser",
        kind=LineKind.BINARY,
        amount=D("6000"),
    )
    tiers = IndicatorLine.objects.create(
        envelope=envelope,
        position=3,
        label="Taux de dépistage",
        kind=LineKind.TIERS,
        amount=D("0"),
        baseline=D("66.26"),
        achieved=D("70"),
    )
    for position, (threshold, amount) in enumerate(
        [("69.70", "1000"), ("72.40", "2500"), ("75", "3500")]
    ):
        LineTier.objects.create(
            line=tiers, position=position, threshold=D(threshold), amount=D(amount)
        )
    bands = IndicatorLine.objects.create(
        envelope=envelope,
        position=4,
        label="Patients ALD sans médecin traitant",
        kind=LineKind.BANDS,
        amount=D("0"),
        direction="decreasing",
    )
    LineBand.objects.create(line=bands, position=0, maximum=D("50"), amount=D("9000"))
    LineBand.objects.create(
        line=bands, position=1, minimum=D("51"), maximum=D("100"), amount=D("6000")
    )
    Livrable.objects.create(line=done, label="Feuilles d'émargement", status="provided")
    Livrable.objects.create(line=done, label="Supports", status="missing")
    Livrable.objects.create(line=tiers, label="Extraction CPAM", status="missing")


def _contract(today: datetime.date) -> Contract:
    """Signed five months ago; year 1 (fonctionnement 50 000) with prevention: fixed 20 000,
    variable 22 500 from the lines above; received 50 000 of fonctionnement and 10 000 of
    fixed part."""
    contract = create_contract(
        signed_on=add_months(today, -5), cpam="CPAM de l'Hérault", ars="ARS Occitanie"
    )
    year = contract.years.get(number=1)
    year.fonctionnement = D("50000")
    year.save()
    envelope = MissionEnvelope.objects.create(
        year=year,
        mission=Mission.objects.get(key="prevention"),
        fixed=D("20000"),
        variable=D("22500"),
    )
    _lines(envelope, today)
    ReceivedPayment.objects.create(
        year=year, received_on=year.start, amount=D("50000"), nature=PaymentNature.FONCTIONNEMENT
    )
    ReceivedPayment.objects.create(
        year=year,
        received_on=year.start + timedelta(days=10),
        amount=D("10000"),
        nature=PaymentNature.FIXED,
    )
    return contract


@pytest.fixture
def data(association: Association) -> dict[str, Any]:
    """3 members up to date and 1 not (the personas' own member records are added by the
    role fixtures: the tests count from a known base), 2 pending requests, meetings, a
    contract, jobs."""
    now = timezone.now()
    today = timezone.localdate(now)
    _members(today, 3, paid=True)
    _members(today, 1, paid=False)
    for index in range(2):
        MembershipRequest.objects.create(last_name=f"Demande {index}", email=f"d{index}@exemple.fr")
    ca, ag = _body(BodyKind.CA), _body(BodyKind.AG)
    meetings = {
        "ca_soon": _meeting(ca, now + timedelta(days=3)),  # to convene (margin 14 days)
        "ca_later": _meeting(ca, now + timedelta(days=20)),  # not yet
        "ag_soon": _meeting(ag, now + timedelta(days=25)),  # to convene (15 + 14 days)
        "ag_convened": _meeting(
            ag, now + timedelta(days=10), status=MeetingStatus.CONVENED, convened_at=now
        ),
        "cancelled": _meeting(ca, now + timedelta(days=1), status=MeetingStatus.CANCELLED),
        "held": _meeting(ca, now - timedelta(days=30), status=MeetingStatus.HELD),
        "approved": _meeting(ca, now - timedelta(days=90), status=MeetingStatus.MINUTES_APPROVED),
    }
    for index, member in enumerate(Member.objects.all()[:3]):
        Convocation.objects.create(
            meeting=meetings["ag_convened"],
            member=member,
            answer=ConvocationAnswer.PRESENT if index == 0 else ConvocationAnswer.PENDING,
        )
    Minutes.objects.create(meeting=meetings["held"], text="PV")
    Minutes.objects.create(
        meeting=meetings["approved"],
        text="PV",
        status=MinutesStatus.APPROVED,
        approved_on=today - timedelta(days=30),
    )
    contract = _contract(today)
    GeneratedDocument.objects.create(kind="identity_sheet", status=GeneratedDocument.Status.RUNNING)
    GeneratedDocument.objects.create(kind="identity_sheet", status=GeneratedDocument.Status.FAILED)
    GeneratedDocument.objects.create(kind="identity_sheet", status=GeneratedDocument.Status.DONE)
    old = GeneratedDocument.objects.create(
        kind="identity_sheet", status=GeneratedDocument.Status.FAILED
    )
    GeneratedDocument.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=8))
    return {"now": now, "today": today, "meetings": meetings, "contract": contract}


# --- Figures ------------------------------------------------------------------------------


def test_members_figures(data: dict[str, Any], coordinator: User) -> None:
    block = dashboard_for(coordinator, data["now"]).members
    assert block is not None
    assert (block.counts.active, block.counts.up_to_date) == (4, 3)
    assert block.counts.up_to_date_percent == D("75.0")
    assert block.pending_requests == 2
    assert block.fees is not None
    assert (block.fees.expected, block.fees.collected) == (D("80"), D("60"))
    assert block.by_profession == [("Médecin généraliste", 4)]
    assert len(block.over_time) == 24
    assert block.over_time[-1] == (data["today"], 4)


def test_governance_figures(data: dict[str, Any], coordinator: User) -> None:
    block = dashboard_for(coordinator, data["now"]).governance
    assert block is not None
    meetings = data["meetings"]
    assert [m.pk for m in block.upcoming] == [
        meetings[key].pk for key in ("ca_soon", "ag_convened", "ca_later", "ag_soon")
    ]
    convened: Any = block.upcoming[1]  # annotated with its invitee and answer counts
    assert (convened.invitees, convened.answered) == (3, 1)
    assert [m.pk for m in block.to_convene] == [meetings["ca_soon"].pk, meetings["ag_soon"].pk]
    assert block.to_convene_count == 2
    assert [m.meeting_id for m in block.minutes_to_approve] == [meetings["held"].pk]
    assert block.minutes_to_approve_count == 1


def test_to_convene_boundaries(association: Association, coordinator: User) -> None:
    """An AG needs its 15 days of notice plus the 14-day margin: 29 days ahead is in, a
    minute later is out; another body only the margin."""
    now = timezone.now()
    ag, ca = _body(BodyKind.AG), _body(BodyKind.CA)
    inside = _meeting(ag, now + timedelta(days=29))
    _meeting(ag, now + timedelta(days=29, minutes=1))
    ca_inside = _meeting(ca, now + timedelta(days=14))
    _meeting(ca, now + timedelta(days=14, minutes=1))
    _meeting(ca, now - timedelta(minutes=1))  # started: too late to convene
    second = _meeting(ag, now + timedelta(days=21), second_convocation_of=inside)  # 7 + 14
    _meeting(ag, now + timedelta(days=21, minutes=1), second_convocation_of=inside)
    block = dashboard_for(coordinator, now).governance
    assert block is not None
    assert [m.pk for m in block.to_convene] == [ca_inside.pk, second.pk, inside.pk]
    assert len(block.upcoming) == 5


def test_contract_figures(data: dict[str, Any], coordinator: User) -> None:
    block = dashboard_for(coordinator, data["now"]).contract
    assert block is not None and block.year is not None
    assert block.year.number == 1
    # Earned: 4 000 (done) + 1 000 (first tier). Reachable: 6 000 (open action) + 9 000 (best
    # band, no value yet); the tiers line's higher tiers are not counted.
    assert block.earned == D("5000")
    assert block.reachable == D("15000")
    assert block.potential == D("22500")
    assert block.variable == D("22500")
    assert (block.livrables_missing, block.livrables_total) == (2, 3)
    assert [row.result.line.label for row in block.lines_with_missing_livrables] == [
        "Ateliers réalisés",
        "Taux de dépistage",
    ]
    assert {row.contract_mission.mission.key for row in block.missions} >= {"prevention"}
    assert [row.result.line.label for row in block.open_lines] == [
        "Patients ALD sans médecin traitant",
        "Réunions à organiser",
    ]
    assert block.open_lines_count == 2
    [prevention] = block.mission_rows
    assert (prevention.earned, prevention.reachable, prevention.potential) == (
        D("5000"),
        D("15000"),
        D("22500"),
    )
    financing = block.financing
    assert financing is not None
    # Expected: fonctionnement 50 000 at signature, fixed 15 000 advance at the year's start
    # and 5 000 at the anniversary, variable 5 000 (earned) after the dialogue.
    assert financing.expected_total == D("75000")
    assert financing.expected_due == D("65000")
    assert financing.received_total == D("60000")
    assert financing.gap == D("-5000")
    figure = block.financing_figure()
    assert figure is not None
    assert [row[0] for row in figure.rows] == [
        "Fonctionnement",
        "Part fixe des missions",
        "Part variable des missions",
    ]
    assert figure.rows[1][1:] == (f"20{NB}000,00{NB}€", f"10{NB}000,00{NB}€")


def test_long_lists_are_cut(data: dict[str, Any], coordinator: User) -> None:
    """The dashboard lists at most ten open lines and ten lines missing livrables, the
    largest first; the totals still count them all."""
    envelope = MissionEnvelope.objects.get(mission__key="prevention")
    for index in range(12):
        line = IndicatorLine.objects.create(
            envelope=envelope,
            position=10 + index,
            label=f"Action {index}",
            kind=LineKind.BINARY,
            amount=D(100 + index),
        )
        Livrable.objects.create(line=line, label="Compte rendu")
    block = dashboard_for(coordinator, data["now"]).contract
    assert block is not None
    assert block.open_lines_count == 14
    assert [row.result.potential for row in block.open_lines][:3] == [
        D("9000"),
        D("6000"),
        D("111"),
    ]
    assert len(block.open_lines) == 10
    assert block.reachable == D("15000") + sum(D(100 + index) for index in range(12))
    assert len(block.lines_with_missing_livrables) == 14
    assert len(block.lines_with_missing_livrables_shown) == 10
    html = _page(coordinator)
    assert html.count('data-testid="indicator-lines"') == 1
    assert "→ les 14 lignes à atteindre sur la page de l'année" in html
    assert "→ les 14 lignes dont des livrables manquent" in html


def test_finance_hidden_without_finance_view(data: dict[str, Any]) -> None:
    administrateur = UserFactory.create(roles=[Role.ADMINISTRATEUR])
    dashboard = dashboard_for(administrateur, data["now"])
    assert dashboard.members is not None and dashboard.members.fees is None
    assert dashboard.contract is not None and dashboard.contract.financing is None
    assert dashboard.contract.earned == D("5000")


def test_jobs(data: dict[str, Any], coordinator: User) -> None:
    block = dashboard_for(coordinator, data["now"]).jobs
    assert block is not None
    assert (block.running, block.failed) == (1, 1)
    assert [info.document.status for info in block.documents] == ["failed", "running"]


# --- Page and personas --------------------------------------------------------------------


def test_coordinator_sees_every_block_and_its_links(
    data: dict[str, Any], coordinator: User
) -> None:
    html = _page(coordinator)
    for testid in (
        "dashboard-members",
        "dashboard-governance",
        "dashboard-contract",
        "dashboard-financing",
        "dashboard-jobs",
        "dashboard-territory",
        "members-actions",
        "governance-actions",
        "contract-actions",
    ):
        assert f'data-testid="{testid}"' in html, testid
    year = data["contract"].years.get(number=1)
    for url in (
        reverse("member_list"),
        reverse("membership_request_list"),
        reverse("meeting_list"),
        reverse("meeting_detail", args=[data["meetings"]["ca_soon"].pk]),
        reverse("meeting_minutes", args=[data["meetings"]["held"].pk]),
        reverse("contract_home"),
        reverse("contract_year_detail", args=[year.pk]),
        reverse("financing_schedule"),
        reverse("document_list"),
        reverse("contract_alerts"),
    ):
        assert url in html, url
    failed = GeneratedDocument.objects.get(
        status="failed", created_at__gte=data["now"] - timedelta(days=1)
    )
    assert reverse("document_detail", args=[failed.pk]) in html
    assert 'data-testid="members-active">4<' in html
    assert 'data-testid="members-up-to-date">75,0 %<' in html
    assert f'data-testid="fees-collected">60,00{NB}€<' in html
    assert f'data-testid="variable-earned">5{NB}000,00{NB}€<' in html
    assert f'aria-describedby="reachable-definition">15{NB}000,00{NB}€<' in html
    assert f'data-testid="financing-received">60{NB}000,00{NB}€<' in html
    assert f'data-testid="financing-expected">75{NB}000,00{NB}€<' in html
    assert 'data-testid="livrables-missing">2<' in html
    # Charts, each with its numbers in a table.
    for chart in (
        "tableau-de-bord-professions",
        "tableau-de-bord-adherents",
        "tableau-de-bord-financement",
    ):
        assert f'id="{chart}"' in html, chart
    assert "Adhérents par profession" in html
    assert "Évolution du nombre d&#x27;adhérents" in html
    assert "Financement attendu et reçu" in html
    assert html.count("<details") >= 3


def test_tresorier_reads_without_write_buttons(data: dict[str, Any], tresorier: User) -> None:
    html = _page(tresorier)
    for testid in (
        "dashboard-members",
        "dashboard-governance",
        "dashboard-contract",
        "dashboard-jobs",
    ):
        assert f'data-testid="{testid}"' in html, testid
    assert 'data-testid="fees-collected"' in html  # finance.view
    assert 'data-testid="dashboard-financing"' in html
    for testid in ("members-actions", "governance-actions", "contract-actions"):
        assert f'data-testid="{testid}"' not in html, testid
    assert ">Convoquer<" not in html
    assert reverse("membership_request_list") not in html  # members.manage only


def test_president_reads_and_convenes_only(data: dict[str, Any], president: User) -> None:
    """The président manages the governance (convocations) by the registry, nothing else."""
    html = _page(president)
    assert 'data-testid="members-actions"' not in html
    assert 'data-testid="contract-actions"' not in html
    assert 'data-testid="governance-actions"' in html
    assert ">Convoquer<" in html


def test_administrateur_reads_without_finance(data: dict[str, Any]) -> None:
    html = _page(UserFactory.create(roles=[Role.ADMINISTRATEUR]))
    for testid in (
        "dashboard-members",
        "dashboard-governance",
        "dashboard-contract",
        "dashboard-jobs",
    ):
        assert f'data-testid="{testid}"' in html, testid
    for testid in (
        "fees-collected",
        "dashboard-financing",
        "members-actions",
        "governance-actions",
        "contract-actions",
    ):
        assert f'data-testid="{testid}"' not in html, testid
    assert 'id="tableau-de-bord-financement"' not in html
    assert 'data-testid="variable-earned"' in html


@pytest.mark.parametrize("persona", ["adherent", "referent"])
def test_refused_personas(association: Association, persona: str, request: Any) -> None:
    user = request.getfixturevalue(persona)
    assert _client(user).get(reverse("backoffice_home")).status_code == 403
    assert _client(user).get(reverse("home"))["Location"] == reverse("portal_home")


def test_anonymous_goes_to_login(association: Association) -> None:
    response = Client().get(reverse("backoffice_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_empty_database(association: Association, coordinator: User) -> None:
    html = _page(coordinator)
    assert 'data-testid="no-contract"' in html
    assert reverse("contract_create") in html and reverse("contract_annex_import") in html
    assert 'data-testid="members-active">0<' in html
    assert 'data-testid="members-up-to-date">—<' in html
    assert "Aucune réunion à venir." in html
    assert "Aucun document en attente ou en échec." in html


def test_no_contract_invitation_is_read_only_for_the_board(
    association: Association, tresorier: User
) -> None:
    html = _page(tresorier)
    assert 'data-testid="no-contract"' in html
    assert reverse("contract_create") not in html


def test_contract_without_a_current_year(association: Association, coordinator: User) -> None:
    """A contract signed in the future: no year covers today, the block still renders."""
    create_contract(
        signed_on=add_months(timezone.localdate(), 2), cpam="CPAM de l'Hérault", ars="ARS Occitanie"
    )
    html = _page(coordinator)
    assert "Aucune année du contrat ne couvre la date du jour." in html
    assert 'data-testid="dashboard-financing"' not in html


# --- Queries ------------------------------------------------------------------------------


def _queries(user: User) -> int:
    client = _client(user)
    client.get(reverse("backoffice_home"))  # warm the session and caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("backoffice_home")).status_code == 200
    return len(queries)


def _more(data: dict[str, Any]) -> None:
    """Many more of everything the page shows or counts."""
    now, today, contract = data["now"], data["today"], data["contract"]
    _members(today, 15, paid=True)
    _members(today, 10, paid=False)
    for index in range(5):
        MembershipRequest.objects.create(
            last_name=f"Autre {index}", email=f"autre{index}@exemple.fr"
        )
    ca, ag = _body(BodyKind.CA), _body(BodyKind.AG)
    members = list(Member.objects.all()[:10])
    for day in range(1, 13):
        meeting = _meeting(ca if day % 2 else ag, now + timedelta(days=day, hours=2))
        for member in members:
            Convocation.objects.create(meeting=meeting, member=member)
        held = _meeting(ca, now - timedelta(days=40 + day), status=MeetingStatus.HELD)
        Minutes.objects.create(meeting=held, text="PV")
    year = contract.years.get(number=1)
    envelope = MissionEnvelope.objects.create(
        year=year,
        mission=Mission.objects.get(key="acces_soins"),
        fixed=D("30000"),
        variable=D("12000"),
    )
    _lines(envelope, today)
    for index in range(8):
        ReceivedPayment.objects.create(
            year=year,
            received_on=year.start + timedelta(days=index),
            amount=D("100"),
            nature=PaymentNature.OTHER,
        )
    for _index in range(12):
        GeneratedDocument.objects.create(
            kind="identity_sheet", status=GeneratedDocument.Status.FAILED
        )


def test_query_count_does_not_grow_with_the_data(data: dict[str, Any], coordinator: User) -> None:
    small = _queries(coordinator)
    _more(data)
    large = _queries(coordinator)
    print(f"dashboard queries: {small} -> {large}")
    assert small == large
    assert large <= 40, large
