"""Pages of the indicator lines: a line with its tiers or bands, its result and earned amount,
its livrables and their proofs; creating, editing and deleting lines; carrying the lines not
reached in a contract year into the next one. Reading needs ``missions.view``, writing
``missions.manage``."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cpts.permissions import permission_required, user_can
from cpts.views.messaging import error_text, logged_in_user
from missions.forms.lines import (
    AssessForm,
    LineEditor,
    LivrableForm,
    LivrableUpdateForm,
    ProofForm,
)
from missions.models import ContractYear, IndicatorLine, LivrableStatus, MissionEnvelope
from missions.selectors import lines as selectors
from missions.services import lines as services

READ = "missions.view"
WRITE = "missions.manage"


def year_url(year: ContractYear) -> str:
    """The contract year's page, where the lines are listed by mission."""
    return reverse("contract_year_detail", kwargs={"pk": year.pk})


def _to_line(line_pk: int, anchor: str = "") -> HttpResponse:
    response = redirect("line_detail", pk=line_pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _detail(request: HttpRequest, line: IndicatorLine, **forms: Any) -> dict[str, Any]:
    context = selectors.detail_context(line)
    context.update(
        {
            "assess_form": forms.get("assess_form") or AssessForm(line=line),
            "livrable_form": forms.get("livrable_form") or LivrableForm(),
            "history": selectors.line_history(line),
            "can_manage": user_can(request.user, WRITE),
            "year_url": year_url(line.envelope.year),
            "status_choices": LivrableStatus.choices,
        }
    )
    return context


@permission_required(READ)
@require_safe
def line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    line = selectors.line_detail(pk)
    return render(request, "missions/lines/line_detail.html", _detail(request, line))


# --- The line itself -----------------------------------------------------------------------


def _save_link(line: IndicatorLine, indicator: Any) -> None:
    """Point the line at an indicator (or at none). The indicators application listens to
    this save and sets the line's achieved value from the contract-year measurement."""
    indicator_id = indicator.pk if indicator is not None else None
    if line.indicator_id != indicator_id:
        line.indicator = indicator
        line.save(update_fields=["indicator", "updated_at"])


def _form_page(request: HttpRequest, editor: LineEditor, context: dict[str, Any]) -> HttpResponse:
    return render(request, "missions/lines/line_form.html", {**context, "editor": editor})


@permission_required(WRITE)
@require_http_methods(["GET", "HEAD", "POST"])
def line_create(request: HttpRequest, pk: int) -> HttpResponse:
    envelope = get_object_or_404(
        MissionEnvelope.objects.select_related("year__contract", "mission"), pk=pk
    )
    context = {"envelope": envelope, "line": None, "year_url": year_url(envelope.year)}
    if request.method != "POST":
        return _form_page(request, LineEditor(with_livrables=True), context)
    editor = LineEditor(request.POST, with_livrables=True)
    if editor.is_valid():
        try:
            with transaction.atomic():
                line = services.create_line(
                    envelope,
                    editor.data(),
                    livrables=editor.livrables(),
                    by=logged_in_user(request),
                )
                _save_link(line, editor.indicator())
        except ValidationError as error:
            editor.add_service_errors(error)
        else:
            messages.success(
                request, _("La ligne « %(label)s » est créée.") % {"label": line.label}
            )
            return _to_line(line.pk)
    return _form_page(request, editor, context)


@permission_required(WRITE)
@require_http_methods(["GET", "HEAD", "POST"])
def line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = selectors.line_detail(pk)
    context = {"envelope": line.envelope, "line": line, "year_url": year_url(line.envelope.year)}
    if request.method != "POST":
        return _form_page(request, LineEditor(line=line), context)
    editor = LineEditor(request.POST, line=line)
    if editor.is_valid():
        try:
            with transaction.atomic():
                services.update_line(line, editor.data(), by=logged_in_user(request))
                _save_link(line, editor.indicator())
        except ValidationError as error:
            editor.add_service_errors(error)
        else:
            messages.success(request, _("La ligne est enregistrée."))
            return _to_line(line.pk)
    return _form_page(request, editor, context)


@permission_required(WRITE)
@require_POST
def line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(IndicatorLine.objects.select_related("envelope__year"), pk=pk)
    year = line.envelope.year
    label = line.label
    services.delete_line(line, by=logged_in_user(request))
    messages.success(request, _("La ligne « %(label)s » est supprimée.") % {"label": label})
    return redirect(year_url(year))


# --- Result --------------------------------------------------------------------------------


@permission_required(WRITE)
@require_POST
def line_assess(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the result; htmx gets the updated result card back, a browser the line page."""
    line = selectors.line_detail(pk)
    form = AssessForm(request.POST, request.FILES, line=line)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.assess_line(
                line,
                done=data.get("done") if "done" in form.fields else None,
                achieved=data.get("achieved"),
                source=data["source"],
                note=data.get("note", ""),
                proof_file=data.get("proof_file") or None,
                by=logged_in_user(request),
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(name if name in form.fields else None, message)
        else:
            line = selectors.line_detail(pk)
            if not _is_htmx(request):
                messages.success(request, _("Le résultat de la ligne est enregistré."))
                return _to_line(line.pk, "resultat")
            form = AssessForm(line=line)
            context = _detail(request, line, assess_form=form)
            context["saved"] = True
            return render(request, "missions/lines/_result_card.html", context)
    context = _detail(request, line, assess_form=form)
    template = "_result_card.html" if _is_htmx(request) else "line_detail.html"
    return render(request, f"missions/lines/{template}", context)


@permission_required(READ)
@require_safe
def line_value_proof(request: HttpRequest, pk: int) -> FileResponse:
    line = get_object_or_404(IndicatorLine, pk=pk)
    return _file_response(line.achieved_proof)


# --- Livrables and proofs ------------------------------------------------------------------


@permission_required(WRITE)
@require_POST
def livrable_add(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(IndicatorLine, pk=pk)
    form = LivrableForm(request.POST)
    if form.is_valid():
        try:
            livrable = services.add_livrable(
                line, form.cleaned_data["label"], by=logged_in_user(request)
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Livrable ajouté."))
            return _to_line(line.pk, f"livrable-{livrable.pk}")
    else:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, str(message))
    return _to_line(line.pk, "livrables")


@permission_required(WRITE)
@require_POST
def livrable_update(request: HttpRequest, pk: int) -> HttpResponse:
    livrable = selectors.livrable_for(pk)
    form = LivrableUpdateForm(request.POST)
    if form.is_valid():
        label = form.cleaned_data.get("label") or None
        status = form.cleaned_data.get("status") or None
        try:
            services.update_livrable(
                livrable, label=label, status=status, by=logged_in_user(request)
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Livrable enregistré."))
    else:
        messages.error(request, _("Statut de livrable inconnu."))
    return _to_line(livrable.line_id, f"livrable-{livrable.pk}")


@permission_required(WRITE)
@require_POST
def livrable_delete(request: HttpRequest, pk: int) -> HttpResponse:
    livrable = selectors.livrable_for(pk)
    line_pk = livrable.line_id
    services.delete_livrable(livrable, by=logged_in_user(request))
    messages.success(request, _("Le livrable et ses justificatifs sont supprimés."))
    return _to_line(line_pk, "livrables")


@permission_required(WRITE)
@require_POST
def proof_upload(request: HttpRequest, pk: int) -> HttpResponse:
    livrable = selectors.livrable_for(pk)
    form = ProofForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_proof(
                livrable,
                form.cleaned_data["file"],
                title=form.cleaned_data.get("title", ""),
                by=logged_in_user(request),
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Justificatif déposé."))
    else:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, str(message))
    return _to_line(livrable.line_id, f"livrable-{livrable.pk}")


@permission_required(READ)
@require_safe
def proof_download(request: HttpRequest, pk: int) -> FileResponse:
    proof = selectors.proof_for(pk)
    return _file_response(proof.file)


@permission_required(WRITE)
@require_POST
def proof_delete(request: HttpRequest, pk: int) -> HttpResponse:
    proof = selectors.proof_for(pk)
    livrable = proof.livrable
    services.delete_proof(proof, by=logged_in_user(request))
    messages.success(request, _("Le justificatif est supprimé."))
    return _to_line(livrable.line_id, f"livrable-{livrable.pk}")


def _file_response(stored: FieldFile) -> FileResponse:
    if not stored or not stored.name:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=PurePosixPath(stored.name).name)


# --- Carrying into the next year -----------------------------------------------------------


@permission_required(WRITE)
@require_http_methods(["GET", "HEAD", "POST"])
def lines_carry_over(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what would be carried and skipped, per mission, to confirm. POST with
    ``confirm``: carry; a POST without it (the year page's button) shows the confirmation."""
    year = get_object_or_404(ContractYear.objects.select_related("contract"), pk=pk)
    if request.method != "POST":
        context: dict[str, Any] = {"year": year, "year_url": year_url(year)}
        try:
            context["plan"] = selectors.carry_over_plan(year)
        except ValidationError as error:
            context["refusal"] = error_text(error)
        return render(request, "missions/lines/carry_over.html", context)
    if request.POST.get("confirm") != "1":
        return redirect("lines_carry_over", pk=year.pk)
    try:
        count = services.carry_over(year, by=logged_in_user(request))
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        if count:
            messages.success(
                request,
                _("%(count)s ligne(s) non atteinte(s) reportée(s) sur l'année %(number)s.")
                % {"count": count, "number": year.number + 1},
            )
        else:
            messages.info(request, _("Aucune ligne à reporter : tout est atteint ou déjà reporté."))
    return redirect(year_url(year))


urlpatterns = [
    path("contrat/lignes/<int:pk>/", line_detail, name="line_detail"),
    path("contrat/enveloppes/<int:pk>/lignes/nouvelle/", line_create, name="line_create"),
    path("contrat/lignes/<int:pk>/modifier/", line_edit, name="line_edit"),
    path("contrat/lignes/<int:pk>/supprimer/", line_delete, name="line_delete"),
    path("contrat/lignes/<int:pk>/resultat/", line_assess, name="line_assess"),
    path("contrat/lignes/<int:pk>/justificatif-valeur/", line_value_proof, name="line_value_proof"),
    path("contrat/lignes/<int:pk>/livrables/", livrable_add, name="livrable_add"),
    path("contrat/livrables/<int:pk>/", livrable_update, name="livrable_update"),
    path("contrat/livrables/<int:pk>/supprimer/", livrable_delete, name="livrable_delete"),
    path("contrat/livrables/<int:pk>/justificatifs/", proof_upload, name="proof_upload"),
    path("contrat/justificatifs/<int:pk>/", proof_download, name="proof_download"),
    path("contrat/justificatifs/<int:pk>/supprimer/", proof_delete, name="proof_delete"),
    path("contrat/annees/<int:pk>/reporter/", lines_carry_over, name="lines_carry_over"),
]
