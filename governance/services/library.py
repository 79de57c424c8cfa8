"""Writes of the shared-document library (audited through django-auditlog on save and
delete). Files are checked like the meetings' documents: an accepted type whose content
matches its extension, 10 Mo at most."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from governance.models import (
    BodyKind,
    SharedDocument,
    SharedDocumentCategory,
    SharedDocumentVisibility,
)
from governance.services.mandates import acting
from governance.services.meetings import check_document


def _check(document: SharedDocument) -> None:
    errors: dict[str, str] = {}
    document.title = (document.title or "").strip()
    if not document.title:
        errors["title"] = _("Indiquez le titre du document.")
    if document.category not in SharedDocumentCategory.values:
        errors["category"] = _("Choisissez la catégorie du document.")
    if document.visibility == SharedDocumentVisibility.BODY:
        if document.body is None:
            errors["body"] = _("Choisissez l'instance dont les membres verront le document.")
        elif document.body.kind == BodyKind.GROUP and document.body.archived_on is not None:
            errors["body"] = _("Ce groupe de travail est archivé : choisissez une autre instance.")
    elif document.visibility == SharedDocumentVisibility.MEMBERS:
        document.body = None
    else:
        errors["visibility"] = _("Choisissez qui voit le document.")
    if errors:
        raise ValidationError(errors)


def _store(document: SharedDocument, upload: UploadedFile) -> None:
    check_document(upload)
    document.file.save(PurePath(upload.name or "document").name, upload, save=False)


@transaction.atomic
def save_shared_document(
    document: SharedDocument, *, upload: UploadedFile | None = None, by: Any = None
) -> SharedDocument:
    """Create ``document`` (a file is required) or update it (a new file replaces the old
    one, deleted once the transaction commits)."""
    _check(document)
    previous = None
    if document.pk:
        previous = SharedDocument.objects.select_for_update().get(pk=document.pk).file.name
    if upload is not None:
        _store(document, upload)
    elif not document.pk:
        raise ValidationError({"file": _("Choisissez le fichier à partager.")})
    if by is not None and getattr(by, "is_authenticated", False) and not document.uploaded_by_id:
        document.uploaded_by = by
    with acting(by):
        document.save()
    if previous and previous != document.file.name:
        storage = document.file.storage
        transaction.on_commit(lambda: storage.delete(previous))
    return document


@transaction.atomic
def delete_shared_document(document: SharedDocument, *, by: Any = None) -> None:
    stored, storage = document.file.name, document.file.storage
    with acting(by):
        document.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
