"""Import of indicator values (CPAM, ARS figures) from a file: upload, preview of every row
(checked, compared with the current value, nothing written), then confirmation as a background
job with the generic progress page, all or nothing. The uploaded file stays server-side between
the two steps under an unguessable token that only the uploader's session knows. Files are small
(CPAM extracts: tens to hundreds of rows), so the preview runs within the request."""

from __future__ import annotations

import io
from pathlib import Path

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cpts.permissions import permission_required
from cpts.views.documents import import_job_started
from indicators.forms.imports import IndicatorImportForm
from indicators.import_jobs import INDICATOR_IMPORT_KIND
from indicators.importing import BREAKDOWN, COLUMN_TITLES, COLUMNS, INDICATOR, NOTE, PERIOD, VALUE
from indicators.models import IndicatorDefinition, IndicatorSource
from indicators.services.imports import run_import
from members.services.imports import remember_pending, take_pending

SESSION_KEY = "indicator_imports"  # token → {"name": original file name}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

COLUMN_HELP = (
    (
        COLUMN_TITLES[INDICATOR],
        gettext_lazy(
            "code de l'indicateur ou son intitulé exact (majuscules et accents sans "
            "importance) ; obligatoire"
        ),
        "national_no_mt_ald",
    ),
    (
        COLUMN_TITLES[PERIOD],
        gettext_lazy(
            "2025 (année civile), T1 2025 ou 2025-T1 (trimestre), 03/2025 ou mars 2025 (mois), "
            "A2 ou Année 2 (deuxième année du contrat) ; obligatoire"
        ),
        "A2",
    ),
    (
        COLUMN_TITLES[VALUE],
        gettext_lazy(
            "nombre à la française ou non : 66,26 — 66,26 % — 1 234 — 1 234,5 — 66.26 ; "
            "un pourcentage entre 0 et 100 ; obligatoire"
        ),
        "66,26 %",
    ),
    (
        COLUMN_TITLES[BREAKDOWN],
        gettext_lazy("sous-total (profession, commune…) ; vide pour le total"),
        "",
    ),
    (COLUMN_TITLES[NOTE], gettext_lazy("précision gardée avec la valeur (facultatif)"), ""),
)


TEMPLATE_CSV_PATH = (
    Path(__file__).resolve().parent.parent / "data" / "modele-import-indicateurs.csv"
)


def template_csv() -> bytes:
    """The template as CSV (indicators/data/modele-import-indicateurs.csv): UTF-8 with BOM,
    separated by ``;``."""
    return TEMPLATE_CSV_PATH.read_bytes()


def template_xlsx(indicators: list[IndicatorDefinition]) -> bytes:
    """The template as XLSX: a "Valeurs" sheet with the header row, a "Mode d'emploi" sheet
    documenting the columns and an "Indicateurs" sheet listing the importable indicators."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Valeurs")
    sheet.append([COLUMN_TITLES[column] for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter in "ABCDE":
        sheet.column_dimensions[letter].number_format = "@"
        sheet.column_dimensions[letter].width = 24
    help_sheet = workbook.create_sheet(_("Mode d'emploi"))
    help_sheet.append([_("colonne"), _("contenu"), _("exemple")])
    for column, description, example in COLUMN_HELP:
        help_sheet.append([column, str(description), example])
    help_sheet.append([])
    help_sheet.append([_("Tout ou rien : une seule ligne en erreur et rien n'est enregistré.")])
    help_sheet.column_dimensions["A"].width = 16
    help_sheet.column_dimensions["B"].width = 100
    catalogue = workbook.create_sheet(_("Indicateurs"))
    catalogue.append([_("code"), _("intitulé"), _("unité")])
    for definition in indicators:
        catalogue.append([definition.code, definition.label, definition.get_unit_display()])
    catalogue.column_dimensions["A"].width = 32
    catalogue.column_dimensions["B"].width = 80
    for worksheet in (help_sheet, catalogue):
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


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
        report = run_import(form.cleaned_data["rows"], dry_run=True, source_name=filename)
        token = ""
        if not report.has_errors and report.to_record:
            token = remember_pending(
                request.session, SESSION_KEY, form.cleaned_data["content"], name=filename
            )
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
    taken = take_pending(request.session, SESSION_KEY, token)
    if taken is None:
        messages.error(
            request,
            _(
                "Ce fichier n'est plus disponible (déjà importé ou trop ancien) : "
                "déposez-le à nouveau."
            ),
        )
        return redirect("indicator_import")
    entry, _content = taken
    return import_job_started(request, INDICATOR_IMPORT_KIND, token, str(entry.get("name", "")))


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
