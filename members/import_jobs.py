"""The confirmation of a large member import, run as a background job (a GeneratedDocument
of kind ``member_import``) so that the page never waits for it. The job imports the file kept
since the preview, all or nothing, and produces the row-by-row outcome as a CSV file.

Progress is reported before and after the import: the import itself is one transaction, and
what it writes (progress included) is only visible to other connections once it commits."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpts.importing import ImportFileError, changed_since_preview
from cpts.jobs import ProgressCallback, document_kind
from cpts.models import GeneratedDocument, User
from cpts.services.documents import DocumentError
from members.importing import read_member_file
from members.services.imports import discard_pending, load_pending, report_csv, run_import

MEMBER_IMPORT_KIND = "member_import"


def _describe(parameters: dict[str, Any]) -> str:
    return _("Fichier %(name)s") % {"name": parameters.get("filename", "")}


@document_kind(
    MEMBER_IMPORT_KIND,
    label=gettext_lazy("Import de membres"),
    permission="members.manage",
    describe=_describe,
)
def build_member_import(document: GeneratedDocument, report: ProgressCallback) -> tuple[str, bytes]:
    token = str(document.parameters.get("token", ""))
    filename = str(document.parameters.get("filename", ""))
    report(5, _("Lecture du fichier"))
    content = load_pending(token)
    if content is None:
        raise DocumentError(
            _("Le fichier de cet import n'est plus disponible : déposez-le à nouveau.")
        )
    try:
        dataset = read_member_file(content, filename)
    except ImportFileError as error:
        discard_pending(token)
        raise DocumentError(str(error)) from error
    report(10, _("Import de %(count)s lignes (tout ou rien)") % {"count": len(dataset)})
    user = document.requested_by if isinstance(document.requested_by, User) else None
    outcome = run_import(dataset, dry_run=False, user=user)
    discard_pending(token)
    if outcome.has_errors:
        raise DocumentError(changed_since_preview(outcome.summary, outcome.errors))
    report(95, outcome.summary)
    return "bilan-import-membres.csv", report_csv(outcome)
