"""The member list of the coordination: search, filters, sorting and pagination (htmx swaps
only the results), and the export of the filtered list as CSV or XLSX."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from cpts.permissions import permission_required, user_can
from members.forms.filters import MemberFilterForm
from members.resources import MemberResource
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


# --- Export ---------------------------------------------------------------------------------

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell a spreadsheet would run as a formula; "+33 6 …" and "-12,50" stay as they are.
_FORMULA = re.compile(r"^(?:[=@\t\r]|[+-](?![\d\s().,]*$))")


def member_rows(members: QuerySet[Any]) -> Iterator[list[Any]]:
    """The header row then one row per member, through ``MemberResource`` (the import
    template's columns), read lazily: one query, whatever the number of members."""
    resource = MemberResource()
    fields = resource.get_export_fields()
    yield [str(field.column_name) for field in fields]
    # What ``resource.export_field`` does for each cell, resolved once rather than per cell
    # (it looks each field's name up among all the fields: a third of the export's time).
    exporters: list[Callable[[Any], Any]] = []
    for field in fields:
        method = field.get_dehydrate_method(resource.get_field_name(field))
        dehydrate = method if callable(method) else getattr(resource, method, None)
        exporters.append(dehydrate or field.export)
    for member in resource.iter_queryset(resource.filter_export(members)):
        yield [export(member) for export in exporters]


def _csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if _FORMULA.match(text) else text


def _csv_lines(rows: Iterator[list[Any]]) -> Iterator[str]:
    """CSV for Excel: ``;``-separated, UTF-8 with a byte order mark, formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    yield "\ufeff"
    for index, row in enumerate(rows):
        writer.writerow([_csv_cell(value) for value in row])
        if index % 200 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _xlsx_bytes(rows: Iterator[list[Any]]) -> bytes:
    """An XLSX workbook written row by row (openpyxl's write-only mode), header in bold and
    frozen, text that looks like a formula stored as text."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Membres")))
    sheet.freeze_panes = "A2"
    header = next(rows)
    bold = Font(bold=True)
    cells = []
    for index, title in enumerate(header, start=1):
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        cells.append(cell)
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(title) + 4)
    sheet.append(cells)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # openpyxl would otherwise write it as a formula
        return cell
    return "" if value is None else value


@permission_required("members.view")
@require_safe
def member_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered list (same parameters as the list) as a CSV or XLSX file."""
    file_format = request.GET.get("format", "csv")
    if file_format not in ("csv", "xlsx"):
        raise Http404(_("Format d'export inconnu : choisissez csv ou xlsx."))
    today = timezone.localdate()
    rows = member_rows(filtered_members(MemberFilters.from_params(request.GET), on=today))
    response: HttpResponseBase
    if file_format == "csv":
        response = StreamingHttpResponse(_csv_lines(rows), content_type=CSV_CONTENT_TYPE)
    else:
        response = HttpResponse(_xlsx_bytes(rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="membres-{today.isoformat()}.{file_format}"'
    )
    return response


urlpatterns = [
    path("membres/", member_list, name="member_list"),
    path("membres/export/", member_export, name="member_export"),
]
