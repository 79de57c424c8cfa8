"""Background jobs of the indicators (GeneratedDocument kinds).

``indicator_recompute``: recompute the computed indicators for a period (parameters
``{"period": "2025"}`` — any text parse_period reads — or ``{"contract_year": <pk>}``), all or
nothing, with progress per indicator. The file produced lists the values computed (CSV,
UTF-8 with BOM, ``;`` separator, French decimal commas) with the previous value of each."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpts.jobs import ProgressCallback, document_kind
from cpts.models import GeneratedDocument, User
from cpts.services.documents import DocumentError
from indicators.periods import Period, PeriodError
from indicators.services.recompute import (
    RECOMPUTE_KIND,
    RecomputeError,
    RecomputeResult,
    recompute,
    resolve_period,
)


def _period_of(parameters: dict[str, Any]) -> Period:
    contract_year = parameters.get("contract_year")
    if contract_year is not None:
        try:
            contract_year_id = int(contract_year)
        except (TypeError, ValueError) as error:
            raise PeriodError(_("Cette année de contrat n'existe pas.")) from error
        return resolve_period(contract_year_id=contract_year_id)
    return resolve_period(period=str(parameters.get("period", "")))


def _describe(parameters: dict[str, Any]) -> str:
    try:
        return _period_of(parameters).label
    except PeriodError:
        return str(parameters.get("period") or parameters.get("contract_year") or "")


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f").replace(".", ",")


def values_csv(result: RecomputeResult) -> bytes:
    """The values computed, one row per indicator and breakdown."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("code"),
            _("intitulé"),
            _("période"),
            _("ventilation"),
            _("valeur"),
            _("précédente valeur"),
        ]
    )
    for item in result.values:
        writer.writerow(
            [
                item.indicator.code,
                item.indicator.label,
                result.period.label,
                item.breakdown or _("Total"),
                _number(item.value),
                _number(item.previous),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@document_kind(
    RECOMPUTE_KIND,
    label=gettext_lazy("Recalcul des indicateurs"),
    permission="indicators.manage",
    describe=_describe,
)
def build_indicator_recompute(
    document: GeneratedDocument, report: ProgressCallback
) -> tuple[str, bytes]:
    report(1, _("Préparation du recalcul"))
    try:
        period = _period_of(document.parameters)
        user = document.requested_by if isinstance(document.requested_by, User) else None
        result = recompute(period, user=user, job=document, report=report)
    except (PeriodError, RecomputeError) as error:
        raise DocumentError(
            _("Recalcul refusé, rien n'a été enregistré : %(error)s") % {"error": error}
        ) from error
    report(95, result.summary)
    return f"indicateurs-calcules-{period.key}.csv", values_csv(result)
