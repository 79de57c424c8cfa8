"""Minutes: the draft built from the meeting, edits while a draft, approval at a later meeting
of the same body, the PDF with its signatures block, and the public page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from cpts.jobs import get_kind
from cpts.models import GeneratedDocument
from governance.minutes_pdf import build_meeting_minutes
from governance.models import (
    AgendaItem,
    AttendanceStatus,
    BodyKind,
    Mandate,
    MandateRole,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)
from governance.selectors.minutes import latest_pdf
from governance.services.minutes import approve_minutes, draft_minutes, update_minutes
from governance.services.resolutions import record_vote
from tests.factories import MemberFactory
from tests.governance.test_resolutions import board_meeting, body_of, mark, resolution_of
from tests.pdf_utils import PDF_PLACEHOLDER, _run_on_pdf, normalize_whitespace, pdf_text

pytestmark = pytest.mark.django_db

RESOLUTION_TEXT = "Le conseil approuve la convention avec la maison de santé de Lodève."


def voted_meeting() -> Meeting:
    """A CA meeting: 4 present, 1 represented, 1 excused of 7; an agenda; one resolution
    adopted 4-1-0 and one not voted."""
    meeting, members = board_meeting(size=7, present=4, represented=1, place="Salle du conseil")
    mark(meeting, [members[5]], AttendanceStatus.EXCUSED)
    AgendaItem.objects.create(meeting=meeting, position=1, title="Convention MSP")
    AgendaItem.objects.create(meeting=meeting, position=2, title="Questions diverses")
    resolution = resolution_of(meeting, title="Convention MSP", text=RESOLUTION_TEXT)
    record_vote(resolution, 4, 1, 0, by=None)
    resolution_of(meeting, title="Local", text="Location d'un local.")
    return meeting


def test_draft_is_built_from_the_meeting(president) -> None:
    meeting = voted_meeting()
    secretary = MemberFactory.create(last_name="Secrétan", first_name="Sophie")
    Mandate.objects.create(
        member=secretary,
        body=body_of(BodyKind.BUREAU),
        role=MandateRole.SECRETAIRE,
        start_date=timezone.localdate() - timedelta(days=100),
    )
    minutes = draft_minutes(meeting, by=president)
    text = minutes.text
    assert RESOLUTION_TEXT in text
    assert "Présents : 4 — représentés : 1 — excusés : 1 — absents : 0." in text
    assert "Quorum atteint : 5 votants présents ou représentés sur 7 (4 requis)." in text
    assert "4 pour, 1 contre, 0 abstention(s), sur 5 votants" in text
    assert "résolution adoptée" in text
    assert "Non soumise au vote." in text
    assert text.index("Convention MSP") < text.index("Questions diverses")
    assert "Salle du conseil" in text
    assert minutes.secretary_name == secretary.display_name
    assert minutes.chair_name  # the president persona's Bureau mandate
    assert minutes.edited_by == president


def test_redraft_replaces_a_draft_but_not_approved_minutes() -> None:
    meeting = voted_meeting()
    minutes = draft_minutes(meeting, by=None)
    update_minutes(minutes, "Texte réécrit.", "Anne Présidente", "Paul Secrétaire", by=None)
    again = draft_minutes(meeting, by=None)
    assert again.pk == minutes.pk
    assert RESOLUTION_TEXT in again.text
    assert again.chair_name == "Anne Présidente"  # the names typed by the secretary stay
    later = Meeting.objects.create(
        body=meeting.body, title="CA suivant", starts_at=timezone.now() - timedelta(minutes=5)
    )
    approve_minutes(again, later, by=None)
    with pytest.raises(ValidationError, match="approuvé"):
        draft_minutes(meeting, by=None)
    with pytest.raises(ValidationError, match="approuvé"):
        update_minutes(again, "Autre", "", "", by=None)


def test_no_draft_before_the_meeting() -> None:
    meeting, _members = board_meeting(days_ago=-3)
    with pytest.raises(ValidationError, match="pas encore eu lieu"):
        draft_minutes(meeting, by=None)


def test_approval_rules() -> None:
    meeting = voted_meeting()
    minutes = draft_minutes(meeting, by=None)
    now = timezone.now()
    other_body = Meeting.objects.create(
        body=body_of(BodyKind.BUREAU), title="Bureau", starts_at=now - timedelta(minutes=10)
    )
    earlier = Meeting.objects.create(
        body=meeting.body, title="CA précédent", starts_at=meeting.starts_at - timedelta(days=60)
    )
    future = Meeting.objects.create(
        body=meeting.body, title="CA futur", starts_at=now + timedelta(days=30)
    )
    for refused, message in [
        (other_body, "même instance"),
        (earlier, "postérieure"),
        (future, "doit avoir commencé"),
    ]:
        with pytest.raises(ValidationError, match=message):
            approve_minutes(minutes, refused, by=None)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.DRAFT
    later = Meeting.objects.create(
        body=meeting.body, title="CA suivant", starts_at=now - timedelta(minutes=5)
    )
    approve_minutes(minutes, later, by=None)
    minutes.refresh_from_db()
    meeting.refresh_from_db()
    assert minutes.status == MinutesStatus.APPROVED
    assert minutes.approved_at == later
    assert minutes.approved_on == timezone.localdate(later.starts_at)
    assert meeting.status == MeetingStatus.MINUTES_APPROVED


def _build_pdf(minutes: Minutes) -> str:
    document = GeneratedDocument.objects.create(
        kind="meeting_minutes", parameters={"minutes": minutes.pk}
    )
    _name, content = build_meeting_minutes(document, lambda progress, step: None)
    return pdf_text(content)


def test_pdf_has_the_text_counts_and_signatures(association) -> None:
    minutes = draft_minutes(voted_meeting(), by=None)
    text = _build_pdf(minutes)
    assert RESOLUTION_TEXT in text
    assert "Signature" in text
    assert "secrétaire de séance" in text
    assert "Brouillon" in text
    assert "Adoptée" in text
    later = Meeting.objects.create(
        body=minutes.meeting.body, title="CA suivant", starts_at=timezone.now()
    )
    approve_minutes(minutes, later, by=None)
    assert "Brouillon" not in _build_pdf(minutes)


def test_minutes_pages(client, president, tresorier, adherent, referent) -> None:
    meeting = voted_meeting()
    page = reverse("meeting_minutes", args=[meeting.pk])
    client.force_login(tresorier)
    response = client.get(page)
    assert response.status_code == 200
    assert "Rédiger le projet" not in response.content.decode()  # reads only
    assert client.post(reverse("minutes_draft", args=[meeting.pk])).status_code == 403
    client.force_login(referent)
    assert client.get(page).status_code == 404
    client.force_login(president)
    assert "Rédiger le projet" in client.get(page).content.decode()
    assert client.post(reverse("minutes_draft", args=[meeting.pk])).status_code == 302
    minutes = Minutes.objects.get(meeting=meeting)
    response = client.post(
        reverse("minutes_edit", args=[meeting.pk]),
        {"text": "## Décisions\nTexte relu.", "chair_name": "A. B.", "secretary_name": "C. D."},
    )
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.text.startswith("## Décisions")
    response = client.post(reverse("minutes_edit", args=[meeting.pk]), {"text": " "})
    assert response.status_code == 200
    # A draft is not for every adherent.
    public = reverse("minutes_public", args=[minutes.pk])
    client.force_login(adherent)
    assert client.get(public).status_code == 404
    later = Meeting.objects.create(
        body=meeting.body, title="CA suivant", starts_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(president)
    client.post(reverse("minutes_approve", args=[meeting.pk]), {"at_meeting": later.pk})
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.APPROVED
    client.force_login(adherent)
    response = client.get(public)
    assert response.status_code == 200
    assert "Texte relu." in response.content.decode()
    assert client.get(reverse("minutes_public_pdf", args=[minutes.pk])).status_code == 404


def test_pdf_request_then_public_download(
    client, association, president, adherent, django_capture_on_commit_callbacks
) -> None:
    meeting = voted_meeting()
    minutes = draft_minutes(meeting, by=None)
    approve_minutes(
        minutes,
        Meeting.objects.create(body=meeting.body, title="CA suivant", starts_at=timezone.now()),
        by=None,
    )
    client.force_login(president)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("minutes_pdf_request", args=[meeting.pk]))
    document = GeneratedDocument.objects.filter(kind="meeting_minutes").latest("pk")
    assert document.requested_by == president
    assert response["Location"] == reverse("document_detail", args=[document.pk])
    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.DONE, document.error_message
    client.force_login(adherent)
    response = client.get(reverse("minutes_public_pdf", args=[minutes.pk]))
    assert response.status_code == 200
    assert RESOLUTION_TEXT in pdf_text(b"".join(response.streaming_content))


# --- The approved PDF, requested by the approval ---


def test_approval_requests_the_pdf_adherents_download(
    client, association, president, adherent, django_capture_on_commit_callbacks
) -> None:
    meeting = voted_meeting()
    minutes = draft_minutes(meeting, by=None)
    later = Meeting.objects.create(body=meeting.body, title="CA suivant", starts_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        approve_minutes(minutes, later, by=president)
    document = GeneratedDocument.objects.get(kind="meeting_minutes")
    assert document.parameters == {"minutes": minutes.pk}
    assert document.requested_by == president
    assert document.status == GeneratedDocument.Status.DONE, document.error_message
    client.force_login(adherent)
    page = client.get(reverse("minutes_public", args=[minutes.pk])).content.decode()
    assert reverse("minutes_public_pdf", args=[minutes.pk]) in page
    response = client.get(reverse("minutes_public_pdf", args=[minutes.pk]))
    text = pdf_text(b"".join(response.streaming_content))
    assert RESOLUTION_TEXT in text
    assert "Brouillon" not in text


def test_a_refused_approval_requests_no_pdf() -> None:
    meeting = voted_meeting()
    minutes = draft_minutes(meeting, by=None)
    other = Meeting.objects.create(
        body=body_of(BodyKind.BUREAU), title="Bureau", starts_at=timezone.now()
    )
    with pytest.raises(ValidationError):
        approve_minutes(minutes, other, by=None)
    assert not GeneratedDocument.objects.filter(kind="meeting_minutes").exists()


def test_the_draft_pdf_is_not_offered_once_approved(client, association, adherent) -> None:
    meeting = voted_meeting()
    minutes = draft_minutes(meeting, by=None)
    draft_pdf = GeneratedDocument.objects.create(
        kind="meeting_minutes", parameters={"minutes": minutes.pk}
    )
    _name, content = build_meeting_minutes(draft_pdf, lambda progress, step: None)
    draft_pdf.file.save("brouillon.pdf", ContentFile(content))
    draft_pdf.status = GeneratedDocument.Status.DONE
    draft_pdf.finished_at = timezone.now()
    draft_pdf.save()
    assert latest_pdf(minutes) == draft_pdf
    later = Meeting.objects.create(body=meeting.body, title="CA suivant", starts_at=timezone.now())
    approve_minutes(minutes, later, by=None)  # its PDF job has not run yet
    minutes.refresh_from_db()
    assert latest_pdf(minutes) is None
    client.force_login(adherent)
    assert client.get(reverse("minutes_public_pdf", args=[minutes.pk])).status_code == 404


# --- Signatures and titles ---


def describe(parameters: dict[str, object]) -> str:
    kind_describe = get_kind("meeting_minutes").describe
    assert kind_describe is not None
    return kind_describe(parameters)


def test_draft_text_has_no_signature_lines() -> None:
    minutes = draft_minutes(voted_meeting(), by=None)
    lowered = minutes.text.lower()
    assert "signature" not in lowered
    assert "de séance" not in minutes.text.splitlines()[-1].lower()
    assert not any(line.strip().lower().endswith("de séance") for line in minutes.text.splitlines())


def test_signatures_stay_with_the_end_of_the_text(association) -> None:
    minutes = draft_minutes(voted_meeting(), by=None)
    # A text just long enough to push the signatures to the next page.
    paragraphs = [f"Paragraphe {n} : " + "débat sur le projet de santé. " * 12 for n in range(9)]
    update_minutes(
        minutes,
        "\n\n".join([*paragraphs, "La séance est levée à 20 h 30."]),
        "Anne Présidente",
        "Paul Secrétaire",
        by=None,
    )
    document = GeneratedDocument.objects.create(
        kind="meeting_minutes", parameters={"minutes": minutes.pk}
    )
    _name, content = build_meeting_minutes(document, lambda progress, step: None)
    pages = [
        normalize_whitespace(page)
        for page in _run_on_pdf(
            content, ["pdftotext", "-enc", "UTF-8", "-q", PDF_PLACEHOLDER, "-"]
        ).split("\f")
    ]
    with_signatures = [page for page in pages if "Signature" in page]
    assert len(with_signatures) == 1
    assert "Paragraphe 0" not in with_signatures[0]  # the text does run over two pages
    assert "La séance est levée à 20 h 30." in with_signatures[0]
    assert "Anne Présidente" in with_signatures[0]


def test_dated_title_keeps_a_single_date(client, association, adherent) -> None:
    meeting = voted_meeting()
    day = timezone.localtime(meeting.starts_at)
    meeting.title = f"Conseil d'administration du {day:%d/%m/%Y}"
    meeting.save()
    minutes = draft_minutes(meeting, by=None)
    later = Meeting.objects.create(body=meeting.body, title="CA suivant", starts_at=timezone.now())
    approve_minutes(minutes, later, by=None)
    assert describe({"minutes": minutes.pk}) == meeting.title
    client.force_login(adherent)
    page = client.get(reverse("minutes_public", args=[minutes.pk])).content.decode()
    assert f"Procès-verbal — Conseil d&#x27;administration du {day:%d/%m/%Y}</h1>" in page
    assert f"du {day:%d/%m/%Y} du" not in page
    document = GeneratedDocument.objects.create(
        kind="meeting_minutes", parameters={"minutes": minutes.pk}
    )
    _name, content = build_meeting_minutes(document, lambda progress, step: None)
    text = pdf_text(content)
    # The title says the date once; the line under it gives the time and the place.
    assert (
        f"Procès-verbal — Conseil d'administration du {day:%d/%m/%Y} {day:%H}h{day:%M} — "
        "Salle du conseil"
    ) in text
    assert f"du {day:%d/%m/%Y} du" not in text


def test_undated_title_gets_its_date() -> None:
    meeting = voted_meeting()
    minutes = draft_minutes(meeting, by=None)
    day = timezone.localtime(meeting.starts_at)
    assert describe({"minutes": minutes.pk}) == (f"Conseil d'administration du {day:%d/%m/%Y}")
