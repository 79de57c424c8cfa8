"""What each line, mission and contract year has earned: the one read every page, command
and report uses (the contract page, ``aci_summary``, the financing schedule, the reports), so
they never disagree. Constant number of queries whatever the number of lines."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from missions.earning import (
    Band,
    LineTerms,
    Tier,
    earned,
    holding_band,
    potential,
    reached_tier,
)
from missions.models import (
    ContractYear,
    IndicatorLine,
    LineBand,
    LineTier,
    Livrable,
    MissionEnvelope,
)

ZERO = Decimal("0")


def line_terms(line: IndicatorLine, crisis_recognised: bool) -> LineTerms:
    """The pure-rule view of a line (its tiers and bands must be prefetched)."""
    return LineTerms(
        kind=line.kind,
        amount=line.amount,
        direction=line.direction,
        baseline=line.baseline,
        target=line.target,
        tiers=tuple(
            Tier(threshold=t.threshold, amount=t.amount, label=t.label) for t in line.tiers.all()
        ),
        bands=tuple(
            Band(minimum=b.minimum, maximum=b.maximum, amount=b.amount) for b in line.bands.all()
        ),
        done=line.done,
        achieved=line.achieved,
        crisis_recognised=crisis_recognised,
    )


@dataclass(frozen=True)
class LineResult:
    line: IndicatorLine
    terms: LineTerms
    potential: Decimal
    earned: Decimal
    reached_tier: int | None  # index in line.tiers, for ``tiers`` lines
    holding_band: int | None  # index in line.bands, for ``bands`` lines
    livrables: list[Livrable]

    @property
    def assessed(self) -> bool:
        """Whether a result has been recorded (done, or a value entered)."""
        return self.line.done or self.line.achieved is not None

    @property
    def livrables_missing(self) -> int:
        return sum(1 for livrable in self.livrables if livrable.status == "missing")


@dataclass(frozen=True)
class MissionResult:
    envelope: MissionEnvelope
    lines: list[LineResult]

    @property
    def potential(self) -> Decimal:
        return sum((r.potential for r in self.lines), ZERO)

    @property
    def earned(self) -> Decimal:
        return sum((r.earned for r in self.lines), ZERO)

    @property
    def lines_mismatch(self) -> Decimal:
        """Variable envelope minus what its lines can earn (0 when they sum to it)."""
        return self.envelope.variable - self.potential


@dataclass(frozen=True)
class YearResult:
    year: ContractYear
    missions: list[MissionResult]

    @property
    def fixed(self) -> Decimal:
        return sum((m.envelope.fixed for m in self.missions), ZERO)

    @property
    def variable(self) -> Decimal:
        return sum((m.envelope.variable for m in self.missions), ZERO)

    @property
    def earned(self) -> Decimal:
        return sum((m.earned for m in self.missions), ZERO)

    @property
    def lines(self) -> list[LineResult]:
        return [line for mission in self.missions for line in mission.lines]


def lines_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "lines",
        queryset=IndicatorLine.objects.order_by("position", "pk").prefetch_related(
            Prefetch("tiers", queryset=LineTier.objects.order_by("position", "pk")),
            Prefetch("bands", queryset=LineBand.objects.order_by("position", "pk")),
            Prefetch("livrables", queryset=Livrable.objects.order_by("position", "pk")),
        ),
    )


def line_result(line: IndicatorLine, crisis_recognised: bool) -> LineResult:
    terms = line_terms(line, crisis_recognised)
    return LineResult(
        line=line,
        terms=terms,
        potential=potential(terms),
        earned=earned(terms),
        reached_tier=reached_tier(terms) if line.kind == "tiers" else None,
        holding_band=holding_band(terms) if line.kind == "bands" else None,
        livrables=list(line.livrables.all()),
    )


def year_result(year: ContractYear) -> YearResult:
    """Every envelope of ``year`` with its lines and what they earned (5 queries)."""
    envelopes = (
        MissionEnvelope.objects.filter(year=year)
        .select_related("mission")
        .prefetch_related(lines_prefetch())
        .order_by("mission__position")
    )
    missions = [
        MissionResult(
            envelope=envelope,
            lines=[line_result(line, year.crisis_recognised) for line in envelope.lines.all()],
        )
        for envelope in envelopes
    ]
    return YearResult(year=year, missions=missions)
