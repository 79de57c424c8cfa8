"""The attendance page of a meeting: tablet ticking (htmx), the live quorum panel (polled),
and the request of the feuille d'émargement PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cpts.jobs import request_document
from cpts.permissions import permission_required
from governance import documents as _documents  # noqa: F401  (registers the PDF kind)
from governance.access import can_manage_body, meeting_for
from governance.forms.attendance import AttendanceMarkForm, PaperProxyForm
from governance.models import AttendanceStatus, BodyKind, Meeting
from governance.selectors.attendance import (
    attendance_figures,
    attendance_rows,
    invitees,
    proxies_open,
)
from governance.services.attendance import attendance_closed_reason, set_attendance

READ = ("governance.view", "groups.lead")
WRITE = ("governance.manage", "groups.lead")

# The buttons of a row: the giver of a proxy is present or represented, never absent.
BUTTONS = (
    (AttendanceStatus.PRESENT, "btn-outline-success", "bi-person-check"),
    (AttendanceStatus.EXCUSED, "btn-outline-warning", "bi-envelope-paper"),
    (AttendanceStatus.ABSENT, "btn-outline-danger", "bi-person-x"),
)
GIVER_BUTTONS = (
    (AttendanceStatus.PRESENT, "btn-outline-success", "bi-person-check"),
    (AttendanceStatus.REPRESENTED, "btn-outline-info", "bi-person-badge"),
)


def _row_context(meeting: Meeting, can_mark: bool) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "can_mark": can_mark,
        "buttons": BUTTONS,
        "giver_buttons": GIVER_BUTTONS,
    }


@permission_required(*READ)
@require_safe
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    closed = attendance_closed_reason(meeting)
    can_manage = can_manage_body(request.user, meeting.body)
    rows = attendance_rows(meeting)
    proxy_form = None
    if can_manage and proxies_open(meeting, timezone.now()):
        proxy_form = PaperProxyForm(members=invitees(meeting))
    return render(
        request,
        "governance/attendance/attendance.html",
        {
            **_row_context(meeting, can_manage and closed is None),
            "rows": rows,
            "proxy_rows": [row for row in rows if row.proxy_given_to],
            "figures": attendance_figures(meeting),
            "closed_reason": closed,
            "can_manage": can_manage,
            "proxy_form": proxy_form,
            "is_ag": meeting.body.kind == BodyKind.AG,
            "active_tab": "attendance",
        },
    )


@permission_required(*WRITE)
@require_POST
def attendance_mark(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """Mark one member; htmx gets the updated row, the rows of the members they represent
    (their representation counts or not) and the quorum panel out of band."""
    meeting = meeting_for(request.user, pk, manage=True)
    member = get_object_or_404(invitees(meeting), pk=member_pk)
    form = AttendanceMarkForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            set_attendance(meeting, member, form.cleaned_data["status"], request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(str(e) for e in form.errors.get("status", []))
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        else:
            messages.success(
                request, _("Présence de %(name)s enregistrée.") % {"name": member.display_name}
            )
        return redirect("meeting_attendance", pk=meeting.pk)
    rows = attendance_rows(meeting, _affected_ids(meeting, member))
    row = next(r for r in rows if r.member.pk == member.pk)
    others = [r for r in rows if r.member.pk != member.pk]
    return render(
        request,
        "governance/attendance/_mark_response.html",
        {
            **_row_context(meeting, True),
            "row": row,
            "others": others,
            "error": error,
            "figures": attendance_figures(meeting),
        },
    )


def _affected_ids(meeting: Meeting, member: Any) -> list[int]:
    giver_ids = list(meeting.proxies.filter(holder=member).values_list("giver_id", flat=True))
    return [member.pk, *giver_ids]


@permission_required(*READ)
@require_safe
def meeting_quorum(request: HttpRequest, pk: int) -> HttpResponse:
    """The quorum panel alone, polled every 10 seconds by the attendance page."""
    meeting = meeting_for(request.user, pk)
    return render(
        request,
        "governance/attendance/_quorum.html",
        {"meeting": meeting, "figures": attendance_figures(meeting)},
    )


@permission_required(*READ)
@require_POST
def attendance_sheet_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Enqueue the feuille d'émargement of the meeting and show the document's progress."""
    meeting = meeting_for(request.user, pk)
    starts = timezone.localtime(meeting.starts_at)
    document = request_document(
        "attendance_sheet",
        requested_by=request.user,
        parameters={
            "meeting_id": meeting.pk,
            "title": meeting.title,
            "date": starts.strftime("%d/%m/%Y"),
        },
    )
    messages.success(
        request,
        _("La feuille d'émargement de « %(title)s » est en cours de préparation.")
        % {"title": meeting.title},
    )
    return redirect("document_detail", pk=document.pk)


urlpatterns = [
    path(
        "gouvernance/reunions/<int:pk>/presences/",
        meeting_attendance,
        name="meeting_attendance",
    ),
    path(
        "gouvernance/reunions/<int:pk>/presences/<int:member_pk>/",
        attendance_mark,
        name="attendance_mark",
    ),
    path("gouvernance/reunions/<int:pk>/quorum/", meeting_quorum, name="meeting_quorum"),
    path(
        "gouvernance/reunions/<int:pk>/emargement/",
        attendance_sheet_request,
        name="attendance_sheet_request",
    ),
]
