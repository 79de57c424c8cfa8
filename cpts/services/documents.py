"""Writes of the job pipeline: run one GeneratedDocument to completion or failure."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from cpts.jobs import get_kind
from cpts.models import GeneratedDocument

logger = logging.getLogger(__name__)
Status = GeneratedDocument.Status


class DocumentError(Exception):
    """A failure whose message is French and safe to show to the person who asked."""


def _update(document_id: int, **fields: object) -> None:
    GeneratedDocument.objects.filter(pk=document_id).update(updated_at=timezone.now(), **fields)


def run_document(document_id: int) -> str:
    """Build a queued document. Returns its final status. Never raises: a failure is
    recorded on the row with a French message, and logged with its traceback."""
    document = GeneratedDocument.objects.filter(pk=document_id).first()
    if document is None or document.is_finished:
        return document.status if document else "missing"
    _update(document.pk, status=Status.RUNNING, started_at=timezone.now(), progress=0)

    def report(progress: int, step: str) -> None:
        _update(document.pk, progress=max(0, min(int(progress), 99)), step=step)

    try:
        kind = get_kind(document.kind)
        filename, content = kind.builder(document, report)
    except DocumentError as exc:
        message = str(exc)
    except Exception:
        logger.exception("Document %s (%s) failed", document.pk, document.kind)
        message = _(
            "La génération a échoué à cause d'une erreur interne. L'équipe technique a été "
            "prévenue ; vous pouvez relancer la génération."
        )
    else:
        document.file.save(filename, ContentFile(content), save=False)
        _update(
            document.pk,
            file=document.file.name,
            status=Status.DONE,
            progress=100,
            step=_("Terminé"),
            finished_at=timezone.now(),
        )
        return Status.DONE
    _update(
        document.pk,
        status=Status.FAILED,
        error_message=message,
        step=_("Échec"),
        finished_at=timezone.now(),
    )
    return Status.FAILED
