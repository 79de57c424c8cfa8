"""Crisis activations, their sites and shifts, and the roster. Reading needs
``crisis.view``, writing ``crisis.manage``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cpts.permissions import permission_required, user_can
from cpts.views.messaging import error_text
from crisis.forms import ActivationForm, ShiftForm, SiteForm, raise_on
from crisis.models import Activation, Shift, SignUp, Site
from crisis.selectors.activations import covered_years, due_crisis_lines
from crisis.selectors.alerts import alert_list
from crisis.selectors.rosters import (
    RosterFilters,
    activation_sites,
    roster_page,
    roster_totals,
    shift_for_edit,
)
from crisis.services.activations import save_activation
from crisis.services.rosters import save_shift, save_site, withdraw


@permission_required("crisis.manage")
@require_http_methods(["GET", "POST"])
def activation_create(request: HttpRequest) -> HttpResponse:
    return _activation_form(request, None)


@permission_required("crisis.manage")
@require_http_methods(["GET", "POST"])
def activation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _activation_form(request, get_object_or_404(Activation, pk=pk))


def _activation_form(request: HttpRequest, activation: Activation | None) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = ActivationForm(request.POST)
        if form.is_valid():
            try:
                saved = save_activation(activation, form.cleaned_data)
            except ValidationError as error:
                raise_on(form, error)
            else:
                messages.success(
                    request, _("La crise « %(title)s » est enregistrée.") % {"title": saved.title}
                )
                return redirect("activation_detail", pk=saved.pk)
        status = 400
    else:
        form = ActivationForm.for_activation(activation) if activation else ActivationForm()
    return render(
        request,
        "crisis/activation_form.html",
        {"form": form, "activation": activation},
        status=status,
    )


@permission_required("crisis.view")
@require_safe
def activation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activation = get_object_or_404(Activation, pk=pk)
    return render(
        request,
        "crisis/activation_detail.html",
        {
            "activation": activation,
            "sites": list(activation_sites(activation)),
            "totals": roster_totals(activation),
            "years": list(covered_years(activation)),
            "due_lines": due_crisis_lines(activation),
            "alerts": list(alert_list().filter(activation=activation)[:10]),
            "can_manage": user_can(request.user, "crisis.manage"),
        },
    )


@permission_required("crisis.manage")
@require_http_methods(["GET", "POST"])
def site_create(request: HttpRequest, pk: int) -> HttpResponse:
    activation = get_object_or_404(Activation, pk=pk)
    return _site_form(request, activation, None)


@permission_required("crisis.manage")
@require_http_methods(["GET", "POST"])
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_object_or_404(Site.objects.select_related("activation"), pk=pk)
    return _site_form(request, site.activation, site)


def _site_form(request: HttpRequest, activation: Activation, site: Site | None) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = SiteForm(request.POST)
        if form.is_valid():
            try:
                saved = save_site(site, activation, form.cleaned_data)
            except ValidationError as error:
                raise_on(form, error)
            else:
                messages.success(
                    request, _("Le site « %(name)s » est enregistré.") % {"name": saved.name}
                )
                return redirect("activation_detail", pk=activation.pk)
        status = 400
    else:
        initial: dict[str, Any] = {}
        if site is not None:
            initial = {
                "name": site.name,
                "kind": site.kind,
                "address": site.address,
                "commune": site.commune_id,
            }
        form = SiteForm(initial=initial)
    return render(
        request,
        "crisis/site_form.html",
        {"form": form, "activation": activation, "site": site},
        status=status,
    )


@permission_required("crisis.manage")
@require_http_methods(["GET", "POST"])
def shift_create(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_object_or_404(Site.objects.select_related("activation"), pk=pk)
    return _shift_form(request, site, None)


@permission_required("crisis.manage")
@require_http_methods(["GET", "POST"])
def shift_edit(request: HttpRequest, pk: int) -> HttpResponse:
    shift = shift_for_edit(pk)
    if shift is None:
        raise Http404
    return _shift_form(request, shift.site, shift)


def _shift_form(request: HttpRequest, site: Site, shift: Shift | None) -> HttpResponse:
    status = 200
    sites = site.activation.sites.order_by("name", "pk") if shift is not None else None
    if request.method == "POST":
        form = ShiftForm(request.POST, sites=sites)
        if form.is_valid():
            try:
                saved = save_shift(
                    shift,
                    form.cleaned_data.get("site") or site,
                    starts_at=form.cleaned_data["starts_at"],
                    ends_at=form.cleaned_data["ends_at"],
                    changes_until=form.cleaned_data["changes_until"],
                    notes=form.cleaned_data["notes"],
                    needs=form.needs(),
                )
            except ValidationError as error:
                raise_on(form, error)
            else:
                messages.success(request, _("Le créneau est enregistré."))
                return redirect("crisis_roster", pk=saved.site.activation_id)
        status = 400
    else:
        form = ShiftForm(initial=ShiftForm.initial_for(shift) if shift else {}, sites=sites)
    return render(
        request,
        "crisis/shift_form.html",
        {"form": form, "site": site, "shift": shift, "activation": site.activation},
        status=status,
    )


@permission_required("crisis.view")
@require_safe
def crisis_roster(request: HttpRequest, pk: int) -> HttpResponse:
    activation = get_object_or_404(Activation, pk=pk)
    filters = RosterFilters.from_query(request.GET)
    page = roster_page(activation, filters, request.GET.get("page"))
    return render(
        request,
        "crisis/roster.html",
        {
            "activation": activation,
            "filters": filters,
            "page": page,
            "sites": list(activation.sites.order_by("name", "pk")),
            "totals": roster_totals(activation),
            "can_manage": user_can(request.user, "crisis.manage"),
        },
    )


@permission_required("crisis.manage")
@require_POST
def roster_signup_remove(request: HttpRequest, pk: int) -> HttpResponse:
    signup = get_object_or_404(SignUp.objects.select_related("shift__site", "member"), pk=pk)
    activation_pk = signup.shift.site.activation_id
    try:
        withdraw(signup, force=True)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("%(member)s n'est plus inscrit(e) sur ce créneau.")
            % {"member": signup.member.display_name},
        )
    return redirect("crisis_roster", pk=activation_pk)


urlpatterns = [
    path("crise/crises/nouvelle/", activation_create, name="activation_create"),
    path("crise/crises/<int:pk>/", activation_detail, name="activation_detail"),
    path("crise/crises/<int:pk>/modifier/", activation_edit, name="activation_edit"),
    path("crise/crises/<int:pk>/planning/", crisis_roster, name="crisis_roster"),
    path("crise/crises/<int:pk>/sites/nouveau/", site_create, name="site_create"),
    path("crise/sites/<int:pk>/modifier/", site_edit, name="site_edit"),
    path("crise/sites/<int:pk>/creneaux/nouveau/", shift_create, name="shift_create"),
    path("crise/creneaux/<int:pk>/modifier/", shift_edit, name="shift_edit"),
    path(
        "crise/inscriptions/<int:pk>/retirer/",
        roster_signup_remove,
        name="roster_signup_remove",
    ),
]
