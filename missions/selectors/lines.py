"""Reads of an indicator line's page: the line with everything it shows preloaded (a constant
number of queries whatever the number of livrables and proofs), its earned amount through
``missions.selectors.earnings.line_result``, and its audit trail."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from cpts.selectors.audit import AuditRow, audit_rows, history_for
from missions.models import (
    CONTRACT_YEARS,
    ContractYear,
    IndicatorLine,
    LineBand,
    LineTier,
    Livrable,
    MissionEnvelope,
    Proof,
)
from missions.selectors.earnings import LineResult, line_result, year_result

LABEL_MAX = 300


def lines_with_everything() -> QuerySet[IndicatorLine]:
    return IndicatorLine.objects.select_related(
        "envelope__year__contract",
        "envelope__mission",
        "assessed_by",
        "carried_from__envelope__year",
    ).prefetch_related(
        Prefetch("tiers", queryset=LineTier.objects.order_by("position", "pk")),
        Prefetch("bands", queryset=LineBand.objects.order_by("position", "pk")),
        Prefetch(
            "livrables",
            queryset=Livrable.objects.order_by("position", "pk").prefetch_related(
                Prefetch(
                    "proofs",
                    queryset=Proof.objects.select_related("uploaded_by").order_by(
                        "created_at", "pk"
                    ),
                )
            ),
        ),
        Prefetch(
            "carried_into",
            queryset=IndicatorLine.objects.select_related("envelope__year").order_by("pk"),
        ),
    )


def line_detail(pk: int) -> IndicatorLine:
    """The line for its page, or 404."""
    return get_object_or_404(lines_with_everything(), pk=pk)


def result_of(line: IndicatorLine) -> LineResult:
    """What the line earns (THE rule read, shared with the contract pages)."""
    return line_result(line, line.envelope.year.crisis_recognised)


def line_history(line: IndicatorLine, limit: int = 50) -> list[AuditRow]:
    """Changes of the line, its tiers, bands, livrables and proofs (one query for the
    entries, one per related model named in them)."""
    objects: list[Model] = [line]
    objects += list(line.tiers.all())
    objects += list(line.bands.all())
    for livrable in line.livrables.all():
        objects.append(livrable)
        objects += list(livrable.proofs.all())
    return audit_rows(history_for(*objects, limit=limit))


def livrable_for(pk: int) -> Livrable:
    return get_object_or_404(Livrable.objects.select_related("line"), pk=pk)


def proof_for(pk: int) -> Proof:
    return get_object_or_404(Proof.objects.select_related("livrable__line"), pk=pk)


def detail_context(line: IndicatorLine) -> dict[str, Any]:
    result = result_of(line)
    return {
        "line": line,
        "result": result,
        "envelope": line.envelope,
        "year": line.envelope.year,
        "tiers": list(line.tiers.all()),
        "bands": list(line.bands.all()),
        "livrables": result.livrables,
    }


# --- Carrying into the next year ----------------------------------------------------------


def carried_label(label: str, number: int) -> str:
    """The label of a line carried from year ``number``: unique next to the original's."""
    suffix = _(" (report de l'année %(number)s)") % {"number": number}
    return label[: LABEL_MAX - len(suffix)].rstrip() + suffix


@dataclass
class CarryItem:
    result: LineResult
    label: str  # the carried copy's label
    skipped: str = ""  # why the line is not carried, in French

    @property
    def line(self) -> IndicatorLine:
        return self.result.line

    @property
    def remaining(self) -> Decimal:
        """What the line did not earn this year."""
        return self.result.potential - self.result.earned


@dataclass
class CarryMission:
    envelope: MissionEnvelope  # of year N
    next_envelope: MissionEnvelope | None  # of year N+1, None until created
    carried: list[CarryItem] = field(default_factory=list)
    skipped: list[CarryItem] = field(default_factory=list)

    @property
    def growth(self) -> Decimal:
        """How much the N+1 variable envelope grows: the carried lines' potential."""
        return sum((item.result.potential for item in self.carried), Decimal("0"))


@dataclass
class CarryPlan:
    year: ContractYear
    next_year: ContractYear
    missions: list[CarryMission]

    @property
    def carried(self) -> list[CarryItem]:
        return [item for mission in self.missions for item in mission.carried]

    @property
    def growth(self) -> Decimal:
        return sum((mission.growth for mission in self.missions), Decimal("0"))


def carry_over_plan(year: ContractYear) -> CarryPlan:
    """What carrying ``year`` into the next one would do: per mission, the unreached lines
    to copy and those skipped because the next year already has them (same label, or a
    line carried from them). ``ValidationError`` for year 5 or a missing next year."""
    if year.number >= CONTRACT_YEARS:
        raise ValidationError(
            _(
                "La dernière année du contrat ne peut pas être reportée : "
                "il n'y a pas d'année suivante."
            )
        )
    next_year = ContractYear.objects.filter(
        contract_id=year.contract_id, number=year.number + 1
    ).first()
    if next_year is None:
        raise ValidationError(
            _("L'année %(number)s du contrat n'existe pas encore.") % {"number": year.number + 1}
        )
    next_envelopes = {e.mission_id: e for e in MissionEnvelope.objects.filter(year=next_year)}
    next_lines = IndicatorLine.objects.filter(envelope__year=next_year).values_list(
        "envelope__mission_id", "label", "carried_from_id"
    )
    labels: set[tuple[int, str]] = set()
    carried_from: set[int] = set()
    for mission_id, label, origin in next_lines:
        labels.add((mission_id, label))
        if origin is not None:
            carried_from.add(origin)
    missions: list[CarryMission] = []
    for mission_result in year_result(year).missions:
        envelope = mission_result.envelope
        plan = CarryMission(envelope, next_envelopes.get(envelope.mission_id))
        for result in mission_result.lines:
            if result.earned >= result.potential:
                continue
            item = CarryItem(result, carried_label(result.line.label, year.number))
            mission_id = envelope.mission_id
            if result.line.pk in carried_from or (mission_id, item.label) in labels:
                item.skipped = _("déjà reportée sur l'année %(number)s") % {
                    "number": next_year.number
                }
            elif (mission_id, result.line.label) in labels:
                item.skipped = _("l'année %(number)s a déjà une ligne de même intitulé") % {
                    "number": next_year.number
                }
            (plan.skipped if item.skipped else plan.carried).append(item)
        if plan.carried or plan.skipped:
            missions.append(plan)
    return CarryPlan(year, next_year, missions)
