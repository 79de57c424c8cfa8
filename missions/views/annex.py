"""The contract annex file from the contract pages: upload, preview of the differences per
mission (or the list of errors with their paths), confirmation (all or nothing); and the
download of a year as an annex file. The uploaded file stays server-side between the preview
and the confirmation, under an unguessable token only the uploader's session knows."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpts.models import User
from cpts.permissions import permission_required
from missions.annex import AnnexError, AnnexInvalid, parse_annex
from missions.forms.annex import AnnexImportForm
from missions.models import ContractYear
from missions.selectors.annex import (
    AnnexPlan,
    annex_plan,
    annex_year,
    current_contract,
    export_yaml,
)
from missions.services.annex import (
    AnnexRefused,
    discard_pending,
    import_annex,
    load_pending,
    replace_refusal,
    store_pending,
)

SESSION_KEY = "contract_annex_imports"  # token → {"name": file name, "replace": bool}
TEMPLATE = "missions/annex/import.html"
PREVIEW = "missions/annex/preview.html"


@permission_required("missions.manage")
def contract_annex_import(request: HttpRequest) -> HttpResponse:
    form = (
        AnnexImportForm(request.POST, request.FILES)
        if request.method == "POST"
        else AnnexImportForm()
    )
    if request.method != "POST" or not form.is_valid():
        return render(request, TEMPLATE, {"form": form, "contract": current_contract()})
    filename = form.cleaned_data["filename"]
    replace = form.cleaned_data["replace"]
    try:
        annex = parse_annex(form.cleaned_data["content"])
        plan = annex_plan(annex_year(annex), annex)
    except AnnexInvalid as invalid:
        return _preview(request, filename, errors=invalid.errors)
    refusal = replace_refusal(plan) if plan.needs_replace and not replace else ""
    token = ""
    if not refusal and plan.has_changes:
        token = store_pending(form.cleaned_data["content"])
        pending = dict(request.session.get(SESSION_KEY, {}))
        pending[token] = {"name": filename, "replace": replace}
        request.session[SESSION_KEY] = dict(list(pending.items())[-5:])
    return _preview(request, filename, plan=plan, token=token, refusal=refusal, replace=replace)


@permission_required("missions.manage")
@require_POST
def contract_annex_confirm(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    pending: dict[str, dict[str, Any]] = dict(request.session.get(SESSION_KEY, {}))
    entry = pending.get(token)
    content = load_pending(token) if entry else None
    if entry is None or content is None:
        messages.error(
            request,
            _(
                "Ce fichier n'est plus disponible (déjà importé ou trop ancien) : "
                "déposez-le à nouveau."
            ),
        )
        return redirect("contract_annex_import")
    pending.pop(token)
    request.session[SESSION_KEY] = pending
    discard_pending(token)
    filename = str(entry.get("name", ""))
    user = request.user if isinstance(request.user, User) else None
    try:
        plan = import_annex(parse_annex(content), replace=bool(entry.get("replace")), user=user)
    except AnnexInvalid as invalid:
        return _preview(request, filename, errors=invalid.errors, changed=True)
    except AnnexRefused as refused:
        return _preview(request, filename, errors=[AnnexError("", str(refused))], changed=True)
    counts = plan.counts
    messages.success(
        request,
        _(
            "Annexe de l'année %(number)s importée : %(added)s ligne(s) ajoutée(s), "
            "%(updated)s mise(s) à jour, %(removed)s supprimée(s)."
        )
        % {"number": plan.year.number, **counts},
    )
    try:
        return redirect(reverse("contract_year_detail", kwargs={"pk": plan.year.pk}))
    except NoReverseMatch:
        return redirect("contract_annex_import")


@permission_required("missions.view")
def contract_annex_export(request: HttpRequest, pk: int) -> HttpResponse:
    year = get_object_or_404(ContractYear.objects.select_related("contract"), pk=pk)
    response = HttpResponse(export_yaml(year), content_type="application/yaml; charset=utf-8")
    filename = f"annexe-contrat-{year.contract.signed_on:%Y}-annee-{year.number}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _preview(
    request: HttpRequest,
    filename: str,
    *,
    plan: AnnexPlan | None = None,
    errors: list[AnnexError] | None = None,
    token: str = "",
    refusal: str = "",
    replace: bool = False,
    changed: bool = False,
) -> HttpResponse:
    if changed:
        messages.error(
            request,
            _(
                "Le contrat a changé depuis l'aperçu et le fichier ne peut plus être importé : "
                "rien n'a été enregistré. Déposez-le à nouveau."
            ),
        )
    return render(
        request,
        PREVIEW,
        {
            "filename": filename,
            "plan": plan,
            "errors": errors or [],
            "token": token,
            "refusal": refusal,
            "replace": replace,
        },
    )


urlpatterns = [
    path("contrat/annexe/importer/", contract_annex_import, name="contract_annex_import"),
    path("contrat/annexe/confirmer/", contract_annex_confirm, name="contract_annex_confirm"),
    path(
        "contrat/annees/<int:pk>/annexe.yaml", contract_annex_export, name="contract_annex_export"
    ),
]
