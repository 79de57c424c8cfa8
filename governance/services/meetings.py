"""Writes of meetings and their agenda: create and edit a meeting, agenda items (add, edit,
delete, reorder) and their documents, then declare it held or cancel it. Every write is atomic
and audited (django-auditlog, governance/audit.py)."""

from __future__ import annotations

import datetime
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cpts.models import User
from governance.models import (
    AgendaDocument,
    AgendaItem,
    BodyKind,
    Meeting,
    MeetingStatus,
)

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_EXTENSIONS = frozenset(
    {
        ".pdf",
        ".doc",
        ".docx",
        ".odt",
        ".xls",
        ".xlsx",
        ".ods",
        ".ppt",
        ".pptx",
        ".odp",
        ".txt",
        ".csv",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
    }
)
# A meeting in these statuses no longer changes its details.
CLOSED_STATUSES = (MeetingStatus.CANCELLED, MeetingStatus.MINUTES_APPROVED)
# Once held (or cancelled), the agenda is what was discussed: it no longer changes.
AGENDA_LOCKED_STATUSES = (
    MeetingStatus.HELD,
    MeetingStatus.MINUTES_APPROVED,
    MeetingStatus.CANCELLED,
)

MEETING_FIELDS = (
    "body",
    "title",
    "starts_at",
    "ends_at",
    "place",
    "video_url",
    "ag_kind",
    "second_convocation_of",
    "notes",
)


def check_meeting(meeting: Meeting) -> None:
    """The rules a meeting's details follow (French messages naming the field)."""
    errors: dict[str, str] = {}
    if meeting.ends_at and meeting.starts_at and meeting.ends_at <= meeting.starts_at:
        errors["ends_at"] = _("La fin doit être postérieure au début de la réunion.")
    is_ag = meeting.body_id is not None and meeting.body.kind == BodyKind.AG
    if is_ag and not meeting.ag_kind:
        errors["ag_kind"] = _("Indiquez la nature de l'AG (ordinaire ou extraordinaire).")
    if not is_ag and meeting.ag_kind:
        errors["ag_kind"] = _("Seule une assemblée générale a une nature (ordinaire, etc.).")
    first = meeting.second_convocation_of
    if first is not None:
        if not is_ag or first.body_id != meeting.body_id:
            errors["second_convocation_of"] = _(
                "Une seconde convocation se rattache à une AG précédente."
            )
        elif meeting.pk and first.pk == meeting.pk:
            errors["second_convocation_of"] = _(
                "Une réunion ne peut être sa propre seconde convocation."
            )
        elif meeting.starts_at and first.starts_at >= meeting.starts_at:
            errors["second_convocation_of"] = _(
                "La seconde convocation doit avoir lieu après la première AG."
            )
    if errors:
        raise ValidationError(errors)


def _refuse_if_closed(meeting: Meeting) -> None:
    if meeting.status in CLOSED_STATUSES:
        raise ValidationError(
            _("Cette réunion est %(status)s : elle ne peut plus être modifiée.")
            % {"status": meeting.get_status_display().lower()}
        )


def agenda_locked_reason(meeting: Meeting) -> str | None:
    """Why the agenda of ``meeting`` can no longer change, or None."""
    if meeting.status == MeetingStatus.CANCELLED:
        return _("Cette réunion est annulée : son ordre du jour ne peut plus être modifié.")
    if meeting.status in AGENDA_LOCKED_STATUSES:
        return _(
            "Cette réunion s'est tenue : son ordre du jour et ses documents ne peuvent plus "
            "être modifiés."
        )
    return None


def _refuse_if_agenda_locked(meeting: Meeting) -> None:
    reason = agenda_locked_reason(meeting)
    if reason:
        raise ValidationError(reason)


def _touch(meeting: Meeting) -> None:
    """Date a change of the agenda on the meeting itself: the meeting page then tells that the
    invitees of a convened meeting have not received it, and the next .ics sent carries a
    higher SEQUENCE."""
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=now)
    meeting.updated_at = now


@transaction.atomic
def create_meeting(data: dict[str, Any], *, by: User | None = None) -> Meeting:
    meeting = Meeting(**{name: data.get(name) for name in MEETING_FIELDS if name in data})
    for name in ("place", "video_url", "ag_kind", "notes"):
        setattr(meeting, name, getattr(meeting, name) or "")
    check_meeting(meeting)
    meeting.save()
    return meeting


@transaction.atomic
def update_meeting(meeting: Meeting, data: dict[str, Any], *, by: User | None = None) -> Meeting:
    _refuse_if_closed(meeting)
    for name in MEETING_FIELDS:
        if name in data:
            value = data[name]
            if name in ("place", "video_url", "ag_kind", "notes"):
                value = value or ""
            setattr(meeting, name, value)
    check_meeting(meeting)
    meeting.save()
    return meeting


# --- Agenda ---------------------------------------------------------------------------


@transaction.atomic
def add_agenda_item(
    meeting: Meeting, *, title: str, description: str = "", needs_vote: bool = False
) -> AgendaItem:
    _refuse_if_agenda_locked(meeting)
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"]
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=(last or 0) + 1,
        title=title,
        description=description,
        needs_vote=needs_vote,
    )
    _touch(meeting)
    return item


@transaction.atomic
def update_agenda_item(
    item: AgendaItem, *, title: str, description: str = "", needs_vote: bool = False
) -> AgendaItem:
    _refuse_if_agenda_locked(item.meeting)
    item.title = title
    item.description = description
    item.needs_vote = needs_vote
    item.save()
    _touch(item.meeting)
    return item


def _renumber(meeting: Meeting) -> None:
    for number, item in enumerate(meeting.agenda_items.order_by("position", "pk"), start=1):
        if item.position != number:
            item.position = number
            item.save(update_fields=["position", "updated_at"])


@transaction.atomic
def delete_agenda_item(item: AgendaItem) -> None:
    meeting = item.meeting
    _refuse_if_agenda_locked(meeting)
    for document in item.documents.all():
        delete_agenda_document(document)
    item.delete()
    _renumber(meeting)
    _touch(meeting)


@transaction.atomic
def move_agenda_item(item: AgendaItem, direction: str) -> AgendaItem:
    """Swap ``item`` with its neighbour (``direction`` "up" or "down"); at an end, nothing."""
    meeting = item.meeting
    _refuse_if_agenda_locked(meeting)
    _renumber(meeting)
    items = list(meeting.agenda_items.order_by("position", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        other = items[target]
        items[index].position, other.position = other.position, items[index].position
        items[index].save(update_fields=["position", "updated_at"])
        other.save(update_fields=["position", "updated_at"])
        _touch(meeting)
    return items[index]


_ZIP = (b"PK\x03\x04",)  # OOXML (.docx, .xlsx, .pptx) and ODF (.odt, .ods, .odp)
_OLE = (b"\xd0\xcf\x11\xe0",)  # legacy .doc, .xls, .ppt
# What a file of each type starts with.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF8",),
    ".rtf": (b"{\\rtf",),
    **dict.fromkeys((".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"), _ZIP),
    **dict.fromkeys((".doc", ".xls", ".ppt"), _OLE),
}
TEXT_EXTENSIONS = frozenset({".txt", ".csv"})


def _content_matches(upload: UploadedFile, suffix: str) -> bool:
    upload.seek(0)
    content = upload.read() if suffix in TEXT_EXTENSIONS else upload.read(1024)
    upload.seek(0)
    if suffix in TEXT_EXTENSIONS:
        # latin-1 decodes any byte: a text file is told from a binary one by its NUL bytes.
        return b"\x00" not in content
    if suffix == ".pdf":
        return b"%PDF-" in content  # the header may follow a few bytes of junk
    if suffix == ".webp":
        return content[:4] == b"RIFF" and content[8:12] == b"WEBP"
    if suffix == ".heic":
        return content[4:8] == b"ftyp"
    return content.startswith(SIGNATURES.get(suffix, (b"",)))


def check_content(upload: UploadedFile, field_name: str = "file") -> None:
    """Refuse a file whose content is not of the type its extension declares (an executable
    renamed ``.pdf``): French error on ``field_name``."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if not _content_matches(upload, suffix):
        raise ValidationError(
            {
                field_name: _(
                    "Le contenu du fichier ne correspond pas à son extension (%(extension)s)."
                )
                % {"extension": suffix}
            }
        )


def check_document(upload: UploadedFile) -> None:
    name = upload.name or ""
    if PurePath(name).suffix.lower() not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            {
                "file": _(
                    "Format de fichier non accepté : déposez un PDF, un document bureautique "
                    "(Word, Excel, PowerPoint, LibreOffice, texte) ou une image."
                )
            }
        )
    if (upload.size or 0) > MAX_DOCUMENT_BYTES:
        raise ValidationError({"file": _("Le fichier dépasse la taille maximale de 10 Mo.")})
    check_content(upload)


@transaction.atomic
def add_agenda_document(
    item: AgendaItem, *, title: str, upload: UploadedFile, by: User | None = None
) -> AgendaDocument:
    _refuse_if_agenda_locked(item.meeting)
    check_document(upload)
    title = title.strip() or PurePath(upload.name or "").stem or _("Document")
    document = AgendaDocument(item=item, title=title[:200], uploaded_by=by)
    document.file.save(PurePath(upload.name or "document").name, upload, save=False)
    document.save()
    _touch(item.meeting)
    return document


@transaction.atomic
def delete_agenda_document(document: AgendaDocument) -> None:
    meeting = document.item.meeting
    _refuse_if_agenda_locked(meeting)
    stored = document.file.name
    storage = document.file.storage
    document.delete()
    _touch(meeting)
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


# --- Life of a meeting ------------------------------------------------------------------


@transaction.atomic
def mark_held(meeting: Meeting, *, now: datetime.datetime | None = None) -> Meeting:
    now = now or timezone.now()
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.CONVENED):
        raise ValidationError(
            _("Seule une réunion planifiée ou convoquée peut être déclarée tenue.")
        )
    if meeting.starts_at > now:
        raise ValidationError(_("Une réunion ne peut être déclarée tenue avant son début."))
    meeting.status = MeetingStatus.HELD
    meeting.held_at = now
    meeting.save()
    return meeting


@transaction.atomic
def cancel(meeting: Meeting, reason: str, *, by: User | None = None) -> Meeting:
    """Cancel a planned or convened meeting; the invitees of a convened one are told why."""
    from governance.services.convocations import send_cancellation

    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.CONVENED):
        raise ValidationError(_("Seule une réunion planifiée ou convoquée peut être annulée."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif de l'annulation.")})
    was_convened = meeting.status == MeetingStatus.CONVENED
    meeting.status = MeetingStatus.CANCELLED
    # The model has no field for the reason: it is kept with the practical information.
    note = _("Réunion annulée le %(date)s : %(reason)s") % {
        "date": timezone.localdate().strftime("%d/%m/%Y"),
        "reason": reason,
    }
    meeting.notes = f"{meeting.notes}\n\n{note}".strip()
    meeting.save()
    if was_convened:
        send_cancellation(meeting, reason, by=by)
    return meeting
