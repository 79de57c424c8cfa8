"""The association area: the territory page (communes, population, ACI taille, htmx
autocomplete to add communes) and the identity of the CPTS (with its logo)."""

from __future__ import annotations

import mimetypes
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.middleware import HtmxDetails

from cpts.forms.association import AssociationIdentityForm, TerritoryAddForm
from cpts.models import Association, TerritoryCommune
from cpts.permissions import check, permission_required, user_can
from cpts.selectors.audit import audit_rows, history_for
from cpts.selectors.territory import (
    CommuneSearch,
    search_communes,
    territory_communes,
    territory_summary,
)
from cpts.services.association import update_identity
from cpts.services.territory import add_communes, remove_commune

_NAMES_SHOWN = 10
COMMUNES_PER_PAGE = 50


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _territory_context(
    request: HttpRequest,
    association: Association,
    *,
    add_form: TerritoryAddForm | None = None,
    search: CommuneSearch | None = None,
    feedback: dict[str, str] | None = None,
    page_number: str | None = None,
) -> dict[str, Any]:
    can_manage = user_can(request.user, "association.manage")
    page = Paginator(territory_communes(association), COMMUNES_PER_PAGE).get_page(page_number)
    return {
        "page": page,
        "communes": page.object_list,
        "summary": territory_summary(association),
        "history": audit_rows(history_for(TerritoryCommune), skip_fields={"association"}),
        "can_manage": can_manage,
        "add_form": add_form or (TerritoryAddForm() if can_manage else None),
        "search": search,
        "feedback": feedback,
    }


def _names(communes: list[Any]) -> str:
    names = ", ".join(str(c) for c in communes[:_NAMES_SHOWN])
    return names + (" …" if len(communes) > _NAMES_SHOWN else "")


def _territory_url(query: str = "") -> str:
    url = reverse("territory")
    return f"{url}?{urlencode({'q': query})}" if query else url


def _territory_update(
    request: HtmxHttpRequest,
    association: Association,
    feedback: dict[str, str],
    add_form: TerritoryAddForm | None = None,
    query: str = "",
) -> HttpResponse:
    """The htmx answer to an addition or removal: the communes table (the target) and, out of
    band, the summary, the history, the feedback message, the add form and the search results."""
    search = search_communes(query, association) if query else None
    # Stay on the page of the table the person was looking at.
    current = urlsplit(request.htmx.current_url or "").query
    context = _territory_context(
        request,
        association,
        add_form=add_form,
        search=search,
        feedback=feedback,
        page_number=parse_qs(current).get("page", [None])[0],
    )
    return render(request, "backoffice/_territory_update.html", context)


@permission_required("association.view")
@require_safe
def territory(request: HtmxHttpRequest) -> HttpResponse:
    association = Association.objects.get_solo()
    query = request.GET.get("q", "")
    search = None
    if query and user_can(request.user, "association.manage"):
        search = search_communes(query, association)
    context = _territory_context(
        request, association, search=search, page_number=request.GET.get("page")
    )
    return render(request, "backoffice/territory.html", context)


@permission_required("association.manage")
@require_safe
def territory_search(request: HtmxHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    if not request.htmx:
        return redirect(_territory_url(query))
    search = search_communes(query, Association.objects.get_solo())
    return render(request, "backoffice/_territory_search_results.html", {"search": search})


@permission_required("association.manage")
@require_POST
def territory_add(request: HtmxHttpRequest) -> HttpResponse:
    association = Association.objects.get_solo()
    form = TerritoryAddForm(request.POST)
    feedback: dict[str, str]
    if form.is_valid():
        codes = form.cleaned_data["codes"]
        try:
            added = add_communes(association, codes)
        except ValidationError as exc:
            form.add_error("codes", exc)
        else:
            skipped = len(set(codes)) - len(added)
            text = (
                ngettext(
                    "%(count)s commune ajoutée au territoire : %(names)s.",
                    "%(count)s communes ajoutées au territoire : %(names)s.",
                    len(added),
                )
                % {"count": len(added), "names": _names(added)}
                if added
                else _("Aucune commune ajoutée.")
            )
            if skipped:
                text += " " + ngettext(
                    "%(count)s commune déjà présente a été ignorée.",
                    "%(count)s communes déjà présentes ont été ignorées.",
                    skipped,
                ) % {"count": skipped}
            query = form.cleaned_data["q"]
            if request.htmx:
                return _territory_update(
                    request, association, {"level": "success", "text": text}, query=query
                )
            messages.success(request, text)
            return redirect(_territory_url(query))
    error = " ".join(str(e) for e in form.errors.get("codes", [])) or _(
        "Le formulaire contient des erreurs."
    )
    feedback = {"level": "danger", "text": error}
    if request.htmx:
        query = form.cleaned_data.get("q", "")
        return _territory_update(request, association, feedback, add_form=form, query=query)
    context = _territory_context(request, association, add_form=form, feedback=feedback)
    return render(request, "backoffice/territory.html", context)


@permission_required("association.manage")
@require_POST
def territory_remove(request: HtmxHttpRequest, insee_code: str) -> HttpResponse:
    association = Association.objects.get_solo()
    try:
        commune = remove_commune(association, insee_code)
    except ValidationError as exc:
        feedback = {"level": "danger", "text": " ".join(exc.messages)}
    else:
        feedback = {
            "level": "success",
            "text": _("%(name)s a été retirée du territoire.") % {"name": commune},
        }
    query = request.POST.get("q", "").strip()  # the search in progress, refreshed too
    if request.htmx:
        return _territory_update(request, association, feedback, query=query)
    if feedback["level"] == "success":
        messages.success(request, feedback["text"])
    else:
        messages.error(request, feedback["text"])
    return redirect(_territory_url(query))


@permission_required("association.view")
@require_http_methods(["GET", "HEAD", "POST"])
def association_identity(request: HttpRequest) -> HttpResponse:
    """Everyone with association.view reads the identity; association.manage edits it here."""
    can_manage = user_can(request.user, "association.manage")
    form = None
    if request.method == "POST":
        check(request, "association.manage")
        form = AssociationIdentityForm(
            request.POST, request.FILES, instance=Association.objects.get_solo()
        )
        if form.is_valid():
            try:
                update_identity(
                    form.instance,
                    form.cleaned_data,
                    logo=form.new_logo,
                    remove_logo=form.cleaned_data["remove_logo"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("L'identité de la CPTS a été enregistrée."))
                return redirect("association_identity")
    elif can_manage:
        form = AssociationIdentityForm(instance=Association.objects.get_solo())
    identity = Association.objects.get_solo()
    context = {
        "identity": identity,
        "form": form,
        "can_manage": can_manage,
        "history": audit_rows(history_for(identity)),
    }
    return render(request, "backoffice/association_identity.html", context)


@permission_required("portal.view")
@require_safe
def association_logo(request: HttpRequest) -> FileResponse:
    """The logo, for signed-in people only (media files are not served publicly)."""
    logo = Association.objects.get_solo().logo
    if not logo:
        raise Http404(_("La CPTS n'a pas de logo."))
    try:
        handle = logo.storage.open(logo.name, "rb")
    except FileNotFoundError as exc:
        raise Http404(_("Le fichier du logo est introuvable.")) from exc
    content_type = mimetypes.guess_type(logo.name)[0]
    if content_type not in {"image/png", "image/jpeg"}:
        handle.close()
        raise Http404(_("Le fichier du logo est introuvable."))
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


urlpatterns = [
    path("territoire/", territory, name="territory"),
    path("territoire/recherche/", territory_search, name="territory_search"),
    path("territoire/ajouter/", territory_add, name="territory_add"),
    path("territoire/<str:insee_code>/retirer/", territory_remove, name="territory_remove"),
    path("identite/", association_identity, name="association_identity"),
    path("logo/", association_logo, name="association_logo"),
]
