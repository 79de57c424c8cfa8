"""The documents shared with members: who sees what (every adherent, the members of a body,
the coordination), uploads checked (type, content, size), approved minutes listed from the
meetings, the coordination's pages."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cpts.models import User
from governance.models import (
    BodyKind,
    Minutes,
    MinutesStatus,
    SharedDocument,
    SharedDocumentCategory,
    SharedDocumentVisibility,
)
from governance.selectors.library import category_counts, library_page, visible_documents
from governance.services.library import delete_shared_document, save_shared_document
from members.models import Member
from members.models.members import MemberStatus
from tests.factories import MemberFactory
from tests.governance.test_meetings import body, group, make_meeting, seat, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(adherent: User, association) -> Member:
    return MemberFactory.create(user=adherent, email=adherent.email)


def share(title: str, *, category: str = "statutes", instance=None, by=None) -> SharedDocument:
    document = SharedDocument(
        title=title,
        category=category,
        visibility=SharedDocumentVisibility.BODY if instance else SharedDocumentVisibility.MEMBERS,
        body=instance,
    )
    return save_shared_document(document, upload=upload(f"{title[:20]}.pdf"), by=by)


def approved(meeting_title: str, days: int = -30) -> Minutes:
    meeting = make_meeting(BodyKind.CA, days=days, title=meeting_title)
    return Minutes.objects.create(
        meeting=meeting,
        text="Texte",
        status=MinutesStatus.APPROVED,
        approved_on=datetime.date(2026, 1, 10),
    )


# --- Visibility ------------------------------------------------------------------------------


def test_members_documents_for_all_body_documents_for_its_members(
    own: Member, adherent: User, coordinator: User
):
    ca = body(BodyKind.CA)
    statutes = share("Statuts 2024")
    board_only = share("Budget prévisionnel du CA", category="plans", instance=ca)
    assert set(visible_documents(adherent, own)) == {statutes}
    seat(own, ca, role="administrateur")
    assert set(visible_documents(adherent, own)) == {statutes, board_only}
    # The coordination sees everything, whatever its mandates.
    assert set(visible_documents(coordinator, None)) == {statutes, board_only}


def test_an_ended_mandate_or_a_departed_member_no_longer_sees_body_documents(
    own: Member, adherent: User
):
    instance = group("Groupe parcours")
    mandate = seat(own, instance)
    document = share("Plan d'action du groupe", category="plans", instance=instance)
    assert document in visible_documents(adherent, own)
    mandate.end_date = datetime.date(2021, 1, 1)
    mandate.save()
    assert document not in visible_documents(adherent, own)
    seat(own, instance)
    own.status = MemberStatus.DEPARTED
    own.departed_on = datetime.date(2025, 1, 1)
    own.save()
    assert document not in visible_documents(adherent, own)


def test_approved_minutes_are_listed_automatically_drafts_are_not(own: Member, adherent: User):
    approved("CA de janvier")
    meeting = make_meeting(BodyKind.CA, days=-10, title="CA de mars")
    Minutes.objects.create(meeting=meeting, text="Brouillon")
    share("PV scanné de l'AG 2019", category="minutes")
    _page, entries = library_page(adherent, own, SharedDocumentCategory.MINUTES, 1)
    titles = [e.title for e in entries]
    assert titles == ["PV scanné de l'AG 2019", "CA de janvier"]
    counts = {row.category: row.count for row in category_counts(adherent, own)}
    assert counts["minutes"] == 2 and counts["statutes"] == 0


# --- Uploads -----------------------------------------------------------------------------


def test_an_upload_must_be_an_accepted_type_with_matching_content(association):
    document = SharedDocument(title="Statuts", category="statutes")
    with pytest.raises(ValidationError) as error:
        save_shared_document(document, upload=SimpleUploadedFile("virus.exe", b"MZ" * 10))
    assert "Format de fichier non accepté" in error.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as error:
        save_shared_document(document, upload=SimpleUploadedFile("faux.pdf", b"MZ\x90\x00"))
    assert "ne correspond pas à son extension" in error.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as error:
        save_shared_document(document, upload=upload(size=11 * 1024 * 1024))
    assert "10 Mo" in error.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as error:
        save_shared_document(document)
    assert error.value.message_dict["file"] == ["Choisissez le fichier à partager."]
    assert not SharedDocument.objects.exists()


def test_body_visibility_needs_a_body_and_the_changes_are_audited(association, coordinator):
    document = SharedDocument(title="Plan", category="plans", visibility="body")
    with pytest.raises(ValidationError) as error:
        save_shared_document(document, upload=upload())
    assert "instance" in error.value.message_dict["body"][0]
    document = share("Règlement intérieur", category="rules", by=coordinator)
    assert document.uploaded_by == coordinator
    old_name = document.file.name
    document.title = "Règlement intérieur 2026"
    save_shared_document(document, upload=upload("ri-2026.pdf"), by=coordinator)
    assert document.file.name != old_name
    entries = LogEntry.objects.get_for_object(document)
    assert entries.count() == 2 and entries.first().actor == coordinator
    delete_shared_document(document, by=coordinator)
    assert not SharedDocument.objects.exists()


# --- Pages -------------------------------------------------------------------------------


def test_an_adherent_reads_and_opens_a_document_but_not_a_hidden_one(own: Member, adherent: User):
    statutes = share("Statuts de la CPTS")
    hidden = share("Notes du bureau", category="other", instance=body(BodyKind.BUREAU))
    client = Client()
    client.force_login(adherent)
    page = client.get(reverse("shared_documents")).content.decode()
    assert "Statuts de la CPTS" in page and "Notes du bureau" not in page
    response = client.get(reverse("shared_document_download", args=[statutes.pk]))
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response.status_code == 200 and content.startswith(b"%PDF")
    assert client.get(reverse("shared_document_download", args=[hidden.pk])).status_code == 404
    bad = client.get(reverse("shared_documents"), {"categorie": "x", "page": "abc"})
    assert bad.status_code == 200


def test_the_coordination_uploads_from_its_page(coordinator: User, association):
    client = Client()
    client.force_login(coordinator)
    url = reverse("shared_document_manage")
    response = client.post(
        url,
        {
            "title": "Projet de santé 2025-2030",
            "category": "plans",
            "published_on": "2025-09-01",
            "visibility": "members",
            "file": upload("projet.pdf"),
        },
    )
    assert response.status_code == 302
    document = SharedDocument.objects.get()
    assert document.title == "Projet de santé 2025-2030" and document.body is None
    response = client.post(
        url,
        {
            "title": "Script",
            "category": "plans",
            "published_on": "2025-09-01",
            "visibility": "members",
            "file": SimpleUploadedFile("script.sh", b"#!/bin/sh"),
        },
    )
    assert response.status_code == 400
    assert "Format de fichier non accepté" in response.content.decode()
    edit = reverse("shared_document_edit", args=[document.pk])
    response = client.post(
        edit,
        {"title": "", "category": "plans", "published_on": "2025-09-01", "visibility": "members"},
    )
    assert response.status_code == 400
    assert SharedDocument.objects.get().title == "Projet de santé 2025-2030"
    client.post(reverse("shared_document_delete", args=[document.pk]))
    assert not SharedDocument.objects.exists()
