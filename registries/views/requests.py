"""Pages of the médecin traitant register: the requests (list with filters, creation,
edition, the request's page with the doctors who can take it and its transitions), the
doctors taking new patients, the maîtres de stage and the coordination's edition of a member's
profile. Reads need ``registries.view``, writes ``registries.manage``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cpts.permissions import permission_required, user_can
from cpts.views.messaging import error_text, form_error_text
from members.models import Member
from missions.models import AgeBand
from registries import selectors
from registries.forms import GpRequestForm, ProfileForm, TransitionForm
from registries.models import PRIORITY_CRITERIA, GpRequest, Origin, RequestStatus
from registries.services import (
    ACTION_LABELS,
    TRANSITIONS,
    profile_for,
    save_profile,
    save_record,
    suggested_reference,
    transition_request,
)
from registries.views.registers import PAGE_SIZE, _add_errors

PICK_LIMIT = 20


@permission_required("registries.view")
@require_safe
def gp_request_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.RequestFilters.from_query(request.GET)
    page = Paginator(selectors.request_rows(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "statuses": RequestStatus.choices,
        "criteria": PRIORITY_CRITERIA,
        "origins": Origin.choices,
        "communes": selectors.territory_communes(),
        "years": selectors.request_years(),
        "counts": selectors.status_counts(),
        "can_manage": user_can(request.user, "registries.manage"),
    }
    return render(request, "registries/requests/list.html", context)


@permission_required("registries.manage")
def gp_request_create(request: HttpRequest) -> HttpResponse:
    form = GpRequestForm(
        request.POST or None,
        initial={"reference": suggested_reference(), "received_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = save_record(form.instance)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("La demande %(ref)s est enregistrée.") % {"ref": created})
            return redirect("gp_request_detail", created.pk)
    return render(request, "registries/requests/form.html", {"form": form, "item": None})


@permission_required("registries.manage")
def gp_request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(GpRequest, pk=pk)
    form = GpRequestForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            save_record(form.instance)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("La demande %(ref)s est enregistrée.") % {"ref": item})
            return redirect("gp_request_detail", item.pk)
    return render(request, "registries/requests/form.html", {"form": form, "item": item})


@permission_required("registries.view")
@require_safe
def gp_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        GpRequest.objects.select_related("commune", "proposed_to", "doctor"), pk=pk
    )
    can_manage = user_can(request.user, "registries.manage")
    actions = [
        (action, ACTION_LABELS[action])
        for action, (sources, _target) in TRANSITIONS.items()
        if item.status in sources and action != "propose"
    ]
    context = {
        "item": item,
        "age_band": AgeBand(item.age_band).label,
        "can_manage": can_manage,
        "candidates": selectors.candidate_doctors(item)
        if can_manage and item.status == RequestStatus.WAITING
        else [],
        "actions": actions if can_manage else [],
        "today": timezone.localdate(),
    }
    return render(request, "registries/requests/detail.html", context)


@permission_required("registries.manage")
@require_POST
def gp_request_transition(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(GpRequest, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form) or _("Action impossible."))
        return redirect("gp_request_detail", item.pk)
    action = form.cleaned_data["action"]
    try:
        updated = transition_request(
            item, action, on=form.cleaned_data["on"], doctor=form.cleaned_data["doctor"]
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("Demande %(ref)s : %(status)s.")
            % {"ref": updated.reference, "status": updated.get_status_display().lower()},
        )
    return redirect("gp_request_detail", item.pk)


@permission_required("registries.view")
@require_safe
def gp_doctor_list(request: HttpRequest) -> HttpResponse:
    commune = selectors.positive_id(request.GET.get("commune", ""))
    rows = selectors.available_doctors(commune)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "commune": commune,
        "communes": selectors.territory_communes(),
        "can_manage": user_can(request.user, "registries.manage"),
    }
    return render(request, "registries/requests/doctors.html", context)


@permission_required("registries.view")
@require_safe
def supervisor_list(request: HttpRequest) -> HttpResponse:
    search = selectors.clean_search(request.GET)
    page = Paginator(selectors.supervisor_rows(search), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "search": search,
        "can_manage": user_can(request.user, "registries.manage"),
    }
    return render(request, "registries/supervisors.html", context)


@permission_required("registries.manage")
def profile_edit(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = get_object_or_404(Member.objects.select_related("profession"), pk=member_pk)
    profile = profile_for(member)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            save_profile(form.instance)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Le profil de %(name)s est enregistré.") % {"name": member})
            return redirect("gp_doctor_list")
    if request.method == "POST" and form.errors:
        messages.error(request, form_error_text(form))
    return render(
        request, "registries/profile_form.html", {"form": form, "member": member, "portal": False}
    )


urlpatterns = [
    path("registres/medecin-traitant/", gp_request_list, name="gp_request_list"),
    path("registres/medecin-traitant/nouvelle/", gp_request_create, name="gp_request_create"),
    path("registres/medecin-traitant/<int:pk>/", gp_request_detail, name="gp_request_detail"),
    path("registres/medecin-traitant/<int:pk>/modifier/", gp_request_edit, name="gp_request_edit"),
    path(
        "registres/medecin-traitant/<int:pk>/statut/",
        gp_request_transition,
        name="gp_request_transition",
    ),
    path("registres/medecins-disponibles/", gp_doctor_list, name="gp_doctor_list"),
    path("registres/maitres-de-stage/", supervisor_list, name="supervisor_list"),
    path("registres/profils/<int:member_pk>/", profile_edit, name="registry_profile_edit"),
]


@permission_required("registries.manage")
@require_safe
def registry_profile_pick(request: HttpRequest) -> HttpResponse:
    """Find a member by name to open their profile (new patients, maître de stage)."""
    search = selectors.clean_search(request.GET)
    found = (
        list(
            selectors.person_members()
            .filter(selectors.member_name_q(search, ""))
            .select_related("commune")[:PICK_LIMIT]
        )
        if search
        else []
    )
    return render(
        request,
        "registries/profile_pick.html",
        {"search": search, "found": found, "limit": PICK_LIMIT},
    )


urlpatterns.append(
    path("registres/profils/choisir/", registry_profile_pick, name="registry_profile_pick")
)
