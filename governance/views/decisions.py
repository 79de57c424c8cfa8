"""The decision register: every adopted resolution of every body, for every adherent."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from cpts.permissions import permission_required
from governance.forms.decisions import RegisterFilterForm
from governance.selectors.decisions import decision_register as register_rows
from governance.selectors.decisions import register_years

PER_PAGE = 25


@permission_required("portal.view")
def decision_register(request: HttpRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET or None, years=register_years())
    filters = form.filters() if request.GET else {"q": "", "body": None, "year": None}
    page = Paginator(register_rows(**filters), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/decisions/register.html",
        {"form": form, "page": page, "filters": filters},
    )


urlpatterns = [
    path("gouvernance/decisions/", decision_register, name="decision_register"),
]
