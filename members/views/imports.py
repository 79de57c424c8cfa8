"""Import of members from a file: upload, dry-run preview of every row, then confirmation
(all or nothing). The uploaded file stays server-side between the two steps, under an
unguessable token that only the uploader's session knows. The preview runs within the request
(files are limited to 5 000 rows); the confirmation of a file of more than SYNC_MAX_ROWS rows
runs as a background job, with its progress page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpts.models import User
from cpts.permissions import permission_required
from cpts.views.documents import import_job_started
from members.forms.imports import MemberImportForm
from members.import_jobs import MEMBER_IMPORT_KIND
from members.importing import (
    COLUMN_HELP,
    ImportFileError,
    read_member_file,
    template_csv,
    template_xlsx,
)
from members.services.imports import (
    discard_pending,
    remember_pending,
    run_import,
    take_pending,
)

SESSION_KEY = "member_imports"  # token → {"name": original file name, "rows": row count}
# Above this many rows the confirmed import runs as a background job with its progress page.
SYNC_MAX_ROWS = 300
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@permission_required("members.manage")
def member_import(request: HttpRequest) -> HttpResponse:
    form = MemberImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        report = run_import(form.cleaned_data["rows"], dry_run=True, user=_user(request))
        token = ""
        if not report.has_errors and (report.created or report.updated):
            token = remember_pending(
                request.session,
                SESSION_KEY,
                form.cleaned_data["content"],
                name=form.cleaned_data["filename"],
                rows=len(form.cleaned_data["rows"]),
            )
        return render(
            request,
            "members/imports/preview.html",
            {
                "report": report,
                "token": token,
                "filename": form.cleaned_data["filename"],
                "background": len(form.cleaned_data["rows"]) > SYNC_MAX_ROWS,
            },
        )
    return render(request, "members/imports/import.html", _form_context(form))


@permission_required("members.manage")
@require_POST
def member_import_confirm(request: HttpRequest) -> HttpResponse:
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
        return redirect("member_import")
    entry, content = taken
    filename = str(entry.get("name", ""))
    if int(entry.get("rows", 0)) > SYNC_MAX_ROWS:
        return import_job_started(request, MEMBER_IMPORT_KIND, token, filename)
    try:
        report = run_import(read_member_file(content, filename), dry_run=False, user=_user(request))
    except ImportFileError as error:
        discard_pending(token)
        messages.error(request, str(error))
        return redirect("member_import")
    discard_pending(token)
    if report.has_errors:
        messages.error(
            request,
            _(
                "La base a changé depuis l'aperçu et certaines lignes sont maintenant en "
                "erreur : rien n'a été enregistré. Corrigez le fichier et déposez-le à nouveau."
            ),
        )
        return render(
            request,
            "members/imports/preview.html",
            {"report": report, "token": "", "filename": filename},
        )
    messages.success(request, _("Import terminé : %(summary)s.") % {"summary": report.summary})
    return render(request, "members/imports/done.html", {"report": report, "filename": filename})


@permission_required("members.manage")
def member_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-import-membres.csv"'
    return response


@permission_required("members.manage")
def member_import_template_xlsx(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_xlsx(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="modele-import-membres.xlsx"'
    return response


def _form_context(form: MemberImportForm) -> dict[str, Any]:
    return {"form": form, "columns": COLUMN_HELP}


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


urlpatterns = [
    path("membres/import/", member_import, name="member_import"),
    path("membres/import/modele.csv", member_import_template, name="member_import_template"),
    path(
        "membres/import/modele.xlsx",
        member_import_template_xlsx,
        name="member_import_template_xlsx",
    ),
    path("membres/import/confirmer/", member_import_confirm, name="member_import_confirm"),
]
