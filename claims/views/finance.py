"""The treasurer's tools: payment batches (created from the approved claims, with their CSV,
XLSX and SEPA files), the year's totals, and the tariffs page (tariffs, mileage scale, PASS,
closed periods)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from claims.exports import batch_csv, batch_sepa, batch_xlsx
from claims.forms import (
    BatchForm,
    ClosePeriodForm,
    MileageRateForm,
    PassForm,
    TariffForm,
    apply_service_error,
)
from claims.models import ClosedPeriod, MileageRate, PassCeiling, PaymentBatch, Tariff
from claims.selectors import batch_claims, members_near_cap, payable_claims, year_totals
from claims.services.batches import close_period, create_batch
from claims.services.tariffs import set_mileage_rate, set_pass, set_tariff
from claims.views._queries import batch_summaries
from claims.views._shared import CLAIM_RELATED, paginate
from cpts.permissions import permission_required
from cpts.views.messaging import error_text, form_error_text, logged_in_user

EXPORTS = {
    "csv": (batch_csv, "text/csv; charset=utf-8", "csv"),
    "xlsx": (
        batch_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "sepa": (batch_sepa, "application/xml", "xml"),
}


@permission_required("finance.view")
@require_safe
def batch_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "claims/batch_list.html",
        {"page": paginate(request, batch_summaries()), "nav_section": "claims"},
    )


@permission_required("finance.approve")
@require_http_methods(["GET", "POST"])
def batch_create(request: HttpRequest) -> HttpResponse:
    payable = payable_claims().select_related(*CLAIM_RELATED)
    form = BatchForm(request.POST or None)
    status = 200
    if request.method == "POST":
        raw = request.POST.getlist("claims")
        ids = [int(v) for v in raw if v.isdigit() and len(v) < 10]
        if form.is_valid():
            if not ids:
                form.add_error(None, _("Cochez au moins une demande approuvée à payer."))
            else:
                try:
                    batch = create_batch(
                        list(payable.filter(pk__in=ids)),
                        by=logged_in_user(request),
                        paid_on=form.cleaned_data["paid_on"],
                        label=form.cleaned_data["label"],
                    )
                except ValidationError as error:
                    apply_service_error(form, error)
                else:
                    messages.success(
                        request,
                        _("Le lot « %(label)s » est créé ; ses demandes sont payées.")
                        % {"label": batch.label},
                    )
                    return redirect("batch_detail", pk=batch.pk)
        status = 400
    return render(
        request,
        "claims/batch_create.html",
        {"form": form, "page": paginate(request, payable, per_page=200), "nav_section": "claims"},
        status=status,
    )


def _batch_or_404(pk: int) -> PaymentBatch:
    batch = PaymentBatch.objects.select_related("created_by").filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch


@permission_required("finance.view")
@require_safe
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_or_404(pk)
    rows = batch_claims(batch).select_related(*CLAIM_RELATED)
    return render(
        request,
        "claims/batch_detail.html",
        {
            "batch": batch,
            "page": paginate(request, rows, per_page=50),
            "summary": batch_summaries().filter(pk=batch.pk).first(),
            "nav_section": "claims",
        },
    )


@permission_required("finance.approve")
@require_safe
def batch_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    batch = _batch_or_404(pk)
    if fmt not in EXPORTS:
        raise Http404
    build, content_type, extension = EXPORTS[fmt]
    try:
        content = build(batch)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("batch_detail", pk=batch.pk)
    response = HttpResponse(content, content_type=content_type)
    filename = f"lot-{batch.pk}-{batch.paid_on:%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@permission_required("finance.view")
@require_safe
def claims_totals(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    raw = str(request.GET.get("annee", ""))
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else today.year
    return render(
        request,
        "claims/totals.html",
        {
            "year": year,
            "years": list(range(today.year, today.year - 5, -1)),
            "totals": year_totals(year),
            "near_cap": members_near_cap(year),
            "nav_section": "claims",
        },
    )


# --- Tariffs, mileage scale, PASS, closed periods --------------------------------------


def _settings_context(**forms: object) -> dict[str, object]:
    return {
        "tariffs": Tariff.objects.select_related("profession")[:100],
        "mileage_rates": MileageRate.objects.all()[:50],
        "ceilings": PassCeiling.objects.all()[:20],
        "closed_periods": ClosedPeriod.objects.all()[:60],
        "tariff_form": forms.get("tariff_form") or TariffForm(),
        "mileage_form": forms.get("mileage_form") or MileageRateForm(),
        "pass_form": forms.get("pass_form") or PassForm(),
        "period_form": forms.get("period_form") or ClosePeriodForm(),
        "nav_section": "claims",
    }


@permission_required("claims.tariffs", "finance.approve")
@require_safe
def claims_settings(request: HttpRequest) -> HttpResponse:
    return render(request, "claims/settings.html", _settings_context())


def _settings_post(
    request: HttpRequest, form_key: str, form: TariffForm | MileageRateForm | PassForm
) -> HttpResponse:
    if form.is_valid():
        data = dict(form.cleaned_data)
        by = logged_in_user(request)
        try:
            if isinstance(form, TariffForm):
                set_tariff(by=by, **data)
            elif isinstance(form, MileageRateForm):
                set_mileage_rate(by=by, **data)
            else:
                set_pass(data["year"], data["amount"], by=by)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Le barème est enregistré."))
            return redirect("claims_settings")
    messages.error(request, form_error_text(form))
    return render(
        request, "claims/settings.html", _settings_context(**{form_key: form}), status=400
    )


@permission_required("claims.tariffs")
@require_POST
def tariff_add(request: HttpRequest) -> HttpResponse:
    return _settings_post(request, "tariff_form", TariffForm(request.POST))


@permission_required("claims.tariffs")
@require_POST
def mileage_rate_add(request: HttpRequest) -> HttpResponse:
    return _settings_post(request, "mileage_form", MileageRateForm(request.POST))


@permission_required("claims.tariffs")
@require_POST
def pass_set(request: HttpRequest) -> HttpResponse:
    return _settings_post(request, "pass_form", PassForm(request.POST))


@permission_required("finance.approve")
@require_POST
def period_close(request: HttpRequest) -> HttpResponse:
    form = ClosePeriodForm(request.POST)
    if form.is_valid():
        year, month = form.cleaned_data["year"], form.cleaned_data["month"]
        try:
            period = close_period(year, month, by=logged_in_user(request))
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request,
                _("La période %(period)s est close.") % {"period": period},
            )
            return redirect("claims_settings")
    messages.error(request, form_error_text(form))
    return render(request, "claims/settings.html", _settings_context(period_form=form), status=400)


urlpatterns = [
    path("lots/", batch_list, name="batch_list"),
    path("lots/nouveau/", batch_create, name="batch_create"),
    path("lots/<int:pk>/", batch_detail, name="batch_detail"),
    path("lots/<int:pk>/export/<slug:fmt>/", batch_export, name="batch_export"),
    path("bilan/", claims_totals, name="claims_totals"),
    path("tarifs/", claims_settings, name="claims_settings"),
    path("tarifs/tarif/", tariff_add, name="tariff_add"),
    path("tarifs/bareme-kilometrique/", mileage_rate_add, name="mileage_rate_add"),
    path("tarifs/pass/", pass_set, name="pass_set"),
    path("tarifs/periode-close/", period_close, name="period_close"),
]
