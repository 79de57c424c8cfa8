"""The registers' home ("Registres" menu): each register with its current count, and the
indicators of the current calendar year computed from the registers (the same functions as
the indicator catalogue), each with its breakdown (per priority criterion, origin, level).
``registries.view``; a fixed number of queries."""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from cpts.indicator_registry import as_breakdown, registered_indicators
from cpts.permissions import permission_required, user_can
from registries import indicators  # noqa: F401  (the computations read below)
from registries.selectors import status_counts
from registries.views.registers import REGISTERS

HOME_INDICATORS = (
    "gp_requests",
    "gp_requests_resolved",
    "gp_waiting_median_days",
    "sas_doctors",
    "sas_appointments",
    "sas_honoured_rate",
    "unplanned_slots",
    "trainees_hosted",
    "internship_supervisors",
    "installations_supported",
)


@permission_required("registries.view")
@require_safe
def registries_home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    start = datetime.date(today.year, 1, 1)
    registry = registered_indicators()
    figures = []
    for code in HOME_INDICATORS:
        definition = registry[code]
        breakdown = as_breakdown(definition.function(start, today))
        parts = [(key, part) for key, part in breakdown.items() if key]
        figures.append((definition, breakdown[""], parts))
    context = {
        "year": today.year,
        "figures": figures,
        "counts": status_counts(),
        "registers": REGISTERS,
        "can_manage": user_can(request.user, "registries.manage"),
    }
    return render(request, "registries/home.html", context)


urlpatterns = [path("registres/", registries_home, name="registries_home")]
