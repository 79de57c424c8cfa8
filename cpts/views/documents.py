"""Generated documents: the job list, the generic progress page (polled with htmx), the
download, the retry, and the request of the core's own documents (the identity sheet)."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpts.jobs import known_kinds, request_document
from cpts.models import GeneratedDocument
from cpts.permissions import permission_required, user_can
from cpts.selectors.documents import document_info, documents_page, find_document


def _document_or_404(pk: int) -> GeneratedDocument:
    document = find_document(pk)
    if document is None:
        raise Http404(_("Ce document n'existe pas."))
    return document


def _readable_document(request: HttpRequest, pk: int) -> GeneratedDocument:
    """A document the user may read: any with ``reports.view``, otherwise only the ones they
    requested themselves (a référent's attendance sheet); others are not revealed (404)."""
    document = _document_or_404(pk)
    if not user_can(request.user, "reports.view") and document.requested_by_id != request.user.pk:
        raise Http404(_("Ce document n'existe pas."))
    return document


def request_and_redirect(
    request: HttpRequest, kind: str, parameters: dict[str, Any]
) -> HttpResponse:
    """Enqueue a document of ``kind`` for the current user, who must hold the kind's own
    permission, then show its progress page."""
    registered = known_kinds().get(kind)
    if registered is None:
        raise Http404(_("Ce type de document n'existe plus."))
    if not user_can(request.user, registered.permission):
        raise PermissionDenied
    document = request_document(kind, requested_by=request.user, parameters=parameters)
    messages.success(
        request,
        _("La génération du document « %(label)s » a été demandée.") % {"label": registered.label},
    )
    return redirect("document_detail", pk=document.pk)


def import_job_started(request: HttpRequest, kind: str, token: str, filename: str) -> HttpResponse:
    """Enqueue the confirmed import of a kept file (``token``) as a document of ``kind`` and
    show its progress page; the view has checked the import's permission."""
    document = request_document(
        kind, requested_by=request.user, parameters={"token": token, "filename": filename}
    )
    messages.success(
        request,
        _("L'import de %(name)s est lancé : suivez sa progression ici.") % {"name": filename},
    )
    return redirect("document_detail", pk=document.pk)


@permission_required("reports.view")
def document_list(request: HttpRequest) -> HttpResponse:
    page, rows = documents_page(request.GET.get("page"))
    return render(request, "documents/list.html", {"page_obj": page, "rows": rows})


@permission_required("reports.generate")
@require_POST
def identity_sheet_request(request: HttpRequest) -> HttpResponse:
    return request_and_redirect(request, "identity_sheet", {})


@permission_required("reports.view", "portal.view")
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    info = document_info(_readable_document(request, pk))
    return render(request, "documents/detail.html", {"info": info, "document": info.document})


@permission_required("reports.view", "portal.view")
def document_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress block alone, polled every second by the detail page until finished."""
    info = document_info(_readable_document(request, pk))
    return render(request, "documents/_progress.html", {"info": info, "document": info.document})


def document_file_response(document: GeneratedDocument) -> FileResponse:
    """The finished document's file as an attachment (404 in French until it is ready).
    Shared by every view that hands out generated documents, whatever its access rule."""
    if document.status != GeneratedDocument.Status.DONE or not document.file:
        raise Http404(_("Ce document n'est pas encore prêt."))
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Le fichier de ce document est introuvable.")) from exc
    return FileResponse(handle, as_attachment=True, filename=PurePosixPath(document.file.name).name)


@permission_required("reports.view", "portal.view")
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    return document_file_response(_readable_document(request, pk))


@permission_required("reports.generate")
@require_POST
def document_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Generate the document again with the same kind and parameters; the earlier version is
    kept in the list."""
    document = _document_or_404(pk)
    if not document.is_finished:
        messages.warning(
            request,
            _("Ce document est encore en cours de génération : attendez la fin pour le relancer."),
        )
        return redirect("document_detail", pk=document.pk)
    return request_and_redirect(request, document.kind, document.parameters)


urlpatterns = [
    path("", document_list, name="document_list"),
    path("fiche-identite/", identity_sheet_request, name="identity_sheet_request"),
    path("<int:pk>/", document_detail, name="document_detail"),
    path("<int:pk>/progression/", document_progress, name="document_progress"),
    path("<int:pk>/telecharger/", document_download, name="document_download"),
    path("<int:pk>/relancer/", document_retry, name="document_retry"),
]
