"""The feuille d'émargement PDF: names sorted, professions, collèges, voting rights, proxies,
a signature column, totals, and more pages as the list grows."""

from __future__ import annotations

import pytest

from cpts.jobs import get_kind, request_document
from cpts.models import GeneratedDocument
from cpts.services.documents import DocumentError
from governance import documents  # noqa: F401  (registers the kind)
from governance.services.proxies import give_proxy
from tests.factories import CollegeFactory, MemberFactory
from tests.governance.test_proxies import convene, make_meeting, voting_member
from tests.pdf_utils import pdf_page_count, pdf_text

pytestmark = pytest.mark.django_db


def build(meeting, user) -> bytes:
    document = GeneratedDocument.objects.create(
        kind="attendance_sheet", parameters={"meeting_id": meeting.pk}, requested_by=user
    )
    steps: list[int] = []
    _name, content = get_kind("attendance_sheet").builder(
        document, lambda progress, step: steps.append(progress)
    )
    assert steps == [10, 50]
    return content


def test_the_sheet_lists_members_with_proxies_and_a_signature_column(association, coordinator):
    meeting = make_meeting(place="Salle Georges-Brassens, Gignac")
    college = CollegeFactory.create(name="Libéraux de santé", code="liberaux")
    arnaud = voting_member(meeting, last_name="Arnaud", first_name="Anne", college=college)
    bernard = voting_member(meeting, last_name="Bernard", first_name="Bruno")
    dumas = voting_member(meeting, last_name="Dumas", first_name="Diane")
    zola = MemberFactory.create(last_name="Zola", first_name="Zoé")  # fee not up to date
    convene(meeting, zola, dumas, bernard, arnaud)
    give_proxy(meeting, arnaud, bernard, coordinator)
    give_proxy(meeting, dumas, bernard, coordinator)
    text = pdf_text(build(meeting, coordinator))
    assert "Feuille d'émargement" in text
    assert "Assemblée générale ordinaire" in text
    assert meeting.starts_at.astimezone().strftime("%d/%m/%Y") in text
    assert "Salle Georges-Brassens, Gignac" in text
    for header in ("Nom", "Profession", "Collège", "Droit de vote", "Procuration", "Signature"):
        assert header in text
    names = ["Anne ARNAUD", "Bruno BERNARD", "Diane DUMAS", "Zoé ZOLA"]
    positions = [text.index(name) for name in names]
    assert positions == sorted(positions)
    assert "Médecin généraliste" in text
    assert "Libéraux de santé" in text
    assert "a donné procuration à Bruno BERNARD" in text
    assert "porteur·se de 2 procurations : Anne ARNAUD, Diane DUMAS" in text
    assert "Convoqués : 4" in text and "Votants : 3" in text and "Procurations : 2" in text


def test_a_long_list_runs_over_several_pages(association, coordinator):
    short = make_meeting(title="AG courte")
    convene(short, *[voting_member(short) for _ in range(3)])
    long = make_meeting(title="AG longue")
    convene(long, *[voting_member(long) for _ in range(60)])
    short_pages = pdf_page_count(build(short, coordinator))
    long_content = build(long, coordinator)
    assert short_pages == 1
    assert pdf_page_count(long_content) >= 4  # 13 mm per row to sign
    assert pdf_text(long_content).count("Signature") >= 4  # the header repeats on each page


def test_a_missing_meeting_is_a_clear_error(association, coordinator):
    document = GeneratedDocument.objects.create(
        kind="attendance_sheet", parameters={"meeting_id": 999_999}, requested_by=coordinator
    )
    with pytest.raises(DocumentError, match="n'existe plus"):
        get_kind("attendance_sheet").builder(document, lambda progress, step: None)
    document.parameters = {"meeting_id": "abc"}
    with pytest.raises(DocumentError, match="incomplets"):
        get_kind("attendance_sheet").builder(document, lambda progress, step: None)


def test_the_job_pipeline_builds_the_sheet(association, coordinator):
    meeting = make_meeting()
    convene(meeting, voting_member(meeting, last_name="Arnaud"))
    document = request_document(
        "attendance_sheet",
        requested_by=coordinator,
        parameters={"meeting_id": meeting.pk, "title": meeting.title, "date": "22/12/2026"},
    )
    from cpts.tasks import build_document

    build_document(document.pk)
    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.DONE
    assert document.file.name.endswith(".pdf")
    kind = get_kind("attendance_sheet")
    assert str(kind.label) == "Feuille d'émargement"
    assert kind.permission == "governance.view"
    assert kind.describe is not None
    assert kind.describe(document.parameters) == "Assemblée générale ordinaire du 22/12/2026"
