"""The coordinator's dashboard: the first page after login for the coordination, bureau and
CA (read-only for the board: action buttons follow each reader's permissions)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from cpts.permissions import permission_required
from indicators.selectors.dashboard import dashboard_for


@permission_required("backoffice.view")
def backoffice_home(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/home.html", {"dashboard": dashboard_for(request.user)})


urlpatterns: list[URLPattern] = [
    path("tableau-de-bord/", backoffice_home, name="backoffice_home"),
]
