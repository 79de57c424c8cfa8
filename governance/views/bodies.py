"""Back-office pages of bodies and mandates, and the statutes settings.

``governance.view`` reads, ``governance.manage`` writes; a référent·e reads the page of the
working group they lead (``governance.access.body_for``), and nothing else (404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cpts.permissions import permission_required, user_can
from cpts.selectors.audit import audit_rows, history_for
from governance.access import body_for, can_manage_body
from governance.forms.bodies import (
    BodyForm,
    GroupMemberForm,
    MandateEndForm,
    MandateForm,
    StatutesForm,
    college_seats_formset,
)
from governance.models import Body, BodyKind, Mandate, MandateRole, Statutes
from governance.selectors.bodies import body_list as select_bodies
from governance.selectors.bodies import body_mandates, statutes_sections, upcoming_meetings
from governance.services.bodies import (
    add_group_member,
    archive_group,
    end_group_membership,
    save_body,
)
from governance.services.mandates import create_mandate, end_mandate, update_mandate
from governance.services.statutes import update_statutes
from members.models import College


def add_errors(form: BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the fields it names."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _meetings_url(body: Body) -> str | None:
    try:
        return f"{reverse('meeting_list')}?instance={body.pk}"
    except NoReverseMatch:
        return None


# --- Bodies --------------------------------------------------------------------------------


@permission_required("governance.view")
@require_safe
def body_list(request: HttpRequest) -> HttpResponse:
    archived = request.GET.get("archives") == "1"
    return render(
        request,
        "governance/bodies/body_list.html",
        {
            "bodies": select_bodies(include_archived=archived),
            "archived": archived,
            "can_manage": user_can(request.user, "governance.manage"),
            "nav_section": "governance",
        },
    )


@permission_required("governance.view", "groups.lead")
@require_safe
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    body = body_for(request.user, pk)
    mandates = body_mandates(body)
    can_manage = user_can(request.user, "governance.manage")
    # A référent·e adds and removes the plain members of the group they lead.
    can_lead = (
        not can_manage
        and body.kind == BodyKind.GROUP
        and body.archived_on is None
        and can_manage_body(request.user, body)
    )
    history = audit_rows(history_for(body, *Mandate.objects.filter(body=body)[:100]))
    return render(
        request,
        "governance/bodies/body_detail.html",
        {
            "body": body,
            "mandates": mandates,
            "meetings": upcoming_meetings(body),
            "meetings_url": _meetings_url(body),
            "can_manage": can_manage,
            "can_lead": can_lead,
            "history": history,
            "nav_section": "governance",
        },
    )


def _body_form(request: HttpRequest, body: Body | None) -> HttpResponse:
    form = BodyForm(request.POST or None, instance=body)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_body(form.save(commit=False), by=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Instance enregistrée : %(body)s.") % {"body": saved})
            return redirect("body_detail", pk=saved.pk)
    return render(
        request,
        "governance/bodies/body_form.html",
        {"form": form, "body": body, "nav_section": "governance"},
    )


@permission_required("governance.manage")
@require_http_methods(["GET", "POST"])
def body_create(request: HttpRequest) -> HttpResponse:
    return _body_form(request, None)


@permission_required("governance.manage")
@require_http_methods(["GET", "POST"])
def body_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _body_form(request, get_object_or_404(Body, pk=pk))


@permission_required("governance.manage")
@require_POST
def body_archive(request: HttpRequest, pk: int) -> HttpResponse:
    body = get_object_or_404(Body, pk=pk)
    try:
        archive_group(body, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Le groupe « %(body)s » est archivé ; ses mandats en cours ont pris fin.")
            % {"body": body},
        )
    return redirect("body_detail", pk=body.pk)


# --- Mandates ------------------------------------------------------------------------------


def _mandate_form(request: HttpRequest, body: Body, mandate: Mandate | None) -> HttpResponse:
    history = audit_rows(history_for(mandate)) if mandate is not None else []
    form = MandateForm(request.POST or None, body=body, mandate=mandate)
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = dict(form.cleaned_data)
        try:
            if mandate is None:
                notes = data.pop("notes", "")
                saved = create_mandate(body=body, by=request.user, **data)
                if notes:
                    saved = update_mandate(saved, notes=notes, by=request.user)
            else:
                saved = update_mandate(mandate, by=request.user, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Mandat enregistré : %(mandate)s.") % {"mandate": saved})
            return redirect("body_detail", pk=body.pk)
    return render(
        request,
        "governance/bodies/mandate_form.html",
        {
            "form": form,
            "body": body,
            "mandate": mandate,
            "history": history,
            "nav_section": "governance",
        },
    )


@permission_required("governance.manage")
@require_http_methods(["GET", "POST"])
def mandate_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _mandate_form(request, get_object_or_404(Body, pk=pk), None)


@permission_required("governance.manage")
@require_http_methods(["GET", "POST"])
def mandate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mandate = get_object_or_404(Mandate.objects.select_related("body", "member"), pk=pk)
    return _mandate_form(request, mandate.body, mandate)


def _end_form(request: HttpRequest, mandate: Mandate, *, action: str, end: Any) -> HttpResponse:
    """The confirmation page of the end of ``mandate``: its last day shown and editable, then
    ``end(mandate, day)`` once confirmed (POST)."""
    form = MandateEndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["end_date"]
        try:
            end(mandate, day, by=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Le mandat de %(member)s prend fin le %(date)s.")
                % {"member": mandate.member, "date": day.strftime("%d/%m/%Y")},
            )
            return redirect("body_detail", pk=mandate.body_id)
    return render(
        request,
        "governance/bodies/mandate_end.html",
        {
            "form": form,
            "mandate": mandate,
            "body": mandate.body,
            "action": action,
            "nav_section": "governance",
        },
    )


@permission_required("governance.manage")
@require_http_methods(["GET", "POST"])
def mandate_end(request: HttpRequest, pk: int) -> HttpResponse:
    mandate = get_object_or_404(Mandate.objects.select_related("body", "member"), pk=pk)
    return _end_form(
        request, mandate, action=reverse("mandate_end", args=[mandate.pk]), end=end_mandate
    )


# --- Members of a working group, by its référent·e -----------------------------------------


def _led_group(request: HttpRequest, pk: int) -> Body:
    """A working group (not archived) the user may run, else 404."""
    body = body_for(request.user, pk, manage=True)
    if body.kind != BodyKind.GROUP or body.archived_on is not None:
        raise Http404
    return body


@permission_required("governance.manage", "groups.lead")
@require_http_methods(["GET", "POST"])
def group_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    body = _led_group(request, pk)
    form = GroupMemberForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        try:
            mandate = add_group_member(
                body, form.cleaned_data["member"], form.cleaned_data["start_date"], by=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(member)s fait désormais partie du groupe « %(body)s ».")
                % {"member": mandate.member, "body": body},
            )
            return redirect("body_detail", pk=body.pk)
    return render(
        request,
        "governance/bodies/group_member_form.html",
        {"form": form, "body": body, "nav_section": "governance"},
    )


@permission_required("governance.manage", "groups.lead")
@require_http_methods(["GET", "POST"])
def group_member_end(request: HttpRequest, pk: int, mandate_pk: int) -> HttpResponse:
    body = _led_group(request, pk)
    mandate = get_object_or_404(
        Mandate.objects.select_related("body", "member"),
        pk=mandate_pk,
        body=body,
        role=MandateRole.MEMBRE,
    )
    return _end_form(
        request,
        mandate,
        action=reverse("group_member_end", args=[body.pk, mandate.pk]),
        end=end_group_membership,
    )


# --- Statutes ------------------------------------------------------------------------------


@permission_required("governance.view")
@require_http_methods(["GET", "POST"])
def statutes(request: HttpRequest) -> HttpResponse:
    can_manage = user_can(request.user, "governance.manage")
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    instance = Statutes.objects.get_solo()
    colleges = list(College.objects.order_by("position", "name"))
    history = audit_rows(history_for(instance, *colleges), skip_fields=("position",))
    context: dict[str, Any] = {
        "can_manage": can_manage,
        "history": history,
        "nav_section": "governance",
    }
    if not can_manage:
        context.update(sections=statutes_sections(instance), colleges=colleges)
        return render(request, "governance/bodies/statutes.html", context)
    form = StatutesForm(request.POST or None, instance=instance)
    seats = college_seats_formset(request.POST or None, colleges=colleges)
    if request.method == "POST" and form.is_valid() and seats.is_valid():
        changes = {name: form.cleaned_data[name] for name in StatutesForm.Meta.fields}
        try:
            update_statutes(changes=changes, seats=seats.seats(), by=request.user)
        except ValidationError as error:
            add_errors(form, error)  # seat errors ("ca_seats") go to the top of the form
        else:
            messages.success(request, _("Les statuts ont été enregistrés."))
            return redirect("statutes")
    context.update(form=form, seats=seats)
    return render(request, "governance/bodies/statutes.html", context)


urlpatterns = [
    path("gouvernance/instances/", body_list, name="body_list"),
    path("gouvernance/instances/nouvelle/", body_create, name="body_create"),
    path("gouvernance/instances/<int:pk>/", body_detail, name="body_detail"),
    path("gouvernance/instances/<int:pk>/modifier/", body_edit, name="body_edit"),
    path("gouvernance/instances/<int:pk>/archiver/", body_archive, name="body_archive"),
    path("gouvernance/instances/<int:pk>/mandats/nouveau/", mandate_create, name="mandate_create"),
    path("gouvernance/mandats/<int:pk>/modifier/", mandate_edit, name="mandate_edit"),
    path("gouvernance/mandats/<int:pk>/terminer/", mandate_end, name="mandate_end"),
    path(
        "gouvernance/instances/<int:pk>/membres/ajouter/",
        group_member_add,
        name="group_member_add",
    ),
    path(
        "gouvernance/instances/<int:pk>/membres/<int:mandate_pk>/retirer/",
        group_member_end,
        name="group_member_end",
    ),
    path("gouvernance/statuts/", statutes, name="statutes"),
]
