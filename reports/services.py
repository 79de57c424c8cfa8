"""Writes of the reports app: attach a generated AG activity report to the agenda of an
upcoming general assembly, so that it travels with the convocation (the governance app's own
``add_agenda_document`` checks the agenda is still open and the file is a real PDF)."""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from cpts.models import GeneratedDocument, User
from governance.models import AgendaDocument, AgendaItem, BodyKind
from governance.services.meetings import add_agenda_document
from reports.documents import AG_KIND


@transaction.atomic
def attach_to_convocation(
    document: GeneratedDocument, item: AgendaItem, *, title: str, by: User | None = None
) -> AgendaDocument:
    """Copy the report's PDF onto ``item`` of an AG meeting. French ValidationError when the
    document is not a finished AG report or the item is not on an AG's agenda."""
    if document.kind != AG_KIND or document.status != GeneratedDocument.Status.DONE:
        raise ValidationError(_("Seul un rapport pour l'AG terminé peut être joint."))
    if not document.file:
        raise ValidationError(_("Le fichier de ce rapport n'est plus disponible."))
    if item.meeting.body.kind != BodyKind.AG:
        raise ValidationError(
            {"item": _("Choisissez un point de l'ordre du jour d'une assemblée générale.")}
        )
    try:
        with document.file.open("rb") as stored:
            content = stored.read()
    except OSError as error:
        raise ValidationError(_("Le fichier de ce rapport n'est plus disponible.")) from error
    upload = SimpleUploadedFile(
        PurePath(document.file.name).name, content, content_type="application/pdf"
    )
    return add_agenda_document(item, title=title, upload=upload, by=by)
