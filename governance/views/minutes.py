"""The procès-verbal of a meeting: back-office page, draft, edit, approval and PDF; and the
approved minutes every adherent reads from the decision register."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import governance.minutes_pdf  # noqa: F401  (registers the "meeting_minutes" document kind)
from cpts.jobs import request_document
from cpts.permissions import permission_required, user_can
from cpts.views.documents import document_file_response
from governance.access import can_manage_body, can_view_body, meeting_for
from governance.forms.decisions import ApproveForm, MinutesForm
from governance.models import Minutes, MinutesStatus
from governance.selectors.decisions import title_names_body
from governance.selectors.minutes import attendance_figures, latest_pdf, text_blocks
from governance.services.minutes import (
    approve_minutes,
    approving_meetings,
    draft_minutes,
    update_minutes,
)
from governance.views.resolutions import READ, WRITE, add_errors


def _minutes_of(meeting_pk: int, user: object, *, manage: bool) -> Minutes:
    meeting = meeting_for(user, meeting_pk, manage=manage)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        raise Http404(_("Cette réunion n'a pas encore de procès-verbal."))
    minutes.meeting = meeting
    return minutes


@permission_required(*READ)
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    minutes = Minutes.objects.select_related("approved_at").filter(meeting=meeting).first()
    can_manage = can_manage_body(request.user, meeting.body)
    approve_form = None
    if minutes is not None and can_manage and minutes.status == MinutesStatus.DRAFT:
        approve_form = ApproveForm(meetings=approving_meetings(minutes))
    return render(
        request,
        "governance/minutes/meeting_minutes.html",
        {
            "meeting": meeting,
            "active_tab": "minutes",
            "minutes": minutes,
            "blocks": text_blocks(minutes.text) if minutes else [],
            "figures": attendance_figures(meeting),
            "can_manage": can_manage,
            "approve_form": approve_form,
            "can_request_pdf": user_can(request.user, "governance.view"),
            "pdf": latest_pdf(minutes) if minutes else None,
        },
    )


@permission_required(*WRITE)
@require_POST
def minutes_draft(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, manage=True)
    try:
        draft_minutes(meeting, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Le projet de procès-verbal a été rédigé."))
    return redirect("meeting_minutes", pk=meeting.pk)


@permission_required(*WRITE)
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = _minutes_of(pk, request.user, manage=True)
    if minutes.status == MinutesStatus.APPROVED:
        messages.error(request, _("Ce procès-verbal est approuvé : il ne peut plus être modifié."))
        return redirect("meeting_minutes", pk=pk)
    form = MinutesForm(
        request.POST or None,
        initial={
            "text": minutes.text,
            "chair_name": minutes.chair_name,
            "secretary_name": minutes.secretary_name,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_minutes(
                minutes,
                form.cleaned_data["text"],
                form.cleaned_data["chair_name"],
                form.cleaned_data["secretary_name"],
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Le procès-verbal a été enregistré."))
            return redirect("meeting_minutes", pk=pk)
    return render(
        request,
        "governance/minutes/minutes_form.html",
        {"meeting": minutes.meeting, "minutes": minutes, "form": form},
    )


@permission_required(*WRITE)
@require_POST
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = _minutes_of(pk, request.user, manage=True)
    form = ApproveForm(request.POST, meetings=approving_meetings(minutes))
    if not form.is_valid():
        messages.error(
            request,
            _(
                "Choisissez la réunion de la même instance, postérieure et déjà commencée, lors de "
                "laquelle le procès-verbal a été approuvé."
            ),
        )
        return redirect("meeting_minutes", pk=pk)
    try:
        approve_minutes(minutes, form.cleaned_data["at_meeting"], by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Le procès-verbal est approuvé."))
    return redirect("meeting_minutes", pk=pk)


@permission_required("governance.view")
@require_POST
def minutes_pdf_request(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = _minutes_of(pk, request.user, manage=False)
    document = request_document(
        "meeting_minutes", requested_by=request.user, parameters={"minutes": minutes.pk}
    )
    messages.success(request, _("La génération du procès-verbal en PDF a été demandée."))
    return redirect("document_detail", pk=document.pk)


def _public_minutes(request: HttpRequest, pk: int) -> Minutes:
    """Approved minutes for every adherent; a draft only for who may view the meeting."""
    minutes = get_object_or_404(
        Minutes.objects.select_related("meeting", "meeting__body", "approved_at"), pk=pk
    )
    if minutes.status != MinutesStatus.APPROVED and not can_view_body(
        request.user, minutes.meeting.body
    ):
        raise Http404(_("Ce procès-verbal n'est pas encore approuvé."))
    return minutes


@permission_required("portal.view")
def minutes_public(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = _public_minutes(request, pk)
    return render(
        request,
        "governance/minutes/minutes_public.html",
        {
            "minutes": minutes,
            "meeting": minutes.meeting,
            "show_body": not title_names_body(minutes.meeting.title, minutes.meeting.body.name),
            "blocks": text_blocks(minutes.text),
            "resolutions": minutes.meeting.resolutions.order_by("position", "pk"),
            "pdf": latest_pdf(minutes),
        },
    )


@permission_required("portal.view")
def minutes_public_pdf(request: HttpRequest, pk: int) -> FileResponse:
    minutes = _public_minutes(request, pk)
    document = latest_pdf(minutes)
    if document is None:
        raise Http404(_("Aucun PDF de ce procès-verbal n'a encore été généré."))
    return document_file_response(document)


urlpatterns = [
    path("gouvernance/reunions/<int:pk>/proces-verbal/", meeting_minutes, name="meeting_minutes"),
    path(
        "gouvernance/reunions/<int:pk>/proces-verbal/rediger/",
        minutes_draft,
        name="minutes_draft",
    ),
    path(
        "gouvernance/reunions/<int:pk>/proces-verbal/modifier/",
        minutes_edit,
        name="minutes_edit",
    ),
    path(
        "gouvernance/reunions/<int:pk>/proces-verbal/approuver/",
        minutes_approve,
        name="minutes_approve",
    ),
    path(
        "gouvernance/reunions/<int:pk>/proces-verbal/pdf/",
        minutes_pdf_request,
        name="minutes_pdf_request",
    ),
    path("gouvernance/proces-verbaux/<int:pk>/", minutes_public, name="minutes_public"),
    path("gouvernance/proces-verbaux/<int:pk>/pdf/", minutes_public_pdf, name="minutes_public_pdf"),
]
