"""The coordinator's dashboard: the first page after login for the coordination, bureau and CA."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from cpts.permissions import permission_required
from cpts.selectors.territory import territory_summary


@permission_required("backoffice.view")
def backoffice_home(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/home.html", {"territory": territory_summary()})


urlpatterns: list[URLPattern] = [
    path("tableau-de-bord/", backoffice_home, name="backoffice_home"),
]
