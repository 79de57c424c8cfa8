"""Import of the SAS monthly activity from a file: upload, preview of every row (checked,
new or replacing a month, nothing written), then confirmation as a background job with the
generic progress page, all or nothing (the pattern of the member and indicator imports). The
file stays server-side between the two steps under an unguessable token that only the
uploader's session knows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from cpts.forms.invitations import BootstrapErrorsMixin
from cpts.jobs import request_document
from cpts.permissions import permission_required
from members.importing import MAX_BYTES, ImportFileError
from members.services.imports import load_pending, store_pending
from registries.import_jobs import SAS_IMPORT_KIND
from registries.importing import COLUMNS, read_activity_file, template_csv

SESSION_KEY = "sas_activity_imports"  # token → {"name": original file name}
ACCEPTED_EXTENSIONS = (".xlsx", ".csv", ".txt")


class SasImportForm(BootstrapErrorsMixin, forms.Form):
    fichier = forms.FileField(
        label=gettext_lazy("Fichier de l'activité (.xlsx ou .csv)"),
        help_text=gettext_lazy(
            "Une ligne par mois ; colonnes : mois, demandes_recues, rdv_donnes, rdv_honores, "
            "rdv_non_honores, reorientations."
        ),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ",".join(ACCEPTED_EXTENSIONS)}
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("fichier")
        if upload is None:
            return cleaned
        name = (upload.name or "").lower()
        if not name.endswith(ACCEPTED_EXTENSIONS):
            self.add_error("fichier", _("Envoyez un fichier .xlsx ou .csv."))
            return cleaned
        if upload.size and upload.size > MAX_BYTES:
            self.add_error("fichier", _("Le fichier dépasse 10 Mo : découpez-le."))
            return cleaned
        content = upload.read()
        try:
            cleaned["table"] = read_activity_file(content, name)
        except ImportFileError as error:
            self.add_error("fichier", str(error))
            return cleaned
        cleaned["content"] = content
        cleaned["filename"] = upload.name
        return cleaned


@permission_required("registries.manage")
def sas_activity_import(request: HttpRequest) -> HttpResponse:
    form = SasImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        table = form.cleaned_data["table"]
        filename = form.cleaned_data["filename"]
        token = ""
        if not table.has_errors:
            token = store_pending(form.cleaned_data["content"])
            pending = dict(request.session.get(SESSION_KEY, {}))
            pending[token] = {"name": filename}
            request.session[SESSION_KEY] = dict(list(pending.items())[-5:])
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
    pending: dict[str, dict[str, Any]] = dict(request.session.get(SESSION_KEY, {}))
    entry = pending.get(token)
    if entry is None or load_pending(token) is None:
        messages.error(
            request,
            _("Ce fichier n'est plus disponible (déjà importé ou trop ancien) : redéposez-le."),
        )
        return redirect("sas_activity_import")
    pending.pop(token)
    request.session[SESSION_KEY] = pending
    filename = str(entry.get("name", ""))
    document = request_document(
        SAS_IMPORT_KIND,
        requested_by=request.user,
        parameters={"token": token, "filename": filename},
    )
    messages.success(
        request,
        _("L'import de %(name)s est lancé : suivez sa progression ici.") % {"name": filename},
    )
    return redirect("document_detail", pk=document.pk)


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
