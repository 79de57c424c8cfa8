"""Proxies: recorded on paper by the coordination on the attendance page, and given online by
an adherent from the portal (choose a holder among the voting members, withdraw it before the
AG starts)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cpts.permissions import permission_required
from cpts.views.messaging import error_text
from governance.access import meeting_for
from governance.forms.attendance import PaperProxyForm, PortalProxyForm
from governance.models import BodyKind, Convocation, Meeting, Proxy, Statutes
from governance.selectors.attendance import holder_choices, invitees
from governance.selectors.voting import can_vote, meeting_date
from governance.services.proxies import (
    give_proxy,
    proxies_closed_reason,
    record_paper_proxy,
    revoke_proxy,
)
from members.models import Member
from members.selectors.portal import member_for_user

WRITE = ("governance.manage", "groups.lead")


# --- On behalf of a member (attendance page) -----------------------------------------------


@permission_required(*WRITE)
@require_POST
def meeting_proxy_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, manage=True)
    form = PaperProxyForm(request.POST, members=invitees(meeting))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("meeting_attendance", pk=meeting.pk)
    giver, holder = form.cleaned_data["giver"], form.cleaned_data["holder"]
    try:
        record_paper_proxy(meeting, giver, holder, request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("Procuration de %(giver)s à %(holder)s enregistrée.")
            % {"giver": giver.display_name, "holder": holder.display_name},
        )
    return redirect("meeting_attendance", pk=meeting.pk)


@permission_required(*WRITE)
@require_POST
def meeting_proxy_delete(request: HttpRequest, pk: int) -> HttpResponse:
    proxy = get_object_or_404(Proxy.objects.select_related("giver", "holder"), pk=pk)
    meeting = meeting_for(request.user, proxy.meeting_id, manage=True)
    try:
        revoke_proxy(proxy, request.user, at_the_door=True)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("La procuration de %(giver)s à %(holder)s est supprimée.")
            % {"giver": proxy.giver.display_name, "holder": proxy.holder.display_name},
        )
    return redirect("meeting_attendance", pk=meeting.pk)


# --- Portal ---------------------------------------------------------------------------------


def _portal_context(request: HttpRequest, pk: int) -> tuple[Member, Meeting]:
    """The logged-in adherent and the AG they are convened to, else 404."""
    member = member_for_user(request.user)
    if member is None:
        raise Http404
    meeting = get_object_or_404(
        Meeting.objects.select_related("body"), pk=pk, body__kind=BodyKind.AG
    )
    if not Convocation.objects.filter(meeting=meeting, member=member).exists():
        raise Http404
    return member, meeting


@permission_required("portal.view")
@require_http_methods(["GET", "HEAD", "POST"])
def proxy_give(request: HttpRequest, pk: int) -> HttpResponse:
    member, meeting = _portal_context(request, pk)
    closed = proxies_closed_reason(meeting)
    voting = can_vote(member, meeting_date(meeting))
    limit = Statutes.objects.get_solo().max_proxies_per_holder
    if request.headers.get("HX-Request") and request.method != "POST":
        return render(
            request,
            "governance/proxies/_holder_results.html",
            {
                "choices": holder_choices(
                    meeting, exclude=member, max_held=limit, query=request.GET.get("q", "")
                ),
                "limit": limit,
                "searched": True,
            },
        )
    form = PortalProxyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        holder = form.cleaned_data["holder"]
        try:
            give_proxy(meeting, member, holder, request.user)
        except ValidationError as exc:
            form.add_error("holder", error_text(exc))
        else:
            messages.success(
                request,
                _("Vous avez donné procuration à %(holder)s pour « %(title)s ».")
                % {"holder": holder.display_name, "title": meeting.title},
            )
            return redirect("proxy_give", pk=meeting.pk)
    current = Proxy.objects.select_related("holder").filter(meeting=meeting, giver=member).first()
    held = list(
        Proxy.objects.select_related("giver")
        .filter(meeting=meeting, holder=member)
        .order_by("giver__last_name", "giver__first_name", "pk")
    )
    context: dict[str, Any] = {
        "member": member,
        "meeting": meeting,
        "closed_reason": closed,
        "can_vote": voting,
        "limit": limit,
        "current": current,
        "held": held,
        "form": form,
        "choices": holder_choices(meeting, exclude=member, max_held=limit)
        if voting and not closed
        else [],
    }
    return render(request, "governance/proxies/give.html", context)


@permission_required("portal.view")
@require_POST
def proxy_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    member, meeting = _portal_context(request, pk)
    proxy = Proxy.objects.filter(meeting=meeting, giver=member).first()
    if proxy is None:
        messages.info(request, _("Vous n'avez pas donné de procuration pour cette AG."))
        return redirect("proxy_give", pk=meeting.pk)
    try:
        revoke_proxy(proxy, request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Votre procuration est annulée."))
    return redirect("proxy_give", pk=meeting.pk)


urlpatterns = [
    path(
        "gouvernance/reunions/<int:pk>/procurations/",
        meeting_proxy_add,
        name="meeting_proxy_add",
    ),
    path(
        "gouvernance/procurations/<int:pk>/supprimer/",
        meeting_proxy_delete,
        name="meeting_proxy_delete",
    ),
    path("portail/reunions/<int:pk>/procuration/", proxy_give, name="proxy_give"),
    path("portail/reunions/<int:pk>/procuration/annuler/", proxy_revoke, name="proxy_revoke"),
]
