"""The adherent's portal (profile, adhesions, own documents, data export) and the members'
directory. Every page needs ``portal.view``; a person whose account has no member record
gets a page explaining whom to contact, never an error."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cpts.models import Association, GeneratedDocument
from cpts.permissions import permission_required
from cpts.selectors.documents import document_info
from cpts.selectors.territory import search_communes
from cpts.views.documents import document_file_response
from members.forms.portal import (
    PortalProfileForm,
    PracticeSiteFormSet,
    commune_label,
)
from members.models import Member
from members.selectors.directory import (
    DirectoryFilters,
    directory_communes,
    directory_page,
    directory_professions,
)
from members.selectors.email_preferences import preference_rows, switched_off_count
from members.selectors.portal import (
    ATTESTATION_KIND,
    RECEIPT_KIND,
    adhesion_rows,
    fee_status,
    member_data_export,
    member_for_user,
    member_sites,
    own_document,
    recent_documents,
)
from members.services.email_preferences import set_email_preferences
from members.services.portal import request_own_document, save_portal_profile

MemberView = Callable[..., HttpResponse]


def _no_member(request: HttpRequest) -> HttpResponse:
    return render(request, "members/portal/no_member.html")


def member_required(view: MemberView) -> Callable[..., HttpResponse]:
    """Pass the logged-in person's member record to the view, or show the page explaining
    that the account is not linked to a member (status 200)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        member = member_for_user(request.user)
        if member is None:
            return _no_member(request)
        return view(request, member, *args, **kwargs)

    return wrapper


def _today() -> Any:
    return timezone.localdate()


# --- Profile ---------------------------------------------------------------------------


@permission_required("portal.view")
@require_http_methods(["GET", "POST"])
@member_required
def portal_profile(request: HttpRequest, member: Member) -> HttpResponse:
    queryset = member_sites(member)
    if request.method == "POST":
        form = PortalProfileForm(request.POST, instance=member)
        sites = PracticeSiteFormSet(
            request.POST, instance=member, queryset=queryset, prefix="sites"
        )
        if form.is_valid() and sites.is_valid():
            save_portal_profile(form, sites)
            messages.success(request, _("Votre profil a été enregistré."))
            return redirect("portal_profile")
        messages.error(
            request, _("Le profil n'a pas été enregistré : corrigez les champs signalés.")
        )
        status = 400
    else:
        form = PortalProfileForm(instance=member)
        sites = PracticeSiteFormSet(instance=member, queryset=queryset, prefix="sites")
        status = 200
    return render(
        request,
        "members/portal/profile.html",
        {"member": member, "form": form, "sites": sites},
        status=status,
    )


@permission_required("portal.view")
@require_safe
def portal_commune_search(request: HttpRequest) -> HttpResponse:
    """The suggestions of the commune inputs (``<option>`` elements of a datalist)."""
    query = request.GET.get("q", "")
    if not query:
        # htmx sends the input under its own name (``commune``, ``sites-0-commune``…).
        query = next((str(v) for k, v in request.GET.items() if k.endswith("commune") and v), "")
    search = search_communes(query)
    labels = [commune_label(commune) for commune in search.results]
    return render(request, "members/portal/_commune_options.html", {"labels": labels})


# --- Adhesions and documents -----------------------------------------------------------


@permission_required("portal.view")
@require_safe
@member_required
def portal_adhesions(request: HttpRequest, member: Member) -> HttpResponse:
    today = _today()
    return render(
        request,
        "members/portal/adhesions.html",
        {
            "member": member,
            "rows": adhesion_rows(member),
            "status": fee_status(member, today),
            "documents": [document_info(d) for d in recent_documents(request.user)],
        },
    )


def _request_document(request: HttpRequest, member: Member, kind: str, year: int) -> HttpResponse:
    try:
        document = request_own_document(member, request.user, kind, year)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("portal_adhesions")
    messages.success(request, _("Votre document est en cours de préparation."))
    return redirect("portal_document", pk=document.pk)


@permission_required("portal.view")
@require_POST
@member_required
def portal_attestation_request(request: HttpRequest, member: Member, year: int) -> HttpResponse:
    return _request_document(request, member, ATTESTATION_KIND, year)


@permission_required("portal.view")
@require_POST
@member_required
def portal_receipt_request(request: HttpRequest, member: Member, year: int) -> HttpResponse:
    return _request_document(request, member, RECEIPT_KIND, year)


def _own_document_or_404(request: HttpRequest, pk: int) -> GeneratedDocument:
    document = own_document(request.user, pk)
    if document is None:
        raise Http404(_("Ce document n'existe pas."))
    return document


@permission_required("portal.view")
@require_safe
def portal_document(request: HttpRequest, pk: int) -> HttpResponse:
    info = document_info(_own_document_or_404(request, pk))
    return render(
        request, "members/portal/document.html", {"info": info, "document": info.document}
    )


@permission_required("portal.view")
@require_safe
def portal_document_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress block alone, polled by the document page until the job is finished."""
    info = document_info(_own_document_or_404(request, pk))
    return render(
        request, "members/portal/_document_progress.html", {"info": info, "document": info.document}
    )


@permission_required("portal.view")
@require_safe
def portal_document_download(request: HttpRequest, pk: int) -> FileResponse:
    return document_file_response(_own_document_or_404(request, pk))


# --- RGPD: all my data -----------------------------------------------------------------


@permission_required("portal.view")
@require_safe
@member_required
def portal_data_export(request: HttpRequest, member: Member) -> HttpResponse:
    data = {
        "exporte_le": timezone.now().isoformat(timespec="seconds"),
        "association": Association.objects.get_solo().name,
        **member_data_export(member),
    }
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"mes-donnees-{_today().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Portal home cards -----------------------------------------------------------------


@permission_required("portal.view")
@require_safe
def portal_member_cards(request: HttpRequest) -> HttpResponse:
    """The fee card of the portal home (status, attestation, how to pay), loaded by htmx."""
    member = member_for_user(request.user)
    today = _today()
    return render(
        request,
        "members/portal/_home_cards.html",
        {"member": member, "status": fee_status(member, today) if member else None},
    )


@permission_required("portal.view")
@require_safe
def portal_account_cards(request: HttpRequest) -> HttpResponse:
    """The account cards of the portal home (profile and consents, emails, directory, my
    data), loaded by htmx."""
    member = member_for_user(request.user)
    return render(
        request,
        "members/portal/_account_cards.html",
        {"member": member, "switched_off": switched_off_count(member) if member else 0},
    )


# --- Email preferences -----------------------------------------------------------------


@permission_required("portal.view")
@require_http_methods(["GET", "HEAD", "POST"])
@member_required
def portal_email_preferences(request: HttpRequest, member: Member) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            set_email_preferences(member, request.POST.getlist("receives"))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Vos choix d'e-mails sont enregistrés."))
            return redirect("portal_email_preferences")
    return render(
        request,
        "members/portal/email_preferences.html",
        {"rows": preference_rows(member), "error": error},
        status=400 if error else 200,
    )


# --- Directory -------------------------------------------------------------------------


@permission_required("portal.view")
@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    filters = DirectoryFilters.from_query(request.GET)
    page, entries = directory_page(filters, request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "entries": entries,
    }
    if getattr(request, "htmx", False):
        return render(request, "members/portal/_directory_results.html", context)
    context["professions"] = directory_professions()
    context["communes"] = directory_communes()
    return render(request, "members/portal/directory.html", context)


urlpatterns = [
    path("portail/profil/", portal_profile, name="portal_profile"),
    path("portail/communes/", portal_commune_search, name="portal_commune_search"),
    path("portail/adhesions/", portal_adhesions, name="portal_adhesions"),
    path(
        "portail/adhesions/<int:year>/attestation/",
        portal_attestation_request,
        name="portal_attestation_request",
    ),
    path(
        "portail/adhesions/<int:year>/recu/", portal_receipt_request, name="portal_receipt_request"
    ),
    path("portail/documents/<int:pk>/", portal_document, name="portal_document"),
    path(
        "portail/documents/<int:pk>/progression/",
        portal_document_progress,
        name="portal_document_progress",
    ),
    path(
        "portail/documents/<int:pk>/telecharger/",
        portal_document_download,
        name="portal_document_download",
    ),
    path("portail/mes-donnees.json", portal_data_export, name="portal_data_export"),
    path("portail/mes-cartes/", portal_member_cards, name="portal_member_cards"),
    path("portail/mon-compte/", portal_account_cards, name="portal_account_cards"),
    path("portail/mes-emails/", portal_email_preferences, name="portal_email_preferences"),
    path("annuaire/", directory, name="directory"),
]
