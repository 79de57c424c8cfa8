"""The confirmation of an import of SAS monthly activity, run as a background job (a
GeneratedDocument of kind ``sas_activity_import``) with the generic progress page: the file
kept since the preview is read and checked again, then recorded all or nothing; the job's file
is the row-by-row outcome as CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpts.importing import ImportFileError, quoted_errors
from cpts.jobs import ProgressCallback, document_kind
from cpts.models import GeneratedDocument
from cpts.services.documents import DocumentError
from members.services.imports import discard_pending, load_pending
from registries.importing import ActivityImport, read_activity_file, record_activity

SAS_IMPORT_KIND = "sas_activity_import"


def _describe(parameters: dict[str, Any]) -> str:
    return _("Fichier %(name)s") % {"name": parameters.get("filename", "")}


def outcome_csv(table: ActivityImport) -> bytes:
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";")
    writer.writerow([_("ligne"), _("mois"), _("résultat")])
    for row in table.rows:
        writer.writerow([row.line, row.month_text, _("remplacé") if row.existing else _("ajouté")])
    return ("\ufeff" + output.getvalue()).encode("utf-8")


@document_kind(
    SAS_IMPORT_KIND,
    label=gettext_lazy("Import de l'activité mensuelle du SAS"),
    permission="registries.manage",
    describe=_describe,
)
def build_sas_import(document: GeneratedDocument, report: ProgressCallback) -> tuple[str, bytes]:
    token = str(document.parameters.get("token", ""))
    filename = str(document.parameters.get("filename", ""))
    report(5, _("Lecture du fichier"))
    content = load_pending(token)
    if content is None:
        raise DocumentError(
            _("Le fichier de cet import n'est plus disponible : déposez-le à nouveau.")
        )
    try:
        table = read_activity_file(content, filename)
    except ImportFileError as error:
        discard_pending(token)
        raise DocumentError(str(error)) from error
    if table.has_errors:
        discard_pending(token)
        raise DocumentError(
            _("Import refusé, rien n'a été enregistré : %(errors)s")
            % {"errors": quoted_errors(table.errors)}
        )
    report(30, _("Enregistrement de %(count)s mois (tout ou rien)") % {"count": len(table.rows)})
    record_activity(table)
    discard_pending(token)
    report(95, _("%(count)s mois enregistrés.") % {"count": len(table.rows)})
    return "bilan-import-sas.csv", outcome_csv(table)
