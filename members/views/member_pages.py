"""The coordinator's member pages: a member's page, create and edit forms (with practice
sites), departure and reactivation, duplicates and their merge, anonymisation."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cpts.models import User
from cpts.permissions import permission_required, user_can
from cpts.selectors.territory import search_communes
from members.forms.members import (
    BasePracticeSiteFormSet,
    DepartureForm,
    MemberForm,
    PracticeSiteFormSet,
)
from members.models import Member
from members.selectors.duplicates import duplicate_groups
from members.selectors.member_page import get_member, member_adhesions, member_page
from members.services.anonymisation import anonymise_member
from members.services.members import (
    create_member,
    depart_member,
    reactivate_member,
    update_member,
)
from members.services.merging import merge_members, merge_refusal


def _actor(request: HttpRequest) -> User:
    """The signed-in user (every view here is behind a permission, so never anonymous)."""
    return cast(User, request.user)


def _apply_errors(form: Any, exc: ValidationError) -> None:
    """Show a service refusal on the form: on the field when the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@permission_required("members.view")
@require_safe
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member(pk)
    context = {
        "page": member_page(member),
        "member": member,
        "can_manage": user_can(request.user, "members.manage"),
        "today": timezone.localdate(),
    }
    return render(request, "members/pages/detail.html", context)


def _member_form_page(request: HttpRequest, member: Member | None) -> HttpResponse:
    instance = member or Member()
    if request.method == "POST":
        form = MemberForm(request.POST, instance=instance)
        formset = PracticeSiteFormSet(
            request.POST,
            instance=instance,
            prefix="sites",
            queryset=instance.sites.select_related("commune") if member else None,
        )
        if form.is_valid() and formset.is_valid():
            sites = cast(BasePracticeSiteFormSet, formset).sites()
            try:
                if member is None:
                    saved = create_member(form.cleaned_data, sites, by=_actor(request))
                else:
                    saved = update_member(member, form.cleaned_data, sites, by=_actor(request))
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                if member is None:
                    messages.success(request, _("Le membre %(name)s a été créé.") % {"name": saved})
                else:
                    messages.success(
                        request,
                        _("Les modifications de %(name)s ont été enregistrées.") % {"name": saved},
                    )
                return redirect("member_detail", pk=saved.pk)
    else:
        form = MemberForm(instance=instance)
        formset = PracticeSiteFormSet(
            instance=instance,
            prefix="sites",
            queryset=instance.sites.select_related("commune") if member else None,
        )
    context = {"form": form, "formset": formset, "member": member}
    return render(request, "members/pages/form.html", context)


@permission_required("members.manage")
@require_http_methods(["GET", "HEAD", "POST"])
def member_create(request: HttpRequest) -> HttpResponse:
    return _member_form_page(request, None)


@permission_required("members.manage")
@require_http_methods(["GET", "HEAD", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member(pk)
    if member.anonymised_at is not None:
        messages.error(request, _("Un membre anonymisé ne peut plus être modifié."))
        return redirect("member_detail", pk=member.pk)
    return _member_form_page(request, member)


@permission_required("members.manage")
@require_safe
def member_commune_options(request: HttpRequest) -> HttpResponse:
    """``<option>``s of the communes matching ``q`` (or the commune field htmx sends), for
    the forms' searchable list."""
    query = request.GET.get("q") or next(
        (str(value) for name, value in request.GET.items() if name.endswith("commune")), ""
    )
    search = search_communes(query)
    return render(request, "members/pages/_commune_options.html", {"search": search})


@permission_required("members.manage")
@require_http_methods(["GET", "HEAD", "POST"])
def member_depart(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member(pk)
    if request.method == "POST":
        form = DepartureForm(request.POST)
        if form.is_valid():
            try:
                depart_member(
                    member,
                    form.cleaned_data["departed_on"],
                    form.cleaned_data["departure_reason"],
                    by=_actor(request),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(
                    request, _("Le départ de %(name)s a été enregistré.") % {"name": member}
                )
                return redirect("member_detail", pk=member.pk)
    else:
        form = DepartureForm(initial={"departed_on": timezone.localdate()})
    return render(request, "members/pages/depart.html", {"form": form, "member": member})


@permission_required("members.manage")
@require_POST
def member_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member(pk)
    try:
        reactivate_member(member, by=_actor(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s est de nouveau membre actif.") % {"name": member})
    return redirect("member_detail", pk=member.pk)


@permission_required("members.view")
@require_safe
def member_duplicates(request: HttpRequest) -> HttpResponse:
    context = {
        "groups": duplicate_groups(),
        "can_manage": user_can(request.user, "members.manage"),
    }
    return render(request, "members/pages/duplicates.html", context)


@permission_required("members.manage")
@require_http_methods(["GET", "HEAD", "POST"])
def member_merge(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    """Merge ``other`` into ``pk`` (``pk`` is kept): a side-by-side confirmation, then the merge."""
    keep, remove = get_member(pk), get_member(other)
    refusal = merge_refusal(keep, remove)
    if request.method == "POST" and refusal is None:
        try:
            merge_members(keep, remove, by=_actor(request))
        except ValidationError as exc:
            refusal = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("%(removed)s a été fusionné dans %(kept)s.") % {"removed": remove, "kept": keep},
            )
            return redirect("member_detail", pk=keep.pk)
    context = {
        "keep": keep,
        "remove": remove,
        "keep_adhesions": member_adhesions(keep),
        "remove_adhesions": member_adhesions(remove),
        "refusal": refusal,
    }
    return render(request, "members/pages/merge.html", context)


@permission_required("members.manage")
@require_http_methods(["GET", "HEAD", "POST"])
def member_anonymise(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member(pk)
    error = None
    if request.method == "POST":
        try:
            anonymise_member(member, by=_actor(request))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Le membre a été anonymisé."))
            return redirect("member_detail", pk=member.pk)
    context = {"member": member, "error": error}
    return render(request, "members/pages/anonymise.html", context)


urlpatterns = [
    path("membres/nouveau/", member_create, name="member_create"),
    path("membres/doublons/", member_duplicates, name="member_duplicates"),
    path("membres/communes/", member_commune_options, name="member_commune_options"),
    path("membres/<int:pk>/", member_detail, name="member_detail"),
    path("membres/<int:pk>/modifier/", member_edit, name="member_edit"),
    path("membres/<int:pk>/depart/", member_depart, name="member_depart"),
    path("membres/<int:pk>/reactiver/", member_reactivate, name="member_reactivate"),
    path("membres/<int:pk>/fusionner/<int:other>/", member_merge, name="member_merge"),
    path("membres/<int:pk>/anonymiser/", member_anonymise, name="member_anonymise"),
]
