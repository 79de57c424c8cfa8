"""Resolutions of a meeting: the page with the live quorum and the show-of-hands forms, and
the writes (create, edit, delete, reorder, vote)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpts.permissions import permission_required
from governance.access import can_manage_body, meeting_for
from governance.forms.decisions import ResolutionForm, VoteForm
from governance.models import BodyKind, Meeting, Resolution
from governance.selectors.decisions import meeting_elections, with_needed
from governance.selectors.decisions import meeting_resolutions as resolutions_of
from governance.selectors.voting import quorum_for
from governance.services.resolutions import (
    create_resolution,
    decisions_closed_reason,
    default_majority,
    delete_resolution,
    move_resolution,
    record_vote,
    update_resolution,
)

READ = ("governance.view", "groups.lead")
WRITE = ("governance.manage", "groups.lead")


def add_errors(form: BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form (on the named field when it has one)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def resolution_for(user: Any, pk: int) -> Resolution:
    """The resolution ``pk`` when ``user`` may run its meeting, else 404."""
    resolution = get_object_or_404(Resolution.objects.select_related("meeting"), pk=pk)
    resolution.meeting = meeting_for(user, resolution.meeting_id, manage=True)
    return resolution


def _page_url(meeting: Meeting) -> str:
    from django.urls import reverse

    return reverse("meeting_resolutions", args=[meeting.pk])


@permission_required(*READ)
def meeting_resolutions(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    quorum = quorum_for(meeting)
    resolutions = meeting_resolutions_rows(meeting, quorum.counted if quorum else 0)
    locked = decisions_closed_reason(meeting)
    return render(
        request,
        "governance/resolutions/meeting_resolutions.html",
        {
            "meeting": meeting,
            "active_tab": "resolutions",
            "is_group": meeting.body.kind == BodyKind.GROUP,
            "quorum": quorum,
            "rows": resolutions,
            "elections": meeting_elections(meeting),
            "locked": locked,
            "can_manage": can_manage_body(request.user, meeting.body) and not locked,
        },
    )


def meeting_resolutions_rows(meeting: Meeting, voters: int) -> list[dict[str, Any]]:
    rows = with_needed(resolutions_of(meeting), voters)
    for index, row in enumerate(rows):
        resolution = row["resolution"]
        row["first"], row["last"] = index == 0, index == len(rows) - 1
        row["form"] = _vote_form(resolution)
    return rows


def _refused(request: HttpRequest, meeting: Meeting) -> HttpResponse | None:
    """Back to the resolutions page with the reason when the meeting's decisions are closed."""
    reason = decisions_closed_reason(meeting)
    if reason is None:
        return None
    messages.error(request, reason)
    return redirect(_page_url(meeting))


def _error_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _resolution_form(
    request: HttpRequest, meeting: Meeting, resolution: Resolution | None
) -> HttpResponse:
    refused = _refused(request, meeting)
    if refused is not None:
        return refused
    if resolution is None:
        initial: dict[str, Any] = {"majority": default_majority(meeting)}
    else:
        initial = {
            "title": resolution.title,
            "text": resolution.text,
            "majority": resolution.majority,
            "agenda_item": resolution.agenda_item_id,
        }
    form = ResolutionForm(request.POST or None, initial=initial, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if resolution is None:
                create_resolution(
                    meeting,
                    title=data["title"],
                    text=data["text"],
                    majority=data["majority"],
                    agenda_item=data["agenda_item"],
                    by=request.user,
                )
                messages.success(request, _("La résolution a été ajoutée."))
            else:
                update_resolution(
                    resolution,
                    title=data["title"],
                    text=data["text"],
                    majority=data["majority"],
                    agenda_item=data["agenda_item"],
                    by=request.user,
                )
                messages.success(request, _("La résolution a été modifiée."))
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(_page_url(meeting))
    return render(
        request,
        "governance/resolutions/resolution_form.html",
        {"meeting": meeting, "form": form, "resolution": resolution},
    )


@permission_required(*WRITE)
def resolution_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, manage=True)
    if meeting.body.kind == BodyKind.GROUP:
        messages.error(request, _("Un groupe de travail ne prend pas de résolutions."))
        return redirect(_page_url(meeting))
    return _resolution_form(request, meeting, None)


@permission_required(*WRITE)
def resolution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = resolution_for(request.user, pk)
    return _resolution_form(request, resolution.meeting, resolution)


@permission_required(*WRITE)
@require_POST
def resolution_delete(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = resolution_for(request.user, pk)
    try:
        delete_resolution(resolution, by=request.user)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("La résolution a été supprimée."))
    return redirect(_page_url(resolution.meeting))


@permission_required(*WRITE)
@require_POST
def resolution_move(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = resolution_for(request.user, pk)
    try:
        move_resolution(resolution, up=request.POST.get("direction") != "down", by=request.user)
    except ValidationError as error:
        _error_messages(request, error)
    return redirect(_page_url(resolution.meeting))


def _vote_form(resolution: Resolution) -> VoteForm:
    return VoteForm(
        initial={
            "votes_for": resolution.votes_for,
            "votes_against": resolution.votes_against,
            "abstentions": resolution.abstentions,
        },
        prefix=f"r{resolution.pk}",
    )


def vote_error_messages(form: VoteForm) -> list[str]:
    """Every error of the vote form, a field's named by its label ("Pour : …")."""
    errors = [str(message) for message in form.non_field_errors()]
    for name, field in form.fields.items():
        for error in form.errors.get(name, []):
            message = str(error)
            errors.append(f"{field.label} : {message[:1].lower()}{message[1:]}")
    return errors


@permission_required(*WRITE)
@require_POST
def resolution_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the counts; with htmx, answer the resolution's card alone."""
    resolution = resolution_for(request.user, pk)
    meeting = resolution.meeting
    form = VoteForm(request.POST, prefix=f"r{resolution.pk}")
    if form.is_valid():
        try:
            record_vote(
                resolution,
                form.cleaned_data["votes_for"],
                form.cleaned_data["votes_against"],
                form.cleaned_data["abstentions"],
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
    saved = form.is_valid() and not form.errors
    if not request.headers.get("HX-Request"):
        if saved:
            messages.success(request, _("Le vote a été enregistré."))
        for message in vote_error_messages(form):
            messages.error(request, message)
        return redirect(_page_url(meeting))
    quorum = quorum_for(meeting)
    row = with_needed([resolution], quorum.counted if quorum else 0)[0]
    siblings = Resolution.objects.filter(meeting_id=meeting.pk)
    row["first"] = not siblings.filter(position__lt=resolution.position).exists()
    row["last"] = not siblings.filter(position__gt=resolution.position).exists()
    row["form"] = _vote_form(resolution) if saved else form
    locked = decisions_closed_reason(meeting)
    return render(
        request,
        "governance/resolutions/_resolution.html",
        {"row": row, "meeting": meeting, "can_manage": not locked, "saved": saved},
    )


urlpatterns = [
    path(
        "gouvernance/reunions/<int:pk>/resolutions/",
        meeting_resolutions,
        name="meeting_resolutions",
    ),
    path(
        "gouvernance/reunions/<int:pk>/resolutions/nouvelle/",
        resolution_create,
        name="resolution_create",
    ),
    path("gouvernance/resolutions/<int:pk>/modifier/", resolution_edit, name="resolution_edit"),
    path(
        "gouvernance/resolutions/<int:pk>/supprimer/", resolution_delete, name="resolution_delete"
    ),
    path("gouvernance/resolutions/<int:pk>/deplacer/", resolution_move, name="resolution_move"),
    path("gouvernance/resolutions/<int:pk>/vote/", resolution_vote, name="resolution_vote"),
]
