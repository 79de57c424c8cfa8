"""Landing pages: the router after login and the adherent's portal (the coordinator's
dashboard lives in indicators/views/dashboard.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from cpts.permissions import permission_required, user_can
from cpts.portal import portal_sections
from cpts.selectors.territory import territory_summary


def home(request: HttpRequest) -> HttpResponse:
    """Send each person to their space: the back-office for the coordination team, bureau
    and CA, the portal for adherents, the login page for everyone else."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    if user_can(request.user, "backoffice.view"):
        return redirect("backoffice_home")
    return redirect("portal_home")


@permission_required("portal.view")
def portal_home(request: HttpRequest) -> HttpResponse:
    """The adherent's home: the sections each application registers (``cpts/portal.py``),
    each loaded by htmx, then the territory and the account links."""
    return render(
        request,
        "portal/home.html",
        {"territory": territory_summary(), "sections": portal_sections()},
    )


urlpatterns = [
    path("", home, name="home"),
    path("portail/", portal_home, name="portal_home"),
]
