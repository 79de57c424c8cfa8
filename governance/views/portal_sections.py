"""Governance's sections of the adherent's portal home (``cpts/portal.py``): my next
meetings (answer in one tap, give a proxy for an AG), my working groups (join or leave an
open group in one tap) and the documents shared with members. Each is an htmx fragment;
the answer and join/leave buttons post back and receive the refreshed section."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from cpts.permissions import permission_required
from governance.models import ConvocationAnswer
from governance.selectors.library import category_counts, latest_entries
from governance.selectors.portal import group_cards, upcoming_convocations
from members.selectors.portal import member_for_user

# The field the section's forms send so that the answer / join / leave views reply with the
# refreshed section instead of redirecting.
SECTION_FIELD = "section"


def render_meetings_section(
    request: HttpRequest, notice: str = "", notice_ok: bool = True
) -> HttpResponse:
    member = member_for_user(request.user)
    cards = upcoming_convocations(member, timezone.now()) if member else None
    return render(
        request,
        "governance/portal/_meetings_section.html",
        {
            "member": member,
            "cards": cards,
            "answers": ConvocationAnswer,
            "notice": notice,
            "notice_ok": notice_ok,
        },
    )


def render_groups_section(
    request: HttpRequest, notice: str = "", notice_ok: bool = True
) -> HttpResponse:
    member = member_for_user(request.user)
    return render(
        request,
        "governance/portal/_groups_section.html",
        {
            "member": member,
            "cards": group_cards(member),
            "notice": notice,
            "notice_ok": notice_ok,
        },
    )


@permission_required("portal.view")
@require_safe
def portal_meetings_section(request: HttpRequest) -> HttpResponse:
    return render_meetings_section(request)


@permission_required("portal.view")
@require_safe
def portal_groups_section(request: HttpRequest) -> HttpResponse:
    return render_groups_section(request)


@permission_required("portal.view")
@require_safe
def portal_documents_section(request: HttpRequest) -> HttpResponse:
    member = member_for_user(request.user)
    return render(
        request,
        "governance/portal/_documents_section.html",
        {
            "counts": category_counts(request.user, member),
            "latest": latest_entries(request.user, member),
        },
    )


urlpatterns = [
    path("portail/sections/reunions/", portal_meetings_section, name="portal_meetings_section"),
    path("portail/sections/groupes/", portal_groups_section, name="portal_groups_section"),
    path("portail/sections/documents/", portal_documents_section, name="portal_documents_section"),
]
