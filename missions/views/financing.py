"""The financing schedule of the current contract (expected against received, per year, with
its charts) and the payments received, recorded by the treasurer or the coordination."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpts.permissions import permission_required
from missions.forms.financing import ReceivedPaymentForm
from missions.models import CONTRACT_YEARS, ContractYear, ReceivedPayment
from missions.selectors.contract import current_contract
from missions.selectors.financing import contract_financing
from missions.services.financing import (
    contract_missions,
    delete_received_payment,
    record_received_payment,
    update_received_payment,
)


def _add_errors(form: BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _year_filter(raw: str | None) -> int | None:
    """The year asked for by ``?annee=``; anything else shows every year."""
    if raw and raw.isascii() and raw.isdigit() and 1 <= int(raw) <= CONTRACT_YEARS:
        return int(raw)
    return None


def _schedule_url(year: ContractYear) -> str:
    return f"{reverse('financing_schedule')}?annee={year.number}#annee-{year.number}"


def _euros(amount: Any) -> str:
    return f"{number_format(amount, decimal_pos=2, force_grouping=True)}\xa0€"


@permission_required("missions.view")
def financing_schedule(request: HttpRequest) -> HttpResponse:
    contract = current_contract()
    context: dict[str, Any] = {"contract": contract, "nav_section": "missions"}
    if contract is not None:
        financing = contract_financing(contract, timezone.localdate())
        number = _year_filter(request.GET.get("annee"))
        shown = [y for y in financing.years if number is None or y.year.number == number]
        context.update(
            financing=financing,
            shown=[(y, y.nature_chart(), y.cumulative_chart()) for y in shown],
            selected=number,
            years_chart=financing.years_chart(),
        )
    return render(request, "missions/financing/schedule.html", context)


def _payment_form(
    request: HttpRequest, year: ContractYear, payment: ReceivedPayment | None
) -> HttpResponse:
    initial: dict[str, Any] = {"received_on": timezone.localdate()}
    if payment is not None:
        initial = {
            "received_on": payment.received_on,
            "amount": payment.amount,
            "nature": payment.nature,
            "mission": payment.mission_id,
            "reference": payment.reference,
            "note": payment.note,
        }
    form = ReceivedPaymentForm(
        request.POST or None, initial=initial, missions=contract_missions(year)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "received_on": data["received_on"],
            "amount": data["amount"],
            "nature": data["nature"],
            "mission": data["mission"],
            "reference": data["reference"],
            "note": data["note"],
        }
        try:
            if payment is None:
                saved = record_received_payment(year, recorded_by=request.user, **fields)
            else:
                saved = update_received_payment(payment, **fields)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            text = (
                _("Versement de %(amount)s reçu le %(date)s enregistré pour l'année %(number)s.")
                if payment is None
                else _("Versement de %(amount)s reçu le %(date)s modifié (année %(number)s).")
            )
            messages.success(
                request,
                text
                % {
                    "amount": _euros(saved.amount),
                    "date": saved.received_on.strftime("%d/%m/%Y"),
                    "number": year.number,
                },
            )
            return redirect(_schedule_url(year))
    return render(
        request,
        "missions/financing/payment_form.html",
        {
            "form": form,
            "year": year,
            "payment": payment,
            "back_url": _schedule_url(year),
            "nav_section": "missions",
        },
    )


@permission_required("finance.approve")
def received_payment_create(request: HttpRequest, pk: int) -> HttpResponse:
    year = get_object_or_404(ContractYear.objects.select_related("contract"), pk=pk)
    return _payment_form(request, year, None)


@permission_required("finance.approve")
def received_payment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    payment = get_object_or_404(
        ReceivedPayment.objects.select_related("year__contract", "mission"), pk=pk
    )
    return _payment_form(request, payment.year, payment)


@permission_required("finance.approve")
@require_POST
def received_payment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    payment = get_object_or_404(ReceivedPayment.objects.select_related("year"), pk=pk)
    year = payment.year
    description = {
        "amount": _euros(payment.amount),
        "date": payment.received_on.strftime("%d/%m/%Y"),
    }
    delete_received_payment(payment)
    messages.success(request, _("Versement de %(amount)s reçu le %(date)s supprimé.") % description)
    return redirect(_schedule_url(year))


urlpatterns = [
    path("contrat/financement/", financing_schedule, name="financing_schedule"),
    path(
        "contrat/annees/<int:pk>/versements/nouveau/",
        received_payment_create,
        name="received_payment_create",
    ),
    path(
        "contrat/versements/<int:pk>/modifier/",
        received_payment_edit,
        name="received_payment_edit",
    ),
    path(
        "contrat/versements/<int:pk>/supprimer/",
        received_payment_delete,
        name="received_payment_delete",
    ),
]
