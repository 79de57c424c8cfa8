"""The adherents' gouvernance page (who governs: Bureau, CA by collège, working groups and
past mandates) and the one-click join / leave of an open working group."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cpts.permissions import permission_required, user_can
from governance.models import Body, BodyKind
from governance.selectors.bodies import governance_overview, group_card
from governance.services.bodies import join_group, leave_group
from governance.views.portal_sections import SECTION_FIELD, render_groups_section
from members.selectors.portal import member_for_user


def _optional_url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@permission_required("portal.view")
@require_safe
def governance_page(request: HttpRequest) -> HttpResponse:
    viewer = member_for_user(request.user)
    return render(
        request,
        "governance/page/governance.html",
        {
            "overview": governance_overview(viewer),
            "viewer": viewer,
            "decision_register_url": _optional_url("decision_register"),
            "can_view_bodies": user_can(request.user, "governance.view"),
            "nav_section": "portal",
        },
    )


def _join_or_leave(request: HttpRequest, pk: int, *, join: bool) -> HttpResponse:
    body = get_object_or_404(Body, pk=pk, kind=BodyKind.GROUP)
    viewer = member_for_user(request.user)
    try:
        if join:
            join_group(viewer, body, by=request.user)
        else:
            leave_group(viewer, body, by=request.user)
    except ValidationError as error:
        level, text = messages.ERROR, " ".join(error.messages)
    else:
        level = messages.SUCCESS
        text = (
            _("Vous avez rejoint le groupe « %(body)s ».")
            if join
            else _("Vous avez quitté le groupe « %(body)s ».")
        ) % {"body": body}
    if request.htmx and request.POST.get(SECTION_FIELD):  # type: ignore[attr-defined]
        # From the portal home's card: the refreshed section, the notice inside it.
        return render_groups_section(request, text, level == messages.SUCCESS)
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "governance/page/_group_card.html",
            {
                "card": group_card(body, viewer),
                "viewer": viewer,
                "notice": text,
                "notice_ok": level == messages.SUCCESS,
            },
        )
    messages.add_message(request, level, text)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("governance_page")
    return redirect(f"{target}#groupe-{body.pk}" if "#" not in target else target)


@permission_required("portal.view")
@require_POST
def group_join(request: HttpRequest, pk: int) -> HttpResponse:
    return _join_or_leave(request, pk, join=True)


@permission_required("portal.view")
@require_POST
def group_leave(request: HttpRequest, pk: int) -> HttpResponse:
    return _join_or_leave(request, pk, join=False)


urlpatterns = [
    path("gouvernance/", governance_page, name="governance_page"),
    path("portail/groupes/<int:pk>/rejoindre/", group_join, name="group_join"),
    path("portail/groupes/<int:pk>/quitter/", group_leave, name="group_leave"),
]
