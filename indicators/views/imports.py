"""Import of indicator values (CPAM, ARS figures) from a file: upload, preview of every row
(checked, compared with the current value, nothing written), then confirmation as a background
job with the generic progress page, all or nothing. The uploaded file stays server-side between
the two steps under an unguessable token that only the uploader's session knows. Files are small
(CPAM extracts: tens to hundreds of rows), so the preview runs within the request."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpts.jobs import request_document
from cpts.permissions import permission_required
from indicators.forms.imports import IndicatorImportForm
from indicators.import_jobs import INDICATOR_IMPORT_KIND
from indicators.importing import COLUMN_HELP, template_csv, template_xlsx
from indicators.models import IndicatorDefinition, IndicatorSource
from indicators.services.imports import run_import
from members.services.imports import load_pending, store_pending

SESSION_KEY = "indicator_imports"  # token → {"name": original file name}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _importable() -> list[IndicatorDefinition]:
    return list(
        IndicatorDefinition.objects.exclude(source=IndicatorSource.COMPUTED)
        .filter(is_active=True)
        .select_related("mission")
    )


@permission_required("indicators.manage")
def indicator_import(request: HttpRequest) -> HttpResponse:
    form = IndicatorImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        filename = form.cleaned_data["filename"]
        report = run_import(form.cleaned_data["table"], dry_run=True, source_name=filename)
        token = ""
        if not report.has_errors and report.to_record:
            token = store_pending(form.cleaned_data["content"])
            pending = dict(request.session.get(SESSION_KEY, {}))
            pending[token] = {"name": filename}
            request.session[SESSION_KEY] = dict(list(pending.items())[-5:])
        return render(
            request,
            "indicators/imports/preview.html",
            {"report": report, "token": token, "filename": filename},
        )
    return render(
        request,
        "indicators/imports/import.html",
        {"form": form, "columns": COLUMN_HELP, "indicators": _importable()},
    )


@permission_required("indicators.manage")
@require_POST
def indicator_import_confirm(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    pending: dict[str, dict[str, Any]] = dict(request.session.get(SESSION_KEY, {}))
    entry = pending.get(token)
    if entry is None or load_pending(token) is None:
        messages.error(
            request,
            _(
                "Ce fichier n'est plus disponible (déjà importé ou trop ancien) : "
                "déposez-le à nouveau."
            ),
        )
        return redirect("indicator_import")
    pending.pop(token)
    request.session[SESSION_KEY] = pending
    filename = str(entry.get("name", ""))
    document = request_document(
        INDICATOR_IMPORT_KIND,
        requested_by=request.user,
        parameters={"token": token, "filename": filename},
    )
    messages.success(
        request,
        _("L'import de %(name)s est lancé : suivez sa progression ici.") % {"name": filename},
    )
    return redirect("document_detail", pk=document.pk)


@permission_required("indicators.manage")
def indicator_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-import-indicateurs.csv"'
    return response


@permission_required("indicators.manage")
def indicator_import_template_xlsx(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_xlsx(_importable()), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="modele-import-indicateurs.xlsx"'
    return response


urlpatterns = [
    path("indicateurs/import/", indicator_import, name="indicator_import"),
    path(
        "indicateurs/import/confirmer/", indicator_import_confirm, name="indicator_import_confirm"
    ),
    path(
        "indicateurs/import/modele.csv", indicator_import_template, name="indicator_import_template"
    ),
    path(
        "indicateurs/import/modele.xlsx",
        indicator_import_template_xlsx,
        name="indicator_import_template_xlsx",
    ),
]
