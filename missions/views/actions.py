"""Pages of actions (the ARS "fiche action") and their events. Reads need ``missions.view`` or
``groups.lead``, writes ``missions.manage`` or ``groups.lead``; a référent reaches only the
actions of the working groups they lead (404 elsewhere) and gives an action only one of them."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cpts.permissions import permission_required, user_can
from cpts.views.messaging import form_error_text, logged_in_user, run_with_message
from governance.models import Meeting
from missions.forms.actions import ActionForm, EventDocumentForm, EventForm, MeetingLinkForm
from missions.models import Action, ActionStatus, Event, EventDocument, Mission
from missions.selectors import actions as selectors
from missions.services import actions as services

READ = ("missions.view", "groups.lead")
WRITE = ("missions.manage", "groups.lead")
PAGE_SIZE = 25


def _action_for(request: HttpRequest, pk: int, *, manage: bool = False) -> Action:
    action = get_object_or_404(Action, pk=pk)
    check = selectors.can_manage_action if manage else selectors.can_view_action
    if not check(request.user, action):
        raise Http404
    return action


def _event_for(request: HttpRequest, pk: int) -> Event:
    event = get_object_or_404(
        Event.objects.select_related("action__working_group").prefetch_related(
            Prefetch("documents", queryset=EventDocument.objects.order_by("title", "pk")),
            "counts",
        ),
        pk=pk,
    )
    if not selectors.can_manage_action(request.user, event.action):
        raise Http404
    return event


def _document_for(request: HttpRequest, pk: int, *, manage: bool) -> EventDocument:
    document = get_object_or_404(EventDocument.objects.select_related("event__action"), pk=pk)
    check = selectors.can_manage_action if manage else selectors.can_view_action
    if not check(request.user, document.event.action):
        raise Http404
    return document


def _add_errors(form: BaseForm, error: ValidationError) -> None:
    """A service's errors on the form's fields when it has them, else on the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _back(action_pk: int, anchor: str = "") -> HttpResponse:
    response = redirect("action_detail", action_pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


# --- Actions ------------------------------------------------------------------------------


@permission_required(*READ)
@require_safe
def action_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.ActionFilters.from_query(request.GET)
    page = Paginator(selectors.action_rows(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "filters": filters,
        "missions": Mission.objects.order_by("position"),
        "statuses": ActionStatus.choices,
        "groups": selectors.list_groups(request.user),
        "years": selectors.action_years(request.user),
        "can_create": user_can(request.user, "missions.manage")
        or selectors.choosable_groups(request.user).exists(),
    }
    return render(request, "missions/actions/list.html", context)


@permission_required(*WRITE)
def action_create(request: HttpRequest) -> HttpResponse:
    manager = user_can(request.user, "missions.manage")
    groups = selectors.choosable_groups(request.user)
    if not manager and not groups.exists():
        raise Http404
    initial: dict[str, Any] = {}
    if not manager and groups.count() == 1:
        initial["working_group"] = groups.first()
    form = ActionForm(
        request.POST or None, groups=groups, group_required=not manager, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = services.create_action(form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("L'action est créée."))
            return redirect("action_detail", action.pk)
    return render(request, "missions/actions/form.html", {"form": form, "action": None})


@permission_required(*READ)
@require_safe
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_sheet(pk)
    if action is None or not selectors.can_view_action(request.user, action):
        raise Http404
    can_manage = selectors.can_manage_action(request.user, action)
    context = {
        "action": action,
        "events": [selectors.event_view(event) for event in action.events.all()],
        "totals": selectors.sheet_totals(action),
        "can_manage": can_manage,
        "link_form": MeetingLinkForm(meetings=selectors.linkable_meetings(action))
        if can_manage and action.working_group_id
        else None,
    }
    return render(request, "missions/actions/detail.html", context)


@permission_required(*WRITE)
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action_for(request, pk, manage=True)
    manager = user_can(request.user, "missions.manage")
    groups = selectors.choosable_groups(request.user, current=action.working_group)
    form = ActionForm(
        request.POST or None, instance=action, groups=groups, group_required=not manager
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_action(action, form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("L'action est enregistrée."))
            return redirect("action_detail", action.pk)
    return render(request, "missions/actions/form.html", {"form": form, "action": action})


@permission_required(*WRITE)
@require_POST
def action_delete(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action_for(request, pk, manage=True)
    if run_with_message(
        request, lambda: services.delete_action(action), _("L'action est supprimée.")
    ):
        return redirect("action_list")
    return _back(action.pk)


@permission_required(*WRITE)
@require_POST
def action_meeting_link(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action_for(request, pk, manage=True)
    form = MeetingLinkForm(request.POST, meetings=selectors.linkable_meetings(action))
    if form.is_valid():
        meeting = form.cleaned_data["meeting"]
        run_with_message(
            request,
            lambda: services.link_meeting(action, meeting),
            _("La réunion est liée à l'action."),
        )
    else:
        messages.error(request, " ".join(str(e) for e in form.errors.get("meeting", [])))
    return _back(action.pk, "reunions")


@permission_required(*WRITE)
@require_POST
def action_meeting_unlink(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    action = _action_for(request, pk, manage=True)
    meeting = get_object_or_404(Meeting.objects.filter(actions=action), pk=meeting_pk)
    run_with_message(
        request,
        lambda: services.unlink_meeting(action, meeting),
        _("La réunion n'est plus liée à l'action."),
    )
    return _back(action.pk, "reunions")


# --- Events -------------------------------------------------------------------------------


def _event_form(request: HttpRequest, event: Event | None) -> EventForm:
    return EventForm(
        request.POST or None,
        instance=event,
        professions=selectors.grid_professions(event),
        members=selectors.mobilisable_members(event),
    )


def _save_event(
    request: HttpRequest, form: EventForm, action: Action, event: Event | None
) -> Event | None:
    if not (request.method == "POST" and form.is_valid()):
        return None
    options = {
        "professionals": form.cleaned_data["professionals"],
        "profession_counts": form.profession_counts(),
        "age_band_counts": form.age_band_counts(),
    }
    try:
        if event is None:
            return services.create_event(action, form.cleaned_data, **options)
        return services.update_event(event, form.cleaned_data, **options)
    except ValidationError as error:
        _add_errors(form, error)
        return None


@permission_required(*WRITE)
def event_create(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action_for(request, pk, manage=True)
    form = _event_form(request, None)
    saved = _save_event(request, form, action, None)
    if saved is not None:
        messages.success(request, _("L'événement est enregistré."))
        return _back(action.pk, f"evenement-{saved.pk}")
    context = {"form": form, "action": action, "event": None}
    return render(request, "missions/actions/event_form.html", context)


@permission_required(*WRITE)
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_for(request, pk)
    form = _event_form(request, event)
    saved = _save_event(request, form, event.action, event)
    if saved is not None:
        messages.success(request, _("L'événement est enregistré."))
        return _back(event.action_id, f"evenement-{event.pk}")
    context = {
        "form": form,
        "action": event.action,
        "event": event,
        "document_form": EventDocumentForm(),
    }
    return render(request, "missions/actions/event_form.html", context)


@permission_required(*WRITE)
@require_POST
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_for(request, pk)
    run_with_message(request, lambda: services.delete_event(event), _("L'événement est supprimé."))
    return _back(event.action_id, "evenements")


@permission_required(*WRITE)
@require_POST
def event_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_for(request, pk)
    form = EventDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        run_with_message(
            request,
            lambda: services.add_event_document(
                event,
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
    response = redirect("event_edit", event.pk)
    response["Location"] += "#documents"
    return response


@permission_required(*READ)
@require_safe
def event_document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = _document_for(request, pk, manage=False)
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, filename=PurePosixPath(document.file.name).name)


@permission_required(*WRITE)
@require_POST
def event_document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_for(request, pk, manage=True)
    event_pk = document.event_id
    run_with_message(
        request,
        lambda: services.delete_event_document(document),
        _("Le document est supprimé."),
    )
    response = redirect("event_edit", event_pk)
    response["Location"] += "#documents"
    return response


urlpatterns = [
    path("actions/", action_list, name="action_list"),
    path("actions/nouvelle/", action_create, name="action_create"),
    path("actions/<int:pk>/", action_detail, name="action_detail"),
    path("actions/<int:pk>/modifier/", action_edit, name="action_edit"),
    path("actions/<int:pk>/supprimer/", action_delete, name="action_delete"),
    path("actions/<int:pk>/reunions/", action_meeting_link, name="action_meeting_link"),
    path(
        "actions/<int:pk>/reunions/<int:meeting_pk>/retirer/",
        action_meeting_unlink,
        name="action_meeting_unlink",
    ),
    path("actions/<int:pk>/evenements/nouveau/", event_create, name="event_create"),
    path("evenements/<int:pk>/modifier/", event_edit, name="event_edit"),
    path("evenements/<int:pk>/supprimer/", event_delete, name="event_delete"),
    path("evenements/<int:pk>/documents/", event_document_add, name="event_document_add"),
    path(
        "evenements/documents/<int:pk>/",
        event_document_download,
        name="event_document_download",
    ),
    path(
        "evenements/documents/<int:pk>/supprimer/",
        event_document_delete,
        name="event_document_delete",
    ),
]
