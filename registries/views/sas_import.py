"""Import of the SAS monthly activity from a file: upload, preview of every row (checked,
new or replacing a month, nothing written), then confirmation as a background job with the
generic progress page, all or nothing (the pattern of the member and indicator imports). The
file stays server-side between the two steps under an unguessable token that only the
uploader's session knows."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from cpts.forms.imports import UploadedTableForm
from cpts.permissions import permission_required
from cpts.views.documents import import_job_started
from members.services.imports import remember_pending, take_pending
from registries.import_jobs import SAS_IMPORT_KIND
from registries.importing import COLUMNS, ActivityImport, read_activity_file, template_csv

SESSION_KEY = "sas_activity_imports"  # token → {"name": original file name}


class SasImportForm(UploadedTableForm):
    file_label = gettext_lazy("Fichier de l'activité (.xlsx ou .csv)")
    file_help_text = gettext_lazy(
        "Une ligne par mois ; colonnes : mois, demandes_recues, rdv_donnes, rdv_honores, "
        "rdv_non_honores, reorientations."
    )

    def read(self, content: bytes, filename: str) -> ActivityImport:
        return read_activity_file(content, filename)


@permission_required("registries.manage")
def sas_activity_import(request: HttpRequest) -> HttpResponse:
    form = SasImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        table = form.cleaned_data["rows"]
        filename = form.cleaned_data["filename"]
        token = ""
        if not table.has_errors:
            token = remember_pending(
                request.session, SESSION_KEY, form.cleaned_data["content"], name=filename
            )
        return render(
            request,
            "registries/sas_import_preview.html",
            {"table": table, "token": token, "filename": filename},
        )
    return render(request, "registries/sas_import.html", {"form": form, "columns": COLUMNS})


@permission_required("registries.manage")
@require_POST
def sas_activity_import_confirm(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    taken = take_pending(request.session, SESSION_KEY, token)
    if taken is None:
        messages.error(
            request,
            _("Ce fichier n'est plus disponible (déjà importé ou trop ancien) : redéposez-le."),
        )
        return redirect("sas_activity_import")
    entry, _content = taken
    return import_job_started(request, SAS_IMPORT_KIND, token, str(entry.get("name", "")))


@permission_required("registries.manage")
@require_safe
def sas_activity_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-activite-sas.csv"'
    return response


urlpatterns = [
    path("registres/sas/activite/import/", sas_activity_import, name="sas_activity_import"),
    path(
        "registres/sas/activite/import/confirmer/",
        sas_activity_import_confirm,
        name="sas_activity_import_confirm",
    ),
    path(
        "registres/sas/activite/import/modele.csv",
        sas_activity_import_template,
        name="sas_activity_import_template",
    ),
]
