"""The attendance page of a meeting: tablet ticking (htmx), the live quorum panel (polled),
and the request of the feuille d'émargement PDF."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cpts.jobs import request_document
from cpts.permissions import permission_required
from governance import documents as _documents  # noqa: F401  (registers the PDF kind)
from governance.access import can_manage_body, meeting_for
from governance.forms.attendance import AttendanceMarkForm, MemberChoiceField, PaperProxyForm
from governance.models import AttendanceStatus, BodyKind, Meeting
from governance.selectors.attendance import (
    STATUS_FILTERS,
    AttendanceFilters,
    attendance_figures,
    attendance_members,
    attendance_rows,
    clean_search,
    invitees,
    paper_proxy_choices,
    proxies_of,
    rows_for_page,
)
from governance.services.attendance import attendance_closed_reason, set_attendance
from governance.services.proxies import proxies_closed_reason
from members.models import Member

READ = ("governance.view", "groups.lead")
WRITE = ("governance.manage", "groups.lead")
PAGE_SIZE = 50
PROXY_LIST_SIZE = 20

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


def _list_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    """The filtered, paginated rows of the attendance list: a fixed number of queries for a
    page, whatever the number of invitees."""
    filters = AttendanceFilters.from_query(request.GET)
    members = attendance_members(meeting, filters)
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "filters": filters,
        "status_filters": STATUS_FILTERS.items(),
        "page": page,
        "rows": rows_for_page(meeting, page.object_list),
    }


def _paper_proxy_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    """The paper proxy form: its two selects list the invitees matching the names typed in
    its search fields (never every invitee)."""
    giver_q = clean_search(request.GET.get("mandant", ""))
    holder_q = clean_search(request.GET.get("mandataire", ""))
    form = PaperProxyForm(members=Member.objects.none())
    cast(MemberChoiceField, form.fields["giver"]).queryset = paper_proxy_choices(meeting, giver_q)
    cast(MemberChoiceField, form.fields["holder"]).queryset = paper_proxy_choices(meeting, holder_q)
    return {"proxy_form": form, "giver_q": giver_q, "holder_q": holder_q}


@permission_required(*READ)
@require_safe
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The tablet page. htmx asks for the list alone (search, status filter) or for the
    paper proxy form alone (its name searches), through ``HX-Target``."""
    meeting = meeting_for(request.user, pk)
    closed = attendance_closed_reason(meeting)
    can_manage = can_manage_body(request.user, meeting.body)
    # Paper proxies handed in at the door are still recorded while the AG is in session.
    proxies_closed = proxies_closed_reason(meeting, at_the_door=True)
    proxies_editable = can_manage and proxies_closed is None
    target = request.headers.get("HX-Target", "") if request.headers.get("HX-Request") else ""
    base = _row_context(meeting, can_manage and closed is None)
    if target == "attendance-results":
        response = render(
            request,
            "governance/attendance/_results.html",
            {**base, **_list_context(request, meeting)},
        )
    elif target == "paper-proxy-form" and proxies_editable:
        response = render(
            request,
            "governance/attendance/_paper_proxy_form.html",
            {"meeting": meeting, **_paper_proxy_context(request, meeting)},
        )
    else:
        proxies, proxy_total = proxies_of(meeting, PROXY_LIST_SIZE)
        response = render(
            request,
            "governance/attendance/attendance.html",
            {
                **base,
                **_list_context(request, meeting),
                **(_paper_proxy_context(request, meeting) if proxies_editable else {}),
                "proxies": proxies,
                "proxy_total": proxy_total,
                "proxies_editable": proxies_editable,
                "proxies_closed": proxies_closed,
                "figures": attendance_figures(meeting),
                "closed_reason": closed,
                "can_manage": can_manage,
                "is_ag": meeting.body.kind == BodyKind.AG,
                "active_tab": "attendance",
            },
        )
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


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
