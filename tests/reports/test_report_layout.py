"""The activity reports as a reader sees them: running header and footer "page n / N" on every
page but the cover, a table of contents whose page numbers are where the sections start, an
annex listing every proof; and section builders whose query count does not grow with data."""

from __future__ import annotations

import datetime
import re
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims import rules as claim_rules
from claims.models import ActivityKind, Claim, ClaimNature, ClaimStatus
from claims.selectors import cap_summary, period_totals
from cpts.models import Association
from governance.models import (
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    Mandate,
    MandateRole,
    Meeting,
    MeetingStatus,
    Resolution,
)
from governance.models.statutes import MajorityRule
from members.models import Adhesion
from missions.models import (
    Action,
    ActionStatus,
    ContractYear,
    Event,
    EventKind,
    IndicatorLine,
    LineKind,
    Livrable,
    MissionEnvelope,
    Proof,
)
from missions.selectors.contract import current_contract
from reports.rendering import ACI, AG, SECTIONS, TITLES, render_report, scope_for
from reports.sections import build_sections
from reports.sections.aci import INDEMNITIES
from tests.factories import MemberFactory
from tests.pdf_utils import normalize_whitespace, pdf_pages

pytestmark = pytest.mark.django_db

TOC_LINE = re.compile(r"(\d+)\. (.+?) ?\.{3,} ?(\d+)")


@pytest.fixture
def demo() -> None:
    call_command("seed_demo", stdout=StringIO())


def _year(number: int = 2) -> ContractYear:
    contract = current_contract()
    assert contract is not None
    year = contract.years.get(number=number)
    year.contract = contract
    return year


@pytest.mark.parametrize("kind", [ACI, AG])
def test_header_footer_and_table_of_contents(demo: None, kind: str) -> None:
    last_year = timezone.localdate().year - 1
    parameters = {"contract_year": 2} if kind == ACI else {"year": last_year}
    rendered = render_report(kind, parameters)
    pages = pdf_pages(rendered.content)
    total = len(pages)
    name = Association.objects.get_solo().name
    assert "page" not in pages[0].split()  # the cover has no running header or footer
    for number, text in enumerate(pages[1:], start=2):
        assert text.startswith(name), f"page {number} has no running header"
        assert text.endswith(f"page {number} / {total}"), f"page {number}: {text[-40:]!r}"
    toc = pages[1]
    assert "SOMMAIRE" in toc
    entries = TOC_LINE.findall(toc)
    assert [title for _n, title, _p in entries] == rendered.sections
    starts = [int(page) for _n, _title, page in entries]
    assert starts == sorted(starts) and starts[0] == 3 and starts[-1] <= total
    for index, title, page in entries:
        # The section opens its page, right under the running header.
        header = f"{name} {TITLES[kind]}"
        assert pages[int(page) - 1].startswith(f"{header} {index}. {title}"), (title, page)


def _in_order(needle: list[str], words: list[str]) -> bool:
    remaining = iter(words)
    return all(word in remaining for word in needle)


def test_annex_lists_every_proof_by_mission_and_line(demo: None) -> None:
    year = _year()
    proofs = list(
        Proof.objects.filter(livrable__line__envelope__year=year).select_related(
            "livrable__line__envelope__mission"
        )
    )
    assert len(proofs) > 5
    rendered = render_report(ACI, {"contract_year": year.number})
    pages = pdf_pages(rendered.content)
    title = f"{len(rendered.sections)}. Annexe : justificatifs"
    start = next(i for i, text in enumerate(pages) if title in text and "SOMMAIRE" not in text)
    annex = " ".join(pages[start:])
    assert f"{len(proofs)} justificatifs déposés" in annex
    # Cells set on several lines interleave with their neighbours in pdftotext's output: the
    # words of a title are in order, with other cells' words between them.
    words = annex.replace("\u2010 ", "").split()
    for proof in proofs:
        assert _in_order(normalize_whitespace(proof.title).split(), words), proof.title
        assert proof.livrable.line.envelope.mission.name in annex
    # A proof of another year is not listed.
    other = _year(1)
    envelope = other.envelopes.first()
    assert envelope is not None
    line = IndicatorLine.objects.create(
        envelope=envelope, label="Ligne d'une autre année", kind=LineKind.BINARY, amount=1
    )
    livrable = Livrable.objects.create(line=line, label="Autre livrable")
    Proof.objects.create(
        livrable=livrable, title="Justificatif hors période", file=ContentFile(b"x", "x.pdf")
    )
    again = " ".join(pdf_pages(render_report(ACI, {"contract_year": year.number}).content))
    assert "Justificatif hors période" not in again


# --- Query count ----------------------------------------------------------------------------


def _grow(year: ContractYear, index: int) -> None:
    """More of everything the sections read: members with adhesions, a working group with
    its référent, members and meetings held with attendance and an adopted resolution,
    actions with events on every mission, indicator lines with livrables and proofs, approved
    and paid claims (one member near the PASS cap)."""
    start = year.start
    day = timezone.make_aware(datetime.datetime.combine(start, datetime.time(18)))
    members = [MemberFactory.create(joined_on=start) for _i in range(5)]
    for member in members:
        Adhesion.objects.create(
            member=member, year=start.year, fee_due=20, started_on=start.replace(day=1)
        )
    group = Body.objects.create(kind=BodyKind.GROUP, name=f"Groupe ajouté {index}")
    for position, member in enumerate(members):
        role = MandateRole.REFERENT if position == 0 else MandateRole.MEMBRE
        Mandate.objects.create(member=member, body=group, role=role, start_date=start)
    for offset in range(3):
        meeting = Meeting.objects.create(
            body=group,
            title=f"Réunion {index}-{offset}",
            starts_at=day + datetime.timedelta(days=7 * offset + 1),
            status=MeetingStatus.HELD,
        )
        for member in members:
            Attendance.objects.create(
                meeting=meeting, member=member, status=AttendanceStatus.PRESENT
            )
        Resolution.objects.create(
            meeting=meeting,
            title=f"Résolution {index}-{offset}",
            text="Adoptée.",
            majority=MajorityRule.SIMPLE,
            votes_for=5,
            votes_against=0,
            abstentions=0,
            adopted=True,
            voted_at=meeting.starts_at,
        )
    for envelope in MissionEnvelope.objects.filter(year=year).select_related("mission"):
        action = Action.objects.create(
            title=f"Action ajoutée {index} {envelope.mission.key}",
            contract=year.contract,
            working_group=group,
            start=start,
            status=ActionStatus.IN_PROGRESS,
        )
        action.missions.add(envelope.mission)
        for offset in range(2):
            Event.objects.create(
                action=action,
                kind=EventKind.WORKSHOP,
                title=f"Atelier {index}-{offset}",
                date=start + datetime.timedelta(days=10 + offset),
            )
        line = IndicatorLine.objects.create(
            envelope=envelope,
            position=50 + index,
            label=f"Action ajoutée {index}",
            kind=LineKind.BINARY,
            amount=100,
            done=True,
        )
        livrable = Livrable.objects.create(line=line, label="Émargements", status="provided")
        Proof.objects.create(
            livrable=livrable, title=f"Preuve {index}", file=ContentFile(b"x", "p.pdf")
        )
        for position, member in enumerate(members):
            Claim.objects.create(
                member=member,
                nature=ClaimNature.INDEMNITY,
                activity_kind=ActivityKind.MISSION_ACTION,
                mission=envelope.mission,
                date=start + datetime.timedelta(days=position),
                hours=2,
                amount=120,
                status=ClaimStatus.PAID if position % 2 else ClaimStatus.APPROVED,
            )
    Claim.objects.create(
        member=members[0],
        nature=ClaimNature.INDEMNITY,
        activity_kind=ActivityKind.REFERENT,
        date=start,
        hours=20,
        amount=claim_rules.pass_amount(start.year) * claim_rules.NEAR_CAP_SHARE,
        status=ClaimStatus.APPROVED,
    )


def _queries(kind: str, parameters: dict[str, int]) -> int:
    now = timezone.now()
    scope = scope_for(kind, parameters, now)
    with CaptureQueriesContext(connection) as captured:
        build_sections(SECTIONS[kind], scope, lambda _p, _s: None)
    return len(captured)


def test_section_builders_query_count_does_not_grow_with_data(demo: None) -> None:
    year = _year()
    ag_parameters = {"year": year.start.year}
    small = (_queries(ACI, {"contract_year": 2}), _queries(AG, ag_parameters))
    for index in range(4):
        _grow(year, index)
    large = (_queries(ACI, {"contract_year": 2}), _queries(AG, ag_parameters))
    print(f"report builders' queries (ACI, AG): {small} -> {large}")
    assert small == large
    assert large[0] <= 60 and large[1] <= 60, large
    # The growth reached the indemnities section: claims counted, members near the cap.
    grown = period_totals(year.start, year.end)
    assert grown.members_paid >= 20 and grown.paid_amount and grown.approved_unpaid_amount
    assert cap_summary(year.start.year).near >= 4
    scope = scope_for(ACI, {"contract_year": 2}, timezone.now())
    with CaptureQueriesContext(connection) as captured:
        build_sections([INDEMNITIES], scope, lambda _p, _s: None)
    # The period's totals (4) and the PASS cap of each calendar year touched (2 each).
    assert len(captured) <= 4 + 2 * (year.end.year - year.start.year + 1), captured.captured_queries


def test_a_year_without_activity_says_so_instead_of_empty_charts(demo: None) -> None:
    text = " ".join(pdf_pages(render_report(AG, {"year": 2020}).content))
    assert "Aucun adhérent sur la période." in text
    assert "Aucune décision adoptée pendant la période." in text
    assert "Aucun versement reçu pendant l'année." in text
    assert "Aucune indemnité ni aucun remboursement de frais approuvé pendant l'année." in text
    assert "Aucune donnée à représenter" not in text  # no empty chart frame
