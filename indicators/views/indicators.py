"""Pages of the indicators: the catalogue with the current values of a period, one indicator
with its contract lines, trend chart and history, typing a value by hand, editing imported or
manual definitions, and asking for the recomputation of the computed ones. Reading needs
``indicators.view``, writing ``indicators.manage``."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cpts.permissions import permission_required, user_can
from cpts.views.messaging import logged_in_user
from indicators.forms.indicators import DefinitionForm, MeasurementForm
from indicators.models import IndicatorDefinition, Measurement, MeasurementSource
from indicators.periods import PeriodError, PeriodKind, parse_period
from indicators.selectors import indicators as selectors
from indicators.services.definitions import create_definition, editable, update_definition
from indicators.services.measurements import MeasurementError, NewMeasurement, record_measurements
from indicators.services.recompute import request_recompute

READ = "indicators.view"
WRITE = "indicators.manage"


@permission_required(READ)
@require_safe
def indicator_list(request: HttpRequest) -> HttpResponse:
    contract = selectors.contract_with_years()
    choice = selectors.choose_period(request.GET.get("periode"), contract)
    if choice.error:
        messages.warning(request, choice.error)
    return render(
        request,
        "indicators/pages/list.html",
        {
            "period": choice.period,
            "period_text": choice.text,
            "period_options": selectors.period_options(contract),
            "groups": selectors.catalogue(choice.period),
            "can_manage": user_can(request.user, WRITE),
        },
    )


@permission_required(READ)
@require_safe
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = selectors.definition_for(pk)
    contract = selectors.contract_with_years()
    choice = selectors.choose_period(request.GET.get("periode"), contract)
    if choice.error:
        messages.warning(request, choice.error)
    kind = request.GET.get("serie", "")
    if kind not in selectors.TREND_KINDS:
        kind = PeriodKind.CONTRACT_YEAR if contract is not None else PeriodKind.YEAR
    lines = selectors.linked_lines(indicator)
    references = selectors.references(lines[0] if lines else None)
    points = selectors.trend(indicator, kind, contract)
    return render(
        request,
        "indicators/pages/detail.html",
        {
            "indicator": indicator,
            "period": choice.period,
            "period_text": choice.text,
            "period_options": selectors.period_options(contract),
            "kind": kind,
            "kinds": [(value, PeriodKind(value).label) for value in selectors.TREND_KINDS],
            "lines": lines,
            "references": [
                (reference, selectors.format_value(reference.value, indicator.unit))
                for reference in references
            ],
            "points": [
                (point, selectors.format_value(point.value, indicator.unit)) for point in points
            ],
            "chart": selectors.trend_chart(indicator, points, references),
            "breakdowns": [
                (m, selectors.format_value(m.value, indicator.unit))
                for m in selectors.breakdowns(indicator, choice.period)
            ],
            "page": selectors.history_page(indicator, request.GET.get("page")),
            "editable": editable(indicator),
            "can_manage": user_can(request.user, WRITE),
        },
    )


@permission_required(WRITE)
@require_POST
def indicator_recompute(request: HttpRequest) -> HttpResponse:
    """Queue the recomputation of the computed indicators for the period shown, then follow
    the job on its progress page."""
    contract = selectors.contract_with_years()
    text = (request.POST.get("periode") or "").strip()[:40]
    try:
        period = parse_period(text, contract)
        if period.contract_year_id is not None:
            document = request_recompute(
                user=logged_in_user(request), contract_year_id=period.contract_year_id
            )
        else:
            document = request_recompute(user=logged_in_user(request), period=period.key)
    except PeriodError as error:
        messages.error(request, str(error))
        return redirect("indicator_list")
    messages.success(
        request,
        _("Le recalcul des indicateurs pour la période « %(period)s » est lancé.")
        % {"period": period.label},
    )
    return redirect("document_detail", pk=document.pk)


@permission_required(WRITE)
@require_http_methods(["GET", "HEAD", "POST"])
def measurement_create(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = selectors.definition_for(pk)
    if not editable(indicator):
        raise Http404
    contract = selectors.contract_with_years()
    shown = selectors.default_period(contract)
    form = MeasurementForm(
        request.POST or None,
        request.FILES or None,
        indicator=indicator,
        contract=contract,
        initial={"contract_year": shown.key if shown.contract_year_id else ""},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_measurements(
                [
                    NewMeasurement(
                        indicator=indicator,
                        period=data["period_value"],
                        value=data["value"],
                        breakdown=data.get("breakdown", "").strip(),
                    )
                ],
                source=MeasurementSource.MANUAL,
                user=logged_in_user(request),
                note=data.get("note", ""),
                proof=data.get("proof"),
            )
        except MeasurementError as error:
            form.add_error("value", str(error))
        else:
            messages.success(
                request,
                _("Valeur enregistrée pour la période « %(period)s ».")
                % {"period": data["period_value"].label},
            )
            return redirect("indicator_detail", pk=indicator.pk)
    return render(
        request, "indicators/pages/measurement_form.html", {"indicator": indicator, "form": form}
    )


@permission_required(READ)
@require_safe
def measurement_proof(request: HttpRequest, pk: int) -> FileResponse:
    measurement = get_object_or_404(Measurement, pk=pk)
    stored = measurement.proof
    if not stored or not stored.name:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=PurePosixPath(stored.name).name)


def _definition_page(request: HttpRequest, definition: IndicatorDefinition | None) -> HttpResponse:
    form = DefinitionForm(request.POST or None, instance=definition)
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            if definition is None:
                saved = create_definition(data)
            else:
                saved = update_definition(definition, data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Indicateur « %(label)s » enregistré.") % {"label": saved})
            return redirect("indicator_detail", pk=saved.pk)
    return render(
        request,
        "indicators/pages/definition_form.html",
        {"form": form, "indicator": definition},
    )


@permission_required(WRITE)
@require_http_methods(["GET", "HEAD", "POST"])
def indicator_create(request: HttpRequest) -> HttpResponse:
    return _definition_page(request, None)


@permission_required(WRITE)
@require_http_methods(["GET", "HEAD", "POST"])
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    definition = selectors.definition_for(pk)
    if not editable(definition):
        raise Http404
    return _definition_page(request, definition)


urlpatterns: list[URLPattern] = [
    path("indicateurs/", indicator_list, name="indicator_list"),
    path("indicateurs/nouveau/", indicator_create, name="indicator_create"),
    path("indicateurs/recalculer/", indicator_recompute, name="indicator_recompute"),
    path("indicateurs/<int:pk>/", indicator_detail, name="indicator_detail"),
    path("indicateurs/<int:pk>/modifier/", indicator_edit, name="indicator_edit"),
    path(
        "indicateurs/<int:pk>/valeurs/nouvelle/",
        measurement_create,
        name="measurement_create",
    ),
    path(
        "indicateurs/valeurs/<int:pk>/justificatif/",
        measurement_proof,
        name="measurement_proof",
    ),
]
