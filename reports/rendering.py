"""Build an activity report: resolve its parameters into a ``ReportScope`` (with a clear French
error when they name nothing), run its sections, render the PDF through ``cpts.pdf``.

Used by the job pipeline (reports.documents) and by ``manage.py render_report`` alike."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpts.jobs import ProgressCallback
from cpts.models import Association
from cpts.services.documents import DocumentError
from missions.models import Contract, ContractYear
from missions.selectors.contract import current_contract
from reports.sections import ReportScope, Section, build_sections
from reports.sections.aci import ACI_SECTIONS
from reports.sections.ag import AG_SECTIONS
from reports.sections.common import logo_url

ACI, AG = "aci", "ag"
ACI_TITLE = gettext_lazy("Rapport d'activité ACI")
AG_TITLE = gettext_lazy("Rapport d'activité pour l'assemblée générale")
FIRST_AG_YEAR = 2000


def _quiet(_progress: int, _step: str) -> None:
    return None


def _number(value: Any, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise DocumentError(
            _("Paramètre « %(field)s » invalide : un nombre entier est attendu.") % {"field": field}
        ) from exc


def contract_year(number: Any, contract_id: Any = None) -> tuple[Contract, ContractYear]:
    """Year ``number`` of the contract ``contract_id`` (the current contract by default)."""
    number = _number(number, "contract_year")
    if contract_id is not None:
        contract = Contract.objects.filter(pk=_number(contract_id, "contract")).first()
        if contract is None:
            raise DocumentError(_("Le contrat ACI de ce rapport n'existe plus."))
    else:
        contract = current_contract()
        if contract is None:
            raise DocumentError(
                _("Aucun contrat ACI n'est enregistré : le rapport ACI ne peut pas être généré.")
            )
    year = contract.years.filter(number=number).first()
    if year is None:
        numbers = ", ".join(
            str(n) for n in contract.years.order_by("number").values_list("number", flat=True)
        )
        raise DocumentError(
            _("Le contrat n'a pas d'année %(number)s (années existantes : %(numbers)s).")
            % {"number": number, "numbers": numbers or "—"}
        )
    year.contract = contract
    return contract, year


def ag_year(value: Any, today: datetime.date) -> int:
    year = _number(value, "year")
    if not FIRST_AG_YEAR <= year <= today.year:
        raise DocumentError(
            _("Année %(year)s invalide : choisissez une année entre %(first)s et %(last)s.")
            % {"year": year, "first": FIRST_AG_YEAR, "last": today.year}
        )
    return year


@dataclass(frozen=True)
class RenderedReport:
    filename: str
    content: bytes
    sections: list[str]


def scope_for(kind: str, parameters: dict[str, Any], now: datetime.datetime) -> ReportScope:
    today = timezone.localdate(now)
    association = Association.objects.get_solo()
    if kind == ACI:
        contract, year = contract_year(parameters.get("contract_year"), parameters.get("contract"))
        return ReportScope(
            kind=ACI,
            start=year.start,
            end=year.end,
            on=min(year.end, today),
            association=association,
            generated_at=now,
            contract=contract,
            year=year,
        )
    if kind == AG:
        number = ag_year(parameters.get("year"), today)
        start, end = datetime.date(number, 1, 1), datetime.date(number, 12, 31)
        return ReportScope(
            kind=AG,
            start=start,
            end=end,
            on=min(end, today),
            association=association,
            generated_at=now,
        )
    raise DocumentError(_("Type de rapport inconnu : %(kind)s.") % {"kind": kind})


SECTIONS: dict[str, list[Section]] = {ACI: ACI_SECTIONS, AG: AG_SECTIONS}
TITLES = {ACI: ACI_TITLE, AG: AG_TITLE}


def filename_for(scope: ReportScope) -> str:
    day = f"{scope.generated_at:%Y-%m-%d}"
    if scope.kind == ACI:
        assert scope.year is not None
        return f"rapport-activite-aci-annee-{scope.year.number}-{day}.pdf"
    return f"rapport-activite-ag-{scope.start.year}-{day}.pdf"


def render_report(
    kind: str,
    parameters: dict[str, Any],
    report: ProgressCallback = _quiet,
    now: datetime.datetime | None = None,
) -> RenderedReport:
    """The report's PDF. Raises DocumentError (French) for parameters naming nothing."""
    from cpts.pdf import render_pdf  # WeasyPrint loads Pango: only when a PDF is built.

    now = timezone.localtime(now or timezone.now())
    report(5, _("Lecture des paramètres"))
    scope = scope_for(kind, parameters, now)
    sections = build_sections(SECTIONS[kind], scope, report)
    report(85, _("Mise en page"))
    content = render_pdf(
        "pdf/reports/report.html",
        {
            "document_title": TITLES[kind],
            "association": scope.association,
            "logo_url": logo_url(scope.association),
            "scope": scope,
            "sections": sections,
            "generated_at": now,
        },
    )
    return RenderedReport(filename_for(scope), content, [section.title for section in sections])
