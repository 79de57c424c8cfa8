"""Recording measurements (computed, imported or typed), and keeping the contract's indicator
lines that follow an indicator in step with its current value for their contract year.

Measurements are never updated nor deleted by the application: each row carries its value,
source, author and time, so the table is its own audit trail (the lines it changes are saved
through the model and audited as usual)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from cpts.models import GeneratedDocument
from indicators.models import IndicatorDefinition, Measurement, MeasurementSource, Unit
from indicators.periods import Period
from indicators.selectors.measurements import contract_year_value
from missions.models import AchievedSource, IndicatorLine

MAX_VALUE = Decimal("999999999999")

LINE_SOURCE = {
    MeasurementSource.COMPUTED: AchievedSource.COMPUTED,
    MeasurementSource.IMPORTED: AchievedSource.CPAM,
    MeasurementSource.MANUAL: AchievedSource.MANUAL,
}


class MeasurementError(ValueError):
    """A value refused, with a French message."""


def value_error(indicator: IndicatorDefinition, value: Decimal) -> str | None:
    """Why ``value`` cannot be a value of ``indicator`` (French), or None."""
    if not value.is_finite():
        return _("La valeur n'est pas un nombre.")
    if value < 0:
        return _("La valeur ne peut pas être négative.")
    if indicator.unit == Unit.PERCENT and value > 100:
        return _("Un pourcentage ne peut pas dépasser 100.")
    if value > MAX_VALUE:
        return _("La valeur est trop grande.")
    return None


@dataclass(frozen=True)
class NewMeasurement:
    indicator: IndicatorDefinition
    period: Period
    value: Decimal
    breakdown: str = ""


def record_measurements(
    measurements: Iterable[NewMeasurement],
    *,
    source: str,
    user: Any = None,
    source_name: str = "",
    note: str = "",
    proof: UploadedFile | None = None,
    job: GeneratedDocument | None = None,
) -> list[Measurement]:
    """Record new values (history kept), all or nothing, then bring the linked indicator
    lines of the contract years concerned up to date. Raises MeasurementError."""
    rows: list[Measurement] = []
    for item in measurements:
        error = value_error(item.indicator, item.value)
        if error:
            raise MeasurementError(
                _("%(indicator)s, %(period)s : %(error)s")
                % {"indicator": item.indicator.label, "period": item.period.label, "error": error}
            )
        rows.append(
            Measurement(
                indicator=item.indicator,
                period_kind=item.period.kind,
                period_key=item.period.key,
                period_start=item.period.start,
                period_end=item.period.end,
                contract_year_id=item.period.contract_year_id,
                breakdown=item.breakdown[:120],
                value=item.value,
                source=source,
                source_name=source_name[:255],
                note=note[:500],
                recorded_by=user if getattr(user, "is_authenticated", False) else None,
                job=job,
            )
        )
    with transaction.atomic():
        if proof is not None and rows:
            # One file for the lot: saved with the first row, shared by name with the others.
            rows[0].proof = proof
            rows[0].save()
            for row in rows[1:]:
                row.proof.name = rows[0].proof.name
            created = [rows[0], *Measurement.objects.bulk_create(rows[1:])]
        else:
            created = Measurement.objects.bulk_create(rows)
        sync_lines(
            indicator_ids={row.indicator_id for row in created if row.contract_year_id},
            contract_year_ids={row.contract_year_id for row in created if row.contract_year_id},
        )
    return created


def sync_lines(indicator_ids: set[int], contract_year_ids: set[int | None]) -> int:
    """Set the achieved value of every line following one of ``indicator_ids`` in one of
    ``contract_year_ids`` from the current measurement. Returns the number of lines changed."""
    if not indicator_ids or not contract_year_ids:
        return 0
    lines = IndicatorLine.objects.filter(
        indicator_id__in=indicator_ids, envelope__year_id__in=contract_year_ids
    ).select_related("envelope")
    return sum(1 for line in lines if sync_line(line))


def sync_line(line: IndicatorLine) -> bool:
    """Bring one linked line up to date with its indicator's current value for its contract
    year (saved through the model, so audited). Returns whether it changed."""
    if line.indicator_id is None:
        return False
    measurement = contract_year_value(line.indicator_id, line.envelope.year_id)
    if measurement is None:
        return False
    source = LINE_SOURCE.get(MeasurementSource(measurement.source), AchievedSource.COMPUTED)
    if (
        line.achieved == measurement.value
        and line.achieved_source == source
        and line.assessed_at == measurement.recorded_at
    ):
        return False
    line.achieved = measurement.value
    line.achieved_source = source
    line.assessed_at = measurement.recorded_at
    line.assessed_by = measurement.recorded_by
    line.achieved_note = _("Mesure de l'indicateur « %(label)s » (%(period)s)") % {
        "label": measurement.indicator.label,
        "period": measurement.period_key,
    }
    line.save(
        update_fields=[
            "achieved",
            "achieved_source",
            "assessed_at",
            "assessed_by",
            "achieved_note",
            "updated_at",
        ]
    )
    return True
