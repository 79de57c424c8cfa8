"""The confirmation of an import of indicator values, run as a background job (a
GeneratedDocument of kind ``indicator_import``) with the generic progress page. The job imports
the file kept since the preview, all or nothing, and produces the row-by-row outcome as a CSV
file; the contract lines that follow an imported indicator are brought up to date on the way
(``record_measurements``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpts.importing import ImportFileError, changed_since_preview
from cpts.jobs import ProgressCallback, document_kind
from cpts.models import GeneratedDocument, User
from cpts.services.documents import DocumentError
from indicators.importing import read_indicator_file
from indicators.services.imports import report_csv, run_import
from members.services.imports import discard_pending, load_pending

INDICATOR_IMPORT_KIND = "indicator_import"


def _describe(parameters: dict[str, Any]) -> str:
    return _("Fichier %(name)s") % {"name": parameters.get("filename", "")}


@document_kind(
    INDICATOR_IMPORT_KIND,
    label=gettext_lazy("Import de valeurs d'indicateurs"),
    permission="indicators.manage",
    describe=_describe,
)
def build_indicator_import(
    document: GeneratedDocument, report: ProgressCallback
) -> tuple[str, bytes]:
    token = str(document.parameters.get("token", ""))
    filename = str(document.parameters.get("filename", ""))
    report(5, _("Lecture du fichier"))
    content = load_pending(token)
    if content is None:
        raise DocumentError(
            _("Le fichier de cet import n'est plus disponible : déposez-le à nouveau.")
        )
    try:
        table = read_indicator_file(content, filename)
    except ImportFileError as error:
        discard_pending(token)
        raise DocumentError(str(error)) from error
    report(10, _("Import de %(count)s lignes (tout ou rien)") % {"count": len(table.rows)})
    user = document.requested_by if isinstance(document.requested_by, User) else None
    outcome = run_import(table, dry_run=False, user=user, source_name=filename, job=document)
    discard_pending(token)
    if outcome.has_errors:
        raise DocumentError(changed_since_preview(outcome.summary, outcome.errors))
    report(95, outcome.summary)
    return "bilan-import-indicateurs.csv", report_csv(outcome)
