"""The contract pages: the current contract (years, missions, deadlines), its creation and
edition, each mission's dates, a contract year with its envelopes and earnings, and the
deadline alerts fragment of the coordinator's home."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cpts.permissions import permission_required
from cpts.selectors.territory import territory_summary
from missions.forms.contract import (
    ContractCreateForm,
    ContractEditForm,
    ContractMissionForm,
    ContractYearForm,
    EnvelopeForm,
)
from missions.models import (
    Contract,
    ContractMission,
    ContractYear,
    Mission,
    MissionEnvelope,
    MissionKind,
)
from missions.selectors.contract import (
    contract_alerts as read_alerts,
)
from missions.selectors.contract import (
    contract_overview,
    current_contract,
    envelope_missions,
    year_overview,
)
from missions.services.contract import (
    create_contract,
    create_envelope,
    delete_envelope,
    record_mission_dates,
    set_mission_chosen,
    update_contract,
    update_envelope,
    update_year,
)


def _add_errors(form: BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def contract_url(contract: Contract) -> str:
    return f"{reverse('contract_home')}?contrat={contract.pk}"


def _year_url(year: ContractYear) -> str:
    return reverse("contract_year_detail", args=[year.pk])


# --- The contract ---


@permission_required("missions.view")
def contract_home(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("contrat", "")
    contract = None
    if raw.isdigit() and len(raw) < 10:
        contract = Contract.objects.filter(pk=int(raw)).first()
    contract = contract or current_contract()
    if contract is None:
        return render(
            request, "missions/contract/contract_home.html", {"overview": None, "today": None}
        )
    today = timezone.localdate()
    return render(
        request,
        "missions/contract/contract_home.html",
        {
            "overview": contract_overview(contract, today),
            "today": today,
        },
    )


@permission_required("missions.manage")
def contract_create(request: HttpRequest) -> HttpResponse:
    form = ContractCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contract = create_contract(
                signed_on=data["signed_on"],
                cpam=data["cpam"],
                ars=data["ars"],
                reference=data["reference"],
                status=data["status"],
                notes=data["notes"],
                optional_missions=data["optional_missions"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Contrat enregistré avec ses cinq années."))
            return redirect(contract_url(contract))
    return render(
        request,
        "missions/contract/contract_form.html",
        {"form": form, "contract": None, "territory": territory_summary()},
    )


@permission_required("missions.manage")
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_object_or_404(Contract, pk=pk)
    initial = {
        "signed_on": contract.signed_on,
        "cpam": contract.cpam,
        "ars": contract.ars,
        "reference": contract.reference,
        "status": contract.status,
        "notes": contract.notes,
    }
    form = ContractEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contract = update_contract(
                contract,
                signed_on=data["signed_on"],
                cpam=data["cpam"],
                ars=data["ars"],
                reference=data["reference"],
                status=data["status"],
                notes=data["notes"],
                retake_taille=data["retake_taille"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Contrat modifié."))
            return redirect(contract_url(contract))
    return render(
        request,
        "missions/contract/contract_form.html",
        {"form": form, "contract": contract, "territory": territory_summary()},
    )


@permission_required("missions.manage")
@require_POST
def contract_mission_update(request: HttpRequest, pk: int, mission_pk: int) -> HttpResponse:
    contract = get_object_or_404(Contract, pk=pk)
    mission = get_object_or_404(Mission, pk=mission_pk)
    form = ContractMissionForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for message in errors:
                messages.error(request, f"{mission} — {label} : {message}")
        return redirect(contract_url(contract))
    data = form.cleaned_data
    chosen = data["chosen"] or mission.kind == MissionKind.SOCLE
    try:
        set_mission_chosen(contract, mission, chosen)
        if chosen:
            contract_mission = ContractMission.objects.get(contract=contract, mission=mission)
            record_mission_dates(contract_mission, data["started_on"], data["deployed_on"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, f"{mission} : {message}")
    else:
        messages.success(
            request,
            _("Mission « %(mission)s » mise à jour.") % {"mission": mission}
            if chosen
            else _("Mission « %(mission)s » retirée du contrat.") % {"mission": mission},
        )
    return redirect(contract_url(contract))


# --- Contract years ---


@permission_required("missions.view")
def contract_year_detail(request: HttpRequest, pk: int) -> HttpResponse:
    year = get_object_or_404(ContractYear.objects.select_related("contract"), pk=pk)
    return render(request, "missions/contract/year_detail.html", {"overview": year_overview(year)})


@permission_required("missions.manage")
def contract_year_edit(request: HttpRequest, pk: int) -> HttpResponse:
    year = get_object_or_404(ContractYear.objects.select_related("contract"), pk=pk)
    initial = {
        "fonctionnement": year.fonctionnement,
        "crisis_recognised": year.crisis_recognised,
        "dialogue_on": year.dialogue_on,
    }
    form = ContractYearForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_year(year, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Année %(number)s modifiée.") % {"number": year.number})
            return redirect(_year_url(year))
    return render(request, "missions/contract/year_form.html", {"form": form, "year": year})


# --- Envelopes ---


@permission_required("missions.manage")
def envelope_create(request: HttpRequest, pk: int) -> HttpResponse:
    year = get_object_or_404(ContractYear.objects.select_related("contract"), pk=pk)
    missions = envelope_missions(year)
    initial: dict[str, Any] = {}
    raw = request.GET.get("mission", "")
    if raw.isdigit():
        initial["mission"] = next((m.pk for m in missions if str(m.pk) == raw), None)
    form = EnvelopeForm(request.POST or None, missions=missions, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            create_envelope(
                year,
                mission=data["mission"],
                start=data["start"],
                fixed=data["fixed"],
                variable=data["variable"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Enveloppe enregistrée."))
            return redirect(_year_url(year))
    return render(
        request,
        "missions/contract/envelope_form.html",
        {"form": form, "year": year, "envelope": None, "missions": missions},
    )


@permission_required("missions.manage")
def envelope_edit(request: HttpRequest, pk: int) -> HttpResponse:
    envelope = get_object_or_404(
        MissionEnvelope.objects.select_related("year__contract", "mission"), pk=pk
    )
    initial = {"start": envelope.start, "fixed": envelope.fixed, "variable": envelope.variable}
    form = EnvelopeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update_envelope(
                envelope, start=data["start"], fixed=data["fixed"], variable=data["variable"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Enveloppe modifiée."))
            return redirect(_year_url(envelope.year))
    return render(
        request,
        "missions/contract/envelope_form.html",
        {"form": form, "year": envelope.year, "envelope": envelope, "missions": None},
    )


@permission_required("missions.manage")
@require_POST
def envelope_delete(request: HttpRequest, pk: int) -> HttpResponse:
    envelope = get_object_or_404(MissionEnvelope.objects.select_related("year", "mission"), pk=pk)
    year = envelope.year
    try:
        delete_envelope(envelope)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Enveloppe supprimée."))
    return redirect(_year_url(year))


# --- Alerts (loaded by the coordinator's home page) ---


@permission_required("missions.view")
@require_GET
def contract_alerts(request: HttpRequest) -> HttpResponse:
    return render(
        request, "backoffice/_aci_alerts.html", {"alerts": read_alerts(timezone.localdate())}
    )


urlpatterns = [
    path("contrat/", contract_home, name="contract_home"),
    path("contrat/nouveau/", contract_create, name="contract_create"),
    path("contrat/<int:pk>/modifier/", contract_edit, name="contract_edit"),
    path(
        "contrat/<int:pk>/missions/<int:mission_pk>/",
        contract_mission_update,
        name="contract_mission_update",
    ),
    path("contrat/annees/<int:pk>/", contract_year_detail, name="contract_year_detail"),
    path("contrat/annees/<int:pk>/modifier/", contract_year_edit, name="contract_year_edit"),
    path("contrat/annees/<int:pk>/enveloppes/nouvelle/", envelope_create, name="envelope_create"),
    path("contrat/enveloppes/<int:pk>/modifier/", envelope_edit, name="envelope_edit"),
    path("contrat/enveloppes/<int:pk>/supprimer/", envelope_delete, name="envelope_delete"),
    path("contrat/alertes/", contract_alerts, name="contract_alerts"),
]
