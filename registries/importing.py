"""Import of the SAS monthly activity from a file (XLSX, or CSV separated by ``;`` or ``,``
in UTF-8 or Windows-1252), following the import pattern of the member base: read and check
every row (preview, nothing written), then record all of them or none.

One row per month: ``mois`` (03/2026, 2026-03 or mars 2026) and five counts. A month already
in the register has its counts replaced. Row errors name the line and the column."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.importing import (
    MAX_BYTES,
    ImportFileError,
    _cell_text,
    _csv_rows,
    normalize_header,
    normalize_label,
)
from members.services.imports import RowError
from registries.forms import activity_error
from registries.identifiers import MONTHS
from registries.models import SasMonthlyActivity

MONTH = "mois"
COUNTS = {
    "demandes_recues": "requests_received",
    "rdv_donnes": "appointments_given",
    "rdv_honores": "honoured",
    "rdv_non_honores": "not_honoured",
    "reorientations": "oriented_elsewhere",
}
COLUMNS = (MONTH, *COUNTS)
FIELD_COLUMNS = {field_name: column for column, field_name in COUNTS.items()}
HEADER_ALIASES = {
    "month": MONTH,
    "periode": MONTH,
    "demandes": "demandes_recues",
    "rendez_vous_donnes": "rdv_donnes",
    "rendez_vous_honores": "rdv_honores",
    "rendez_vous_non_honores": "rdv_non_honores",
    "orientations": "reorientations",
    "reorientes": "reorientations",
}
MAX_ROWS = 600


@dataclass
class ActivityRow:
    line: int
    month_text: str
    month: datetime.date | None = None
    values: dict[str, int] = field(default_factory=dict)
    existing: bool = False
    errors: list[RowError] = field(default_factory=list)

    def error(self, column: str, reason: str) -> None:
        self.errors.append(RowError(self.line, column, reason))


@dataclass
class ActivityImport:
    rows: list[ActivityRow]

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)

    @property
    def new_count(self) -> int:
        return sum(1 for row in self.rows if not row.errors and not row.existing)

    @property
    def replaced_count(self) -> int:
        return sum(1 for row in self.rows if not row.errors and row.existing)


def _rows(content: bytes, filename: str) -> list[list[Any]]:
    if not content.strip():
        raise ImportFileError(_("Le fichier est vide."))
    if len(content) > MAX_BYTES:
        raise ImportFileError(_("Le fichier dépasse 10 Mo : découpez-le en plusieurs fichiers."))
    if content.startswith(b"PK\x03\x04"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
            raise ImportFileError(_("Ce classeur .xlsx ne peut pas être lu.")) from error
        try:
            return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
        finally:
            workbook.close()
    if content.startswith(b"\xd0\xcf\x11\xe0") or filename.lower().endswith(".xls"):
        raise ImportFileError(
            _("Les fichiers .xls ne sont pas pris en charge : enregistrez-le en .xlsx ou .csv.")
        )
    return _csv_rows(content)


def _header(value: Any) -> str:
    key = normalize_header(_cell_text(value, ""))
    return HEADER_ALIASES.get(key, key)


def parse_month(value: Any) -> datetime.date | None:
    """03/2026, 3/2026, 2026-03, mars 2026, or a spreadsheet date: its month; else None."""
    if isinstance(value, datetime.datetime | datetime.date):
        return datetime.date(value.year, value.month, 1)
    text = normalize_label(str(value or ""))
    match = re.fullmatch(r"(\d{1,2}) (\d{4})", text) or re.fullmatch(r"(\d{4}) (\d{1,2})", text)
    if match:
        first, second = int(match[1]), int(match[2])
        year, month = (second, first) if second > 12 else (first, second)
    else:
        word = re.fullmatch(r"([a-z]+) (\d{4})", text)
        if word is None or word[1] not in MONTHS:
            return None
        year, month = int(word[2]), MONTHS.index(word[1]) + 1
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        return None
    return datetime.date(year, month, 1)


def _count(value: Any) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if value == int(value) and value >= 0 else None
    text = str(value or "").replace("\u00a0", "").replace(" ", "")
    if text == "":
        return 0
    return int(text) if text.isdigit() else None


def read_activity_file(content: bytes, filename: str = "") -> ActivityImport:
    """Read and check every row. Raises ImportFileError when the file as a whole is unusable."""
    rows = _rows(content, filename)
    filled = [i for i, row in enumerate(rows) if any(_cell_text(v, "") for v in row)]
    if not filled:
        raise ImportFileError(_("Le fichier est vide."))
    header_index = filled[0]
    headers = [_header(v) for v in rows[header_index]]
    missing = [column for column in COLUMNS if column not in headers]
    if missing:
        raise ImportFileError(
            _(
                "Colonne(s) obligatoire(s) absente(s) : %(missing)s. La première ligne doit "
                "porter les noms de colonnes : %(expected)s."
            )
            % {"missing": ", ".join(missing), "expected": ", ".join(COLUMNS)}
        )
    body = [
        (line, row)
        for line, row in enumerate(rows[header_index + 1 :], start=header_index + 2)
        if any(_cell_text(v, "") for v in row)
    ]
    if not body:
        raise ImportFileError(_("Le fichier ne contient aucune ligne de données."))
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            _("Le fichier dépasse %(max)s lignes : découpez-le.") % {"max": MAX_ROWS}
        )
    checked = [_check(line, dict(zip(headers, row, strict=False))) for line, row in body]
    _check_duplicates(checked)
    known = set(
        SasMonthlyActivity.objects.filter(
            month__in=[row.month for row in checked if row.month]
        ).values_list("month", flat=True)
    )
    for row in checked:
        row.existing = row.month in known
    return ActivityImport(rows=checked)


def _check(line: int, cells: dict[str, Any]) -> ActivityRow:
    raw_month = cells.get(MONTH)
    row = ActivityRow(line=line, month_text=_cell_text(raw_month, ""))
    row.month = parse_month(raw_month)
    if row.month is None:
        row.error(
            MONTH, _("mois illisible « %(value)s » (ex. 03/2026)") % {"value": row.month_text}
        )
    elif row.month > timezone.localdate():
        row.error(MONTH, _("mois dans le futur"))
    for column, field_name in COUNTS.items():
        number = _count(cells.get(column))
        if number is None:
            row.error(
                column,
                _("« %(value)s » n'est pas un nombre entier positif")
                % {"value": _cell_text(cells.get(column), "")},
            )
        else:
            row.values[field_name] = number
    if len(row.values) == len(COUNTS):
        problem = activity_error(row.values)
        if problem:
            row.error(FIELD_COLUMNS[problem[0]], problem[1])
    return row


def _check_duplicates(rows: list[ActivityRow]) -> None:
    seen: dict[datetime.date, int] = {}
    for row in rows:
        if row.month is None:
            continue
        if row.month in seen:
            row.error(
                MONTH,
                _("mois déjà présent à la ligne %(line)s du fichier") % {"line": seen[row.month]},
            )
        else:
            seen[row.month] = row.line


def record_activity(table: ActivityImport) -> int:
    """Write every row (create or replace the month's counts), all or nothing; the number of
    rows written. Refused (ValueError) when a row has an error."""
    if table.has_errors:
        raise ValueError("an import with row errors cannot be recorded")
    with transaction.atomic():
        existing = {
            activity.month: activity
            for activity in SasMonthlyActivity.objects.select_for_update().filter(
                month__in=[row.month for row in table.rows]
            )
        }
        for row in table.rows:
            assert row.month is not None  # a row without error has its month
            activity = existing.get(row.month) or SasMonthlyActivity(month=row.month)
            for name, value in row.values.items():
                setattr(activity, name, value)
            activity.full_clean()
            activity.save()
    return len(table.rows)


def template_csv() -> bytes:
    lines = [";".join(COLUMNS), "01/2026;120;84;76;5;22", "02/2026;98;70;66;3;18"]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
