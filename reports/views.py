"""The activity reports page: request an ACI or AG report, list every version generated with
its parameters and date (earlier versions kept; each regenerated from the document's page)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpts.models import GeneratedDocument
from cpts.permissions import permission_required
from cpts.selectors.documents import PAGE_SIZE, document_info, documents_queryset, find_document
from cpts.views.documents import request_and_redirect
from cpts.views.messaging import error_text, logged_in_user
from reports.documents import ACI_KIND, AG_KIND, REPORT_KINDS
from reports.forms import AciReportForm, AgReportForm, AttachReportForm
from reports.services import attach_to_convocation


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


def _finished_ag_report(pk: int) -> GeneratedDocument:
    document = find_document(pk)
    if (
        document is None
        or document.kind != AG_KIND
        or document.status != GeneratedDocument.Status.DONE
        or not document.file
    ):
        raise Http404(_("Ce rapport pour l'AG n'existe pas ou n'est pas terminé."))
    return document


@permission_required("governance.manage")
def report_attach(request: HttpRequest, pk: int) -> HttpResponse:
    """« Joindre à la convocation »: put a finished AG report on a point of the agenda of an
    upcoming AG; the governance app's agenda rules apply (nothing once the AG is held)."""
    document = _finished_ag_report(pk)
    year = int(document.parameters.get("year") or document.created_at.year)
    form = AttachReportForm(request.POST or None, year=year)
    if request.method == "POST" and form.is_valid():
        item = form.cleaned_data["item"]
        try:
            attach_to_convocation(
                document, item, title=form.cleaned_data["title"], by=logged_in_user(request)
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                _("Le rapport est joint à l'ordre du jour de « %(meeting)s ».")
                % {"meeting": item.meeting.title},
            )
            response = redirect("meeting_detail", item.meeting_id)
            response["Location"] += f"#point-{item.pk}"
            return response
    return render(
        request,
        "reports/attach.html",
        {
            "form": form,
            "document": document,
            "info": document_info(document),
            "nav_section": "reports",
        },
    )


urlpatterns = [
    path("", report_home, name="report_home"),
    path("aci/", report_aci_request, name="report_aci_request"),
    path("ag/", report_ag_request, name="report_ag_request"),
    path("<int:pk>/joindre/", report_attach, name="report_attach"),
]
