"""Back-office pages of meetings: list, creation and edition, the meeting page (agenda,
documents, notice warning, convocations), agenda editing, declaring a meeting held or
cancelling it. Reads need ``governance.view`` or ``groups.lead``, writes ``governance.manage``
or ``groups.lead``; a référent reaches only the meetings of the groups they lead (404 else)."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cpts.permissions import permission_required, user_can
from cpts.views.messaging import form_error_text, logged_in_user, run_with_message
from governance.access import can_manage_body, led_body_ids, meeting_for
from governance.forms.meetings import AgendaDocumentForm, AgendaItemForm, CancelForm, MeetingForm
from governance.models import AgendaDocument, AgendaItem, Body, Meeting, MeetingStatus
from governance.selectors.meetings import (
    InviteeFilters,
    MeetingFilters,
    agenda,
    answer_choices,
    answers_open,
    convening_preview,
    convocation_rows,
    convocation_summary,
    creatable_bodies,
    invitees_not_told,
    is_convened,
    meeting_years,
    meetings_for,
    notice_warning,
    visible_bodies,
)
from governance.services import meetings as services

PAGE_SIZE = 25
INVITEE_PAGE_SIZE = 50
INVITEES_TARGET = "convocation-results"
READ = ("governance.view", "groups.lead")
WRITE = ("governance.manage", "groups.lead")


def _item_for(request: HttpRequest, pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__body"), pk=pk)
    if not can_manage_body(request.user, item.meeting.body):
        raise Http404
    return item


def _back(meeting: Meeting, anchor: str = "") -> HttpResponse:
    response = redirect("meeting_detail", meeting.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@permission_required(*READ)
@require_safe
def meeting_list(request: HttpRequest) -> HttpResponse:
    filters = MeetingFilters.from_query(request.GET)
    now = timezone.now()
    page = Paginator(meetings_for(request.user, filters, now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "filters": filters,
        "bodies": visible_bodies(request.user).order_by("position", "name"),
        "statuses": MeetingStatus.choices,
        "years": meeting_years(request.user),
        "can_create": creatable_bodies(request.user).exists(),
        "now": now,
    }
    return render(request, "governance/meetings/list.html", context)


@permission_required(*WRITE)
def meeting_create(request: HttpRequest) -> HttpResponse:
    bodies = creatable_bodies(request.user)
    if not bodies.exists():
        raise Http404
    initial: dict[str, Any] = {}
    body_pk = request.GET.get("instance", "")
    if body_pk.isdigit() and bodies.filter(pk=body_pk).exists():
        initial["body"] = int(body_pk)
    form = MeetingForm(request.POST or None, bodies=bodies, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(form.cleaned_data, by=logged_in_user(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if meeting.starts_at <= timezone.now():
                messages.success(
                    request,
                    _(
                        "La réunion est enregistrée. Sa date étant passée, elle ne peut pas être "
                        "convoquée : saisissez ses présences et déclarez-la tenue."
                    ),
                )
            else:
                messages.success(request, _("La réunion est créée : complétez son ordre du jour."))
            return redirect("meeting_detail", meeting.pk)
    return render(request, "governance/meetings/form.html", {"form": form, "meeting": None})


def _invitees_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    """One page of the meeting's invitees, searched and filtered by answer."""
    filters = InviteeFilters.from_query(request.GET)
    page = Paginator(convocation_rows(meeting, filters), INVITEE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return {"invitee_filters": filters, "answer_choices": answer_choices(), "page": page}


@permission_required(*READ)
@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting page; htmx asks for the invitee list alone (search, answer filter, page)
    through ``HX-Target``."""
    meeting = meeting_for(request.user, pk)
    if request.headers.get("HX-Request") and (request.headers.get("HX-Target") == INVITEES_TARGET):
        response = render(
            request,
            "governance/meetings/_invitees.html",
            {"meeting": meeting, **_invitees_context(request, meeting)},
        )
    else:
        now = timezone.now()
        can_manage = can_manage_body(request.user, meeting.body)
        is_past = meeting.starts_at <= now
        can_convene = can_manage and meeting.status == MeetingStatus.PLANNED and not is_past
        context = {
            "meeting": meeting,
            "items": agenda(meeting),
            "summary": convocation_summary(meeting),
            "warning": notice_warning(meeting, now),
            "can_manage": can_manage,
            "is_past": is_past,
            "answers_open": answers_open(meeting, now),
            "editable": meeting.status not in services.CLOSED_STATUSES,
            "agenda_locked": services.agenda_locked_reason(meeting),
            "preview": convening_preview(meeting, now) if can_convene else None,
            "not_told": can_manage and invitees_not_told(meeting),
            "item_form": AgendaItemForm(),
            "document_form": AgendaDocumentForm(),
            "cancel_form": CancelForm(),
            **_invitees_context(request, meeting),
        }
        response = render(request, "governance/meetings/detail.html", context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


@permission_required(*WRITE)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, manage=True)
    if meeting.status in services.CLOSED_STATUSES:
        messages.error(request, _("Cette réunion ne peut plus être modifiée."))
        return _back(meeting)
    # The body of an existing meeting is shown, not changed.
    bodies = Body.objects.filter(pk=meeting.body_id)
    form = MeetingForm(request.POST or None, instance=meeting, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(meeting, form.cleaned_data, by=logged_in_user(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("La réunion est enregistrée."))
            return _back(meeting)
    return render(request, "governance/meetings/form.html", {"form": form, "meeting": meeting})


# --- Agenda -------------------------------------------------------------------------------


@permission_required(*WRITE)
def agenda_item_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, manage=True)
    locked = services.agenda_locked_reason(meeting)
    if locked:
        messages.error(request, locked)
        return _back(meeting, "ordre-du-jour")
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_agenda_item(meeting, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Le point est ajouté à l'ordre du jour."))
            return _back(meeting, "ordre-du-jour")
    context = {"form": form, "meeting": meeting, "item": None}
    return render(request, "governance/meetings/agenda_item_form.html", context)


@permission_required(*WRITE)
def agenda_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    locked = services.agenda_locked_reason(item.meeting)
    if locked:
        messages.error(request, locked)
        return _back(item.meeting, "ordre-du-jour")
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_agenda_item(item, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Le point est enregistré."))
            return _back(item.meeting, "ordre-du-jour")
    context = {"form": form, "meeting": item.meeting, "item": item}
    return render(request, "governance/meetings/agenda_item_form.html", context)


@permission_required(*WRITE)
@require_POST
def agenda_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    run_with_message(
        request, lambda: services.delete_agenda_item(item), _("Le point est supprimé.")
    )
    return _back(item.meeting, "ordre-du-jour")


@permission_required(*WRITE)
@require_POST
def agenda_item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    direction = request.POST.get("direction", "")
    if direction in ("up", "down"):
        run_with_message(
            request, lambda: services.move_agenda_item(item, direction), _("L'ordre est modifié.")
        )
    return _back(item.meeting, "ordre-du-jour")


@permission_required(*WRITE)
@require_POST
def agenda_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    form = AgendaDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        run_with_message(
            request,
            lambda: services.add_agenda_document(
                item,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                by=logged_in_user(request),
            ),
            _("Le document est déposé."),
        )
    else:
        messages.error(
            request, _("Document non déposé : %(errors)s") % {"errors": form_error_text(form)}
        )
    return _back(item.meeting, f"point-{item.pk}")


def _document_for(request: HttpRequest, pk: int) -> AgendaDocument:
    return get_object_or_404(AgendaDocument.objects.select_related("item__meeting__body"), pk=pk)


@permission_required(*WRITE)
@require_POST
def agenda_document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_for(request, pk)
    meeting = document.item.meeting
    if not can_manage_body(request.user, meeting.body):
        raise Http404
    run_with_message(
        request, lambda: services.delete_agenda_document(document), _("Le document est supprimé.")
    )
    return _back(meeting, f"point-{document.item_id}")


@permission_required("portal.view")
@require_safe
def agenda_document_download(request: HttpRequest, pk: int) -> FileResponse:
    """For the back-office readers of the meeting and for its invitees; 404 for anyone else."""
    document = _document_for(request, pk)
    meeting = document.item.meeting
    allowed = (
        user_can(request.user, "governance.view")
        or meeting.body_id in led_body_ids(request.user)
        or is_convened(request.user, meeting)
    )
    if not allowed or not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, filename=PurePosixPath(document.file.name).name)


# --- Life of a meeting ----------------------------------------------------------------------


@permission_required(*WRITE)
@require_POST
def meeting_mark_held(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, manage=True)
    run_with_message(
        request, lambda: services.mark_held(meeting), _("La réunion est déclarée tenue.")
    )
    return _back(meeting)


@permission_required(*WRITE)
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, manage=True)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez le motif de l'annulation."))
        return _back(meeting)
    run_with_message(
        request,
        lambda: services.cancel(meeting, form.cleaned_data["reason"], by=logged_in_user(request)),
        _("La réunion est annulée ; les personnes convoquées en sont informées."),
    )
    return _back(meeting)


urlpatterns = [
    path("gouvernance/reunions/", meeting_list, name="meeting_list"),
    path("gouvernance/reunions/nouvelle/", meeting_create, name="meeting_create"),
    path("gouvernance/reunions/<int:pk>/", meeting_detail, name="meeting_detail"),
    path("gouvernance/reunions/<int:pk>/modifier/", meeting_edit, name="meeting_edit"),
    path("gouvernance/reunions/<int:pk>/tenue/", meeting_mark_held, name="meeting_mark_held"),
    path("gouvernance/reunions/<int:pk>/annuler/", meeting_cancel, name="meeting_cancel"),
    path(
        "gouvernance/reunions/<int:pk>/ordre-du-jour/ajouter/",
        agenda_item_create,
        name="agenda_item_create",
    ),
    path(
        "gouvernance/reunions/points/<int:pk>/modifier/",
        agenda_item_edit,
        name="agenda_item_edit",
    ),
    path(
        "gouvernance/reunions/points/<int:pk>/supprimer/",
        agenda_item_delete,
        name="agenda_item_delete",
    ),
    path(
        "gouvernance/reunions/points/<int:pk>/deplacer/",
        agenda_item_move,
        name="agenda_item_move",
    ),
    path(
        "gouvernance/reunions/points/<int:pk>/documents/ajouter/",
        agenda_document_add,
        name="agenda_document_add",
    ),
    path(
        "gouvernance/reunions/documents/<int:pk>/",
        agenda_document_download,
        name="agenda_document_download",
    ),
    path(
        "gouvernance/reunions/documents/<int:pk>/supprimer/",
        agenda_document_delete,
        name="agenda_document_delete",
    ),
]
