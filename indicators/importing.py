"""Reading files of indicator values (CPAM or ARS extracts retyped or exported by the
coordination: XLSX, or CSV separated by ``;`` or ``,`` in UTF-8 with or without BOM or in
Windows-1252) and checking each row against the catalogue, the periods and the contract.

``read_indicator_file`` returns the rows with the documented column names (matched case- and
accent-insensitively) and each row's line number in the file (the header is line 1);
``check_rows`` turns them into measurements to record, or into the reasons they cannot be."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from indicators.models import IndicatorDefinition, IndicatorSource, Unit
from indicators.periods import Period, PeriodError, outside_contract, parse_period
from indicators.services.measurements import value_error
from members.importing import (
    MAX_BYTES,
    ImportFileError,
    _cell_text,
    _csv_rows,
    normalize_header,
    normalize_label,
)
from members.services.imports import RowError
from missions.models import Contract
from missions.selectors.contract import current_contract

INDICATOR, PERIOD, VALUE, BREAKDOWN, NOTE = (
    "indicateur",
    "periode",
    "valeur",
    "ventilation",
    "commentaire",
)
COLUMNS = (INDICATOR, PERIOD, VALUE, BREAKDOWN, NOTE)
REQUIRED = (INDICATOR, PERIOD, VALUE)
# How each column is written in the template, in messages and in the documentation.
COLUMN_TITLES = {
    INDICATOR: "indicateur",
    PERIOD: "période",
    VALUE: "valeur",
    BREAKDOWN: "ventilation",
    NOTE: "commentaire",
}
HEADER_ALIASES = {
    "code": INDICATOR,
    "code_indicateur": INDICATOR,
    "intitule": INDICATOR,
    "libelle": INDICATOR,
    "commentaires": NOTE,
    "remarque": NOTE,
}
HEADER_SEARCH_ROWS = 10
MAX_ROWS = 2_000
MAX_BREAKDOWN = 120
MAX_NOTE = 500
DECIMALS = Decimal("0.0001")  # the precision of Measurement.value


@dataclass(frozen=True)
class RawRow:
    line: int
    cells: dict[str, Any]  # column → trimmed text (or a Decimal for a numeric value cell)


@dataclass(frozen=True)
class ImportTable:
    rows: list[RawRow]
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class CheckedRow:
    """One row of the file, read: what it would record, or why it cannot be."""

    line: int
    indicator_text: str
    period_text: str
    value_text: str
    breakdown: str = ""
    note: str = ""
    indicator: IndicatorDefinition | None = None
    period: Period | None = None
    value: Decimal | None = None
    errors: list[RowError] = field(default_factory=list)

    def error(self, column: str, reason: str) -> None:
        self.errors.append(RowError(self.line, COLUMN_TITLES.get(column, column), reason))


class NumberError(ValueError):
    """A cell that is not a number (French message)."""


# -- reading --------------------------------------------------------------------------------


def read_indicator_file(content: bytes, filename: str = "") -> ImportTable:
    """The rows of an XLSX or CSV file of indicator values. Raises ImportFileError."""
    if not content.strip():
        raise ImportFileError(_("Le fichier est vide."))
    if len(content) > MAX_BYTES:
        raise ImportFileError(_("Le fichier dépasse 10 Mo : découpez-le en plusieurs fichiers."))
    if content.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(content)
    elif content.startswith(b"\xd0\xcf\x11\xe0") or filename.lower().endswith(".xls"):
        raise ImportFileError(
            _(
                "Les fichiers .xls ne sont pas pris en charge : enregistrez-le au format "
                ".xlsx ou .csv."
            )
        )
    else:
        rows = _csv_rows(content)
    return _table(rows)


def _xlsx_rows(content: bytes) -> list[list[Any]]:
    """Cell values of the first sheet; a number shown as a percentage (0,6626 shown 66,26 %)
    becomes the text "66.26 %", as the person sees it."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(_("Ce classeur .xlsx ne peut pas être lu.")) from error
    try:
        rows: list[list[Any]] = []
        for row in workbook.worksheets[0].iter_rows():
            values: list[Any] = []
            for cell in row:
                value = cell.value
                shown_as_percent = "%" in str(getattr(cell, "number_format", "") or "")
                if isinstance(value, int | float) and not isinstance(value, bool):
                    number = Decimal(str(value))
                    value = f"{number * 100:f} %" if shown_as_percent else number
                values.append(value)
            rows.append(values)
        return rows
    finally:
        workbook.close()


def _header(value: Any) -> str:
    key = normalize_header(_cell_text(value, ""))
    return HEADER_ALIASES.get(key, key)


def _cell(value: Any, column: str) -> Any:
    if column == VALUE and isinstance(value, Decimal):
        return value
    if column == PERIOD and isinstance(value, datetime.date) and value.day == 1:
        # Excel turns "03/2025" or "mars 2025" into the first day of the month.
        return f"{value.month:02d}/{value.year}"
    return _cell_text(value, "")


def _table(rows: list[list[Any]]) -> ImportTable:
    filled = [i for i, row in enumerate(rows) if any(_cell_text(v, "") for v in row)]
    if not filled:
        raise ImportFileError(_("Le fichier est vide."))
    header_index = next(
        (i for i in filled[:HEADER_SEARCH_ROWS] if INDICATOR in {_header(v) for v in rows[i]}),
        filled[0],
    )
    raw_headers = [_cell_text(v, "") for v in rows[header_index]]
    headers = [_header(v) for v in rows[header_index]]
    missing = [COLUMN_TITLES[column] for column in REQUIRED if column not in headers]
    if missing:
        raise ImportFileError(
            _(
                "Colonne(s) obligatoire(s) absente(s) : %(missing)s. La première ligne doit "
                "porter les noms de colonnes : %(expected)s."
            )
            % {
                "missing": ", ".join(missing),
                "expected": ", ".join(COLUMN_TITLES[column] for column in COLUMNS),
            }
        )
    repeated = sorted({COLUMN_TITLES[h] for h in headers if h in COLUMNS and headers.count(h) > 1})
    if repeated:
        raise ImportFileError(
            _("Colonne(s) en double : %(columns)s.") % {"columns": ", ".join(repeated)}
        )
    ignored = [raw for raw, h in zip(raw_headers, headers, strict=True) if raw and h not in COLUMNS]
    table = ImportTable(rows=[], ignored_columns=ignored)
    for line, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        cells = {
            header: _cell(value, header)
            for header, value in zip(headers, row, strict=False)
            if header in COLUMNS
        }
        if not any(cells.values()):
            continue  # empty rows, trailing or not
        table.rows.append(RawRow(line, cells))
        if len(table.rows) > MAX_ROWS:
            raise ImportFileError(
                _("Le fichier dépasse %(max)s lignes : découpez-le en plusieurs fichiers.")
                % {"max": MAX_ROWS}
            )
    if not table.rows:
        raise ImportFileError(_("Le fichier ne contient aucune valeur sous la ligne d'en-tête."))
    return table


# -- numbers --------------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def parse_number(text: str) -> tuple[Decimal, bool]:
    """A number as people write it: "66,26", "66,26 %", "1 234", "1 234,5" (normal or
    non-breaking spaces), "66.26", "1.234,5". Returns (value, written as a percentage)."""
    compact = _SPACES.sub("", str(text)).replace("\u2212", "-")
    percent = compact.endswith("%")
    compact = compact.removesuffix("%")
    if "," in compact and "." in compact:
        # The last separator is the decimal one: "1.234,5" or "1,234.5".
        thousands = "." if compact.rfind(",") > compact.rfind(".") else ","
        compact = compact.replace(thousands, "")
    if compact.count(",") == 1:
        compact = compact.replace(",", ".")
    elif compact.count(".") > 1 and re.fullmatch(r"[+-]?\d{1,3}(?:\.\d{3})+", compact):
        compact = compact.replace(".", "")
    if not _PLAIN_NUMBER.match(compact):
        raise NumberError(
            _("« %(text)s » n'est pas un nombre (exemples : 66,26 ; 66,26 %% ; 1 234,5).")
            % {"text": text}
        )
    return rounded(Decimal(compact), text), percent


def rounded(value: Decimal, text: str) -> Decimal:
    """``value`` to the precision of a measurement; NumberError when far too large."""
    try:
        return value.quantize(DECIMALS, rounding=ROUND_HALF_UP)
    except InvalidOperation as error:
        raise NumberError(_("« %(text)s » : nombre trop grand.") % {"text": text}) from error


# -- checking rows --------------------------------------------------------------------------


class IndicatorLookup:
    """Finds an indicator by its code or its exact label (case- and accent-insensitive)."""

    def __init__(self, definitions: list[IndicatorDefinition]) -> None:
        self.by_code = {definition.code.lower(): definition for definition in definitions}
        self.by_label: dict[str, list[IndicatorDefinition]] = {}
        for definition in definitions:
            self.by_label.setdefault(normalize_label(definition.label), []).append(definition)

    def find(self, text: str) -> IndicatorDefinition | list[IndicatorDefinition] | None:
        """The indicator, the candidates when the label is ambiguous, or None."""
        found = self.by_code.get(text.strip().lower())
        if found is not None:
            return found
        candidates = self.by_label.get(normalize_label(text), [])
        if len(candidates) == 1:
            return candidates[0]
        return candidates or None


def check_rows(table: ImportTable) -> list[CheckedRow]:
    """Read every row against the catalogue and the current contract (a constant number of
    queries). Rows that repeat an indicator, period and breakdown are refused."""
    contract = current_contract()
    if contract is not None:
        prefetch_related_objects([contract], "years")
    lookup = IndicatorLookup(list(IndicatorDefinition.objects.all()))
    seen: dict[tuple[int, str, datetime.date, datetime.date, str], int] = {}
    checked = []
    for raw in table.rows:
        row = _check_row(raw, lookup, contract)
        if row.indicator is not None and row.period is not None:
            key = (
                row.indicator.pk,
                row.period.kind,
                row.period.start,
                row.period.end,
                normalize_label(row.breakdown),
            )
            if key in seen and not row.errors:  # a row already wrong is not told twice
                row.error(
                    "",
                    _("même indicateur, même période et même ventilation qu'à la ligne %(line)s.")
                    % {"line": seen[key]},
                )
            else:
                seen.setdefault(key, row.line)
        checked.append(row)
    return checked


def _text(raw: RawRow, column: str) -> str:
    value = raw.cells.get(column, "")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", ",")
    return str(value)


def _check_row(raw: RawRow, lookup: IndicatorLookup, contract: Contract | None) -> CheckedRow:
    row = CheckedRow(
        line=raw.line,
        indicator_text=_text(raw, INDICATOR),
        period_text=_text(raw, PERIOD),
        value_text=_text(raw, VALUE),
        breakdown=_text(raw, BREAKDOWN),
        note=_text(raw, NOTE),
    )
    _check_indicator(row, lookup)
    _check_period(row, contract)
    _check_value(row, raw.cells.get(VALUE))
    if len(row.breakdown) > MAX_BREAKDOWN:
        row.error(BREAKDOWN, _("%(max)s caractères au plus.") % {"max": MAX_BREAKDOWN})
    if len(row.note) > MAX_NOTE:
        row.error(NOTE, _("%(max)s caractères au plus.") % {"max": MAX_NOTE})
    return row


def _check_indicator(row: CheckedRow, lookup: IndicatorLookup) -> None:
    if not row.indicator_text:
        row.error(INDICATOR, _("indicateur manquant (code ou intitulé)."))
        return
    found = lookup.find(row.indicator_text)
    if found is None:
        row.error(
            INDICATOR,
            _("« %(text)s » : indicateur inconnu (ni un code ni un intitulé du catalogue).")
            % {"text": row.indicator_text},
        )
    elif isinstance(found, list):
        row.error(
            INDICATOR,
            _(
                "« %(text)s » : plusieurs indicateurs portent cet intitulé, indiquez le code "
                "(%(codes)s)."
            )
            % {"text": row.indicator_text, "codes": ", ".join(sorted(d.code for d in found))},
        )
    elif found.source == IndicatorSource.COMPUTED:
        row.error(
            INDICATOR,
            _("« %(label)s » est calculé par Maillage, non importable.") % {"label": found.label},
        )
    else:
        row.indicator = found


def _check_period(row: CheckedRow, contract: Contract | None) -> None:
    try:
        period = parse_period(row.period_text, contract)
    except PeriodError as error:
        row.error(PERIOD, str(error))
        return
    if contract is not None and outside_contract(period, contract):
        years = list(contract.years.all())
        row.error(
            PERIOD,
            _("« %(text)s » est hors du contrat ACI (du %(start)s au %(end)s).")
            % {
                "text": row.period_text,
                "start": min(year.start for year in years).strftime("%d/%m/%Y"),
                "end": max(year.end for year in years).strftime("%d/%m/%Y"),
            },
        )
        return
    row.period = period


def _check_value(row: CheckedRow, cell: Any) -> None:
    if not row.value_text:
        row.error(VALUE, _("valeur manquante."))
        return
    try:
        if isinstance(cell, Decimal):
            value, percent = rounded(cell, row.value_text), False
        else:
            value, percent = parse_number(row.value_text)
    except NumberError as error:
        row.error(VALUE, str(error))
        return
    indicator = row.indicator
    if indicator is None:
        row.value = value
        return
    if percent and indicator.unit != Unit.PERCENT:
        row.error(
            VALUE,
            _("« %(text)s » est un pourcentage, or « %(label)s » n'en est pas un.")
            % {"text": row.value_text, "label": indicator.label},
        )
        return
    reason = value_error(indicator, value)
    if reason:
        row.error(VALUE, reason)
        return
    row.value = value
