"""Reads of an indicator line's page: the line with everything it shows preloaded (a constant
number of queries whatever the number of livrables and proofs), its earned amount through
``missions.selectors.earnings.line_result``, and its audit trail."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from cpts.selectors.audit import AuditRow, audit_rows, history_for
from missions.models import IndicatorLine, LineBand, LineTier, Livrable, Proof
from missions.selectors.earnings import LineResult, line_result


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
