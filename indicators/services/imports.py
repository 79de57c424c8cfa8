"""Running an import of indicator values: the preview (every row checked and compared with the
current value, nothing written) and the import itself, all or nothing, through
``record_measurements`` (source "imported", the file's name as origin). Rows whose value is
already the current one are left out: importing the same file twice records nothing new.

The uploaded file is kept between the preview and the confirmation by the member import's
pending-file storage (``members.services.imports.store_pending`` and friends)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cpts.charts import NBSP, format_euros, format_number
from cpts.importing import INVALID, NEW, SKIP, UPDATE, RowError, StatusCounts
from cpts.models import GeneratedDocument
from indicators.importing import CheckedRow, ImportTable, check_rows
from indicators.models import Measurement, MeasurementSource, Unit
from indicators.selectors.measurements import latest_q
from indicators.services.measurements import NewMeasurement, record_measurements

__all__ = ["INVALID", "NEW", "SKIP", "UPDATE", "ImportReport", "ImportRow", "run_import"]


def format_value(value: Decimal | None, unit: str) -> str:
    """ "66,26 %", "1 234", "1 234,5", "9 000,00 €" (non-breaking spaces); "—" for none."""
    if value is None:
        return "—"
    if unit == Unit.EUROS:
        return format_euros(value)
    exponent = value.normalize().as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    text = format_number(value, min(decimals, 4))
    return f"{text}{NBSP}%" if unit == Unit.PERCENT else text


@dataclass(frozen=True)
class ImportRow:
    """One row of the file with what the import does (or would do) with it."""

    line: int
    status: str  # NEW, UPDATE, SKIP or INVALID
    indicator: str  # the indicator's label, or the text of the file when unknown
    period: str  # the period's label, or the text of the file when unreadable
    breakdown: str
    value: Decimal | None
    current: Decimal | None
    unit: str
    errors: tuple[RowError, ...] = ()

    @property
    def value_display(self) -> str:
        return format_value(self.value, self.unit)

    @property
    def current_display(self) -> str:
        return format_value(self.current, self.unit)

    @property
    def change_display(self) -> str:
        """The change from the current value, signed ("+2,5", or a minus sign), or "" if none."""
        if self.value is None or self.current is None or self.value == self.current:
            return ""
        change = self.value - self.current
        text = format_value(abs(change), self.unit)
        return f"+{text}" if change > 0 else f"\u2212{text}"


@dataclass
class ImportReport(StatusCounts):
    dry_run: bool
    rows: list[ImportRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def to_record(self) -> int:
        return self.created + self.updated

    @property
    def summary(self) -> str:
        return _(
            "nouvelles: %(new)s, modifiées: %(update)s, inchangées: %(skip)s, erreurs: %(invalid)s"
        ) % {
            "new": self.created,
            "update": self.updated,
            "skip": self.unchanged,
            "invalid": self.invalid,
        }


def run_import(
    table: ImportTable,
    *,
    dry_run: bool,
    user: Any = None,
    source_name: str = "",
    job: GeneratedDocument | None = None,
) -> ImportReport:
    """Check every row (and, unless ``dry_run``, record the new and changed values, all or
    nothing: a single row in error and nothing is written)."""
    with transaction.atomic():
        checked = check_rows(table)
        current = _current_values(checked)
        report = ImportReport(dry_run=dry_run, ignored_columns=list(table.ignored_columns))
        wanted: dict[str, list[NewMeasurement]] = {}
        for row in checked:
            outcome = _outcome(row, current)
            report.rows.append(outcome)
            if outcome.status in (NEW, UPDATE):
                assert row.indicator is not None and row.period is not None
                assert row.value is not None
                wanted.setdefault(row.note, []).append(
                    NewMeasurement(row.indicator, row.period, row.value, row.breakdown)
                )
        if dry_run or report.has_errors:
            return report
        for note, measurements in wanted.items():
            record_measurements(
                measurements,
                source=MeasurementSource.IMPORTED,
                user=user,
                source_name=source_name,
                note=note,
                job=job,
            )
    return report


def _key(indicator_id: int, kind: str, start: Any, end: Any, breakdown: str) -> tuple[Any, ...]:
    return (indicator_id, kind, start, end, breakdown)


def _current_values(rows: list[CheckedRow]) -> dict[tuple[Any, ...], Decimal]:
    """The current value of every indicator, period and breakdown of the file (one query)."""
    readable = [row for row in rows if row.indicator is not None and row.period is not None]
    if not readable:
        return {}
    periods = {
        (row.period.kind, row.period.start, row.period.end) for row in readable if row.period
    }
    condition = reduce(
        or_,
        (Q(period_kind=kind, period_start=start, period_end=end) for kind, start, end in periods),
    )
    measurements = Measurement.objects.filter(
        condition, indicator__in={row.indicator.pk for row in readable if row.indicator}
    )
    return {
        _key(m.indicator_id, m.period_kind, m.period_start, m.period_end, m.breakdown): m.value
        for m in latest_q(measurements).only(
            "indicator_id", "period_kind", "period_start", "period_end", "breakdown", "value"
        )
    }


def _outcome(row: CheckedRow, current: dict[tuple[Any, ...], Decimal]) -> ImportRow:
    indicator, period = row.indicator, row.period
    value: Decimal | None = row.value
    existing: Decimal | None = None
    if indicator is not None and period is not None:
        existing = current.get(
            _key(indicator.pk, period.kind, period.start, period.end, row.breakdown)
        )
    if row.errors:
        status = INVALID
    elif existing is None:
        status = NEW
    else:
        status = SKIP if existing == value else UPDATE
    return ImportRow(
        line=row.line,
        status=status,
        indicator=indicator.label if indicator else row.indicator_text,
        period=period.label if period else row.period_text,
        breakdown=row.breakdown,
        value=value,
        current=existing,
        unit=indicator.unit if indicator else Unit.COUNT,
        errors=tuple(row.errors),
    )


def report_csv(report: ImportReport) -> bytes:
    """The outcome of every row as a CSV file (``;``, UTF-8 with BOM, for Excel)."""
    labels = {
        NEW: _("nouvelle valeur") if report.dry_run else _("enregistrée"),
        UPDATE: _("valeur modifiée") if report.dry_run else _("modifiée"),
        SKIP: _("inchangée, non enregistrée"),
        INVALID: _("erreur"),
    }
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("ligne"),
            _("indicateur"),
            _("période"),
            _("ventilation"),
            _("valeur"),
            _("valeur précédente"),
            _("résultat"),
            _("raison"),
        ]
    )
    for row in report.rows:
        writer.writerow(
            [
                row.line,
                row.indicator,
                row.period,
                row.breakdown,
                row.value_display if row.value is not None else "",
                row.current_display if row.current is not None else "",
                labels[row.status],
                " ; ".join(
                    f"{error.column} : {error.reason}" if error.column else error.reason
                    for error in row.errors
                ),
            ]
        )
    writer.writerow([])
    writer.writerow([report.summary])
    return ("\ufeff" + output.getvalue()).encode("utf-8")
