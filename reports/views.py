"""The activity reports page: request an ACI or AG report, list every version generated with
its parameters and date (earlier versions kept; each regenerated from the document's page)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpts.permissions import permission_required
from cpts.selectors.documents import PAGE_SIZE, document_info, documents_queryset
from cpts.views.documents import request_and_redirect
from reports.documents import ACI_KIND, AG_KIND, REPORT_KINDS
from reports.forms import AciReportForm, AgReportForm


def _page(request: HttpRequest, aci_form: AciReportForm, ag_form: AgReportForm) -> HttpResponse:
    page = Paginator(documents_queryset().filter(kind__in=REPORT_KINDS), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reports/home.html",
        {
            "aci_form": aci_form,
            "ag_form": ag_form,
            "page_obj": page,
            "rows": [document_info(document) for document in page.object_list],
            "nav_section": "reports",
        },
    )


@permission_required("reports.view")
def report_home(request: HttpRequest) -> HttpResponse:
    return _page(request, AciReportForm(), AgReportForm())


@permission_required("reports.generate")
@require_POST
def report_aci_request(request: HttpRequest) -> HttpResponse:
    form = AciReportForm(request.POST)
    if form.contract is None:
        messages.error(
            request,
            _("Aucun contrat ACI n'est enregistré : le rapport ACI ne peut pas être généré."),
        )
        return redirect("report_home")
    if not form.is_valid():
        messages.error(request, _("Rapport non demandé : choisissez une année du contrat."))
        return _page(request, form, AgReportForm())
    parameters = {"contract": form.contract.pk, "contract_year": form.cleaned_data["contract_year"]}
    return request_and_redirect(request, ACI_KIND, parameters)


@permission_required("reports.generate")
@require_POST
def report_ag_request(request: HttpRequest) -> HttpResponse:
    form = AgReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Rapport non demandé : choisissez une année civile."))
        return _page(request, AciReportForm(), form)
    return request_and_redirect(request, AG_KIND, {"year": form.cleaned_data["year"]})


urlpatterns = [
    path("", report_home, name="report_home"),
    path("aci/", report_aci_request, name="report_aci_request"),
    path("ag/", report_ag_request, name="report_ag_request"),
]
