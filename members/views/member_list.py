"""The member list of the coordination: search, filters, sorting and pagination (htmx swaps
only the results), and the export of the filtered list as CSV or XLSX."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from cpts.permissions import permission_required, user_can
from members.forms.filters import MemberFilterForm
from members.resources import EXPORT_CONTENT_TYPES, export_members
from members.selectors.members import MemberFilters, filtered_members

PAGE_SIZE = 25
RESULTS_TARGET = "member-results"


@dataclass(frozen=True)
class SortColumn:
    """A sortable column header: the sort its link asks for and its current state."""

    key: str
    label: Any
    next_sort: str
    aria_sort: str  # "ascending", "descending" or "" when the list is not sorted by it


_COLUMNS = (
    ("nom", _("Nom")),
    ("profession", _("Profession")),
    ("commune", _("Commune")),
    ("college", _("Collège")),
    ("adhesion", _("Adhérent depuis le")),
)


def sort_columns(filters: MemberFilters) -> dict[str, SortColumn]:
    columns = {}
    for key, label in _COLUMNS:
        current = filters.sort_key == key
        columns[key] = SortColumn(
            key=key,
            label=label,
            next_sort=f"-{key}" if current and not filters.descending else key,
            aria_sort=("descending" if filters.descending else "ascending") if current else "",
        )
    return columns


def _list_url(filters: MemberFilters, page_number: int) -> str:
    """This very list (filters, sort and page): where the reminder form comes back to."""
    params = filters.as_params()
    if page_number > 1:
        params["page"] = str(page_number)
    return f"{reverse('member_list')}?{urlencode(params)}" if params else reverse("member_list")


def _is_results_request(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and htmx.target == RESULTS_TARGET  # type: ignore[union-attr]


@permission_required("members.view")
@require_safe
def member_list(request: HttpRequest) -> HttpResponse:
    filters = MemberFilters.from_params(request.GET)
    today = timezone.localdate()
    page = Paginator(filtered_members(filters, on=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context: dict[str, Any] = {
        "page": page,
        "members": page.object_list,
        "filters": filters,
        "columns": sort_columns(filters),
        "today": today,
        "export_query": urlencode(filters.as_params()),
        "results_target": RESULTS_TARGET,
        "can_remind": user_can(request.user, "members.manage"),
        "list_url": _list_url(filters, page.number),
    }
    if _is_results_request(request):
        return render(request, "members/list/_results.html", {**context, "partial": True})
    form = MemberFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # marks the fields whose value is unknown; those are ignored
    context["form"] = form
    return render(request, "members/list/member_list.html", context)


@permission_required("members.view")
@require_safe
def member_export(request: HttpRequest) -> HttpResponse:
    """The filtered list (same parameters as the list) as a CSV or XLSX file."""
    file_format = request.GET.get("format", "csv")
    if file_format not in EXPORT_CONTENT_TYPES:
        raise Http404(_("Format d'export inconnu : choisissez csv ou xlsx."))
    today = timezone.localdate()
    members = filtered_members(MemberFilters.from_params(request.GET), on=today)
    response = HttpResponse(
        export_members(members, file_format), content_type=EXPORT_CONTENT_TYPES[file_format]
    )
    response["Content-Disposition"] = (
        f'attachment; filename="membres-{today.isoformat()}.{file_format}"'
    )
    return response


urlpatterns = [
    path("membres/", member_list, name="member_list"),
    path("membres/export/", member_export, name="member_export"),
]
