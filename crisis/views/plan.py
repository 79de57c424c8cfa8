"""The crisis mission's home and the crisis plan: the current version, its history, the
form writing the next version, the PDF export. Reading needs ``crisis.view``, writing
``crisis.manage``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cpts.permissions import permission_required, user_can
from cpts.views.messaging import logged_in_user
from crisis.forms import PlanForm, raise_on
from crisis.models import PlanVersion
from crisis.selectors.activations import activation_list
from crisis.selectors.alerts import alert_list
from crisis.selectors.plan import crisis_mission_schedule, part_updates
from crisis.services.plan import current_version, publish_version, request_plan_pdf

VERSIONS_PAGE_SIZE = 20
ACTIVATIONS_PAGE_SIZE = 10


@permission_required("crisis.view")
@require_safe
def crisis_home(request: HttpRequest) -> HttpResponse:
    page = Paginator(activation_list(), ACTIVATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "crisis/home.html",
        {
            "plan": current_version(),
            "schedule": crisis_mission_schedule(),
            "activations": list(page.object_list),
            "page": page,
            "alerts": list(alert_list()[:5]),
            "can_manage": user_can(request.user, "crisis.manage"),
        },
    )


@permission_required("crisis.view")
@require_safe
def crisis_plan(request: HttpRequest) -> HttpResponse:
    plan = current_version()
    return render(
        request,
        "crisis/plan.html",
        {
            "plan": plan,
            **_parts(plan),
            "is_current": True,
            "can_manage": user_can(request.user, "crisis.manage"),
        },
    )


def _parts(plan: PlanVersion | None) -> dict[str, object]:
    """The plan's sections with the date each was last updated."""
    if plan is None:
        return {}
    updates = part_updates(plan)
    return {
        "updates": updates,
        "sections": [(key, label, text, updates.get(key)) for key, label, text in plan.sections()],
    }


@permission_required("crisis.view")
@require_safe
def crisis_plan_versions(request: HttpRequest) -> HttpResponse:
    versions = PlanVersion.objects.select_related("created_by", "referent_sse").order_by("-number")
    page = Paginator(versions, VERSIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "crisis/plan_versions.html", {"page": page})


@permission_required("crisis.view")
@require_safe
def crisis_plan_version(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(
        PlanVersion.objects.select_related("referent_sse", "referent_sse_deputy", "created_by"),
        pk=pk,
    )
    latest = PlanVersion.objects.order_by("-number").values_list("pk", flat=True).first()
    return render(
        request,
        "crisis/plan.html",
        {
            "plan": plan,
            **_parts(plan),
            "is_current": plan.pk == latest,
            "can_manage": user_can(request.user, "crisis.manage"),
        },
    )


@permission_required("crisis.manage")
@require_http_methods(["GET", "POST"])
def crisis_plan_edit(request: HttpRequest) -> HttpResponse:
    current = current_version()
    if request.method == "POST":
        form = PlanForm(request.POST, current=current)
        if form.is_valid():
            try:
                version = publish_version(
                    values=form.plan_values(),
                    summary=form.cleaned_data["summary"],
                    by=logged_in_user(request),
                )
            except ValidationError as error:
                raise_on(form, error)
            else:
                messages.success(
                    request,
                    _("La version %(number)s du plan de crise est enregistrée.")
                    % {"number": version.number},
                )
                return redirect("crisis_plan")
        messages.error(request, _("Le plan n'a pas été enregistré : corrigez les champs signalés."))
        status = 400
    else:
        form = PlanForm(current=current)
        status = 200
    return render(
        request, "crisis/plan_form.html", {"form": form, "current": current}, status=status
    )


@permission_required("crisis.view")
@require_POST
def crisis_plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(PlanVersion, pk=pk)
    document = request_plan_pdf(version, by=logged_in_user(request))
    messages.success(
        request,
        _("Le PDF de la version %(number)s du plan est en cours de préparation.")
        % {"number": version.number},
    )
    return redirect("document_detail", pk=document.pk)


urlpatterns = [
    path("crise/", crisis_home, name="crisis_home"),
    path("crise/plan/", crisis_plan, name="crisis_plan"),
    path("crise/plan/modifier/", crisis_plan_edit, name="crisis_plan_edit"),
    path("crise/plan/versions/", crisis_plan_versions, name="crisis_plan_versions"),
    path("crise/plan/versions/<int:pk>/", crisis_plan_version, name="crisis_plan_version"),
    path("crise/plan/versions/<int:pk>/pdf/", crisis_plan_pdf, name="crisis_plan_pdf"),
]
