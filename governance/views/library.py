"""The documents shared with members: the adherents' library (by category, with the approved
minutes listed from the meetings) and its downloads, and the coordination's management pages
(upload, edit, delete)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cpts.permissions import permission_required, user_can
from cpts.views.messaging import logged_in_user
from governance.forms.library import SharedDocumentForm
from governance.models import SharedDocument, SharedDocumentCategory
from governance.selectors.library import (
    category_counts,
    library_page,
    managed_documents,
    visible_document,
)
from governance.services.library import delete_shared_document, save_shared_document
from members.selectors.portal import member_for_user


def _category(request: HttpRequest) -> str:
    value = request.GET.get("categorie", "")
    return value if value in SharedDocumentCategory.values else SharedDocumentCategory.STATUTES


@permission_required("portal.view")
@require_safe
def shared_documents(request: HttpRequest) -> HttpResponse:
    member = member_for_user(request.user)
    category = _category(request)
    page, entries = library_page(request.user, member, category, request.GET.get("page"))
    return render(
        request,
        "governance/library/library.html",
        {
            "category": category,
            "category_label": SharedDocumentCategory(category).label,
            "counts": category_counts(request.user, member),
            "page": page,
            "entries": entries,
            "can_manage": user_can(request.user, "library.manage"),
        },
    )


@permission_required("portal.view")
@require_safe
def shared_document_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file, to whoever may see the document; anyone else gets "not found"."""
    document = visible_document(request.user, member_for_user(request.user), pk)
    if document is None or not document.file:
        raise Http404(_("Ce document n'existe pas."))
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Le fichier de ce document est introuvable.")) from exc
    name = document.file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=False, filename=name)


def _manage_context(form: SharedDocumentForm, request: HttpRequest) -> dict[str, object]:
    category = request.GET.get("categorie", "")
    category = category if category in SharedDocumentCategory.values else ""
    return {
        "form": form,
        "page": managed_documents(category or None, request.GET.get("page")),
        "category": category,
        "categories": SharedDocumentCategory.choices,
    }


def _save(request: HttpRequest, form: SharedDocumentForm) -> bool:
    if not form.is_valid():
        return False
    try:
        save_shared_document(
            form.instance, upload=form.cleaned_data.get("file"), by=logged_in_user(request)
        )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@permission_required("library.manage")
@require_http_methods(["GET", "HEAD", "POST"])
def shared_document_manage(request: HttpRequest) -> HttpResponse:
    """The list of shared documents and the upload form."""
    form = SharedDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if _save(request, form):
            messages.success(
                request, _("Le document « %(title)s » est partagé.") % {"title": form.instance}
            )
            return redirect("shared_document_manage")
        messages.error(
            request, _("Le document n'a pas été enregistré : corrigez les champs signalés.")
        )
    status = 400 if form.errors else 200
    return render(
        request, "governance/library/manage.html", _manage_context(form, request), status=status
    )


@permission_required("library.manage")
@require_http_methods(["GET", "HEAD", "POST"])
def shared_document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(SharedDocument, pk=pk)
    form = SharedDocumentForm(request.POST or None, request.FILES or None, instance=document)
    if request.method == "POST":
        if _save(request, form):
            messages.success(
                request, _("Le document « %(title)s » est enregistré.") % {"title": document}
            )
            return redirect("shared_document_manage")
        messages.error(
            request, _("Le document n'a pas été enregistré : corrigez les champs signalés.")
        )
    status = 400 if form.errors else 200
    return render(
        request,
        "governance/library/edit.html",
        {"form": form, "document": document},
        status=status,
    )


@permission_required("library.manage")
@require_POST
def shared_document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(SharedDocument, pk=pk)
    title = document.title
    delete_shared_document(document, by=logged_in_user(request))
    messages.success(request, _("Le document « %(title)s » est supprimé.") % {"title": title})
    return redirect("shared_document_manage")


urlpatterns = [
    path("portail/documents-partages/", shared_documents, name="shared_documents"),
    path(
        "portail/documents-partages/<int:pk>/",
        shared_document_download,
        name="shared_document_download",
    ),
    path("gouvernance/documents/", shared_document_manage, name="shared_document_manage"),
    path(
        "gouvernance/documents/<int:pk>/modifier/",
        shared_document_edit,
        name="shared_document_edit",
    ),
    path(
        "gouvernance/documents/<int:pk>/supprimer/",
        shared_document_delete,
        name="shared_document_delete",
    ),
]
