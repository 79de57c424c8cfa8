"""The dashboard's contract block: the missions' states and deadlines, the current contract
year's indicator lines (what they earned and what they can still earn, from
missions.selectors.earnings, never recomputed), the livrables still missing and the payments
expected against received (missions.selectors.financing). A fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from cpts.charts import Series, bar_chart, format_euros
from indicators.selectors.dashboard.figure import Figure
from missions.deadlines import MissionSchedule, mission_schedule
from missions.models import Contract, ContractMission, ContractYear, ReceivedPayment
from missions.schedule import year_schedule
from missions.selectors.contract import current_contract, line_objective, year_covering
from missions.selectors.earnings import ZERO, LineResult, YearResult, year_result
from missions.selectors.financing import (
    EXPECTED_COLOR,
    RECEIVED_COLOR,
    YearFinancing,
    year_terms,
)


@dataclass(frozen=True)
class MissionState:
    contract_mission: ContractMission
    schedule: MissionSchedule


@dataclass(frozen=True)
class LineRow:
    mission_name: str
    result: LineResult
    objective: str  # what its result is measured against, in words


LINES_SHOWN = 10


@dataclass(frozen=True)
class MissionRow:
    """A mission's variable part this year: earned, still reachable, at most."""

    envelope_id: int
    name: str
    variable: Decimal
    earned: Decimal
    reachable: Decimal
    potential: Decimal


def _reachable(rows: list[LineRow]) -> Decimal:
    """The potential of the lines that have earned nothing yet (a line that reached a lower
    tier counts as earned: its higher tiers are not added)."""
    return sum((row.result.potential for row in rows if not row.result.earned), ZERO)


@dataclass(frozen=True)
class ContractBlock:
    contract: Contract
    missions: list[MissionState]
    year: ContractYear | None  # the contract year covering today
    result: YearResult | None
    lines: list[LineRow]
    financing: YearFinancing | None  # None: no current year, or finances not readable

    @property
    def variable(self) -> Decimal:
        """The current year's variable envelopes."""
        return self.result.variable if self.result else ZERO

    @property
    def potential(self) -> Decimal:
        """The most the year's lines can earn together."""
        return sum((row.result.potential for row in self.lines), ZERO)

    @property
    def earned(self) -> Decimal:
        """What the lines have earned so far (year_result)."""
        return self.result.earned if self.result else ZERO

    @property
    def reachable(self) -> Decimal:
        """What is still reachable (see ``_reachable``)."""
        return _reachable(self.lines)

    @property
    def mission_rows(self) -> list[MissionRow]:
        rows = []
        for mission in self.result.missions if self.result else []:
            lines = [
                row for row in self.lines if row.result.line.envelope_id == mission.envelope.pk
            ]
            rows.append(
                MissionRow(
                    envelope_id=mission.envelope.pk,
                    name=mission.envelope.mission.name,
                    variable=mission.envelope.variable,
                    earned=mission.earned,
                    reachable=_reachable(lines),
                    potential=mission.potential,
                )
            )
        return rows

    @property
    def open_lines(self) -> list[LineRow]:
        """The lines that have earned nothing yet, the largest potential first (at most
        ``LINES_SHOWN``: the year's page lists them all)."""
        open_rows = [row for row in self.lines if not row.result.earned]
        open_rows.sort(key=lambda row: -row.result.potential)
        return open_rows[:LINES_SHOWN]

    @property
    def open_lines_count(self) -> int:
        return sum(1 for row in self.lines if not row.result.earned)

    @property
    def lines_with_missing_livrables(self) -> list[LineRow]:
        return [row for row in self.lines if row.result.livrables_missing]

    @property
    def lines_with_missing_livrables_shown(self) -> list[LineRow]:
        return self.lines_with_missing_livrables[:LINES_SHOWN]

    @property
    def livrables_missing(self) -> int:
        return sum(row.result.livrables_missing for row in self.lines)

    @property
    def livrables_total(self) -> int:
        return sum(len(row.result.livrables) for row in self.lines)

    def financing_figure(self) -> Figure | None:
        if self.financing is None:
            return None
        rows = self.financing.by_nature
        svg = bar_chart(
            [row.label for row in rows],
            [
                Series(_("Attendu"), [row.expected for row in rows], EXPECTED_COLOR),
                Series(_("Reçu"), [row.received for row in rows], RECEIVED_COLOR),
            ],
            title=_("Financement attendu et reçu"),
            description=_(
                "Année %(number)s du contrat : montants attendus selon l'échéancier et montants "
                "reçus, par nature de versement."
            )
            % {"number": self.financing.year.number},
            chart_id="tableau-de-bord-financement",
        )
        return Figure(
            svg=svg,
            caption=_("Financement attendu et reçu"),
            headers=(_("Nature"), _("Attendu"), _("Reçu")),
            rows=[
                (row.label, format_euros(row.expected), format_euros(row.received)) for row in rows
            ],
        )


def mission_states(contract: Contract, today: date) -> list[MissionState]:
    """The missions the contract chose, in catalogue order, with their state (one query)."""
    chosen = ContractMission.objects.filter(contract=contract).select_related("mission")
    return [
        MissionState(
            contract_mission=cm,
            schedule=mission_schedule(
                today, contract.signed_on, cm.mission, cm.started_on, cm.deployed_on
            ),
        )
        for cm in chosen.order_by("mission__position", "mission__key")
    ]


def year_financing(
    contract: Contract, year: ContractYear, result: YearResult, today: date
) -> YearFinancing:
    """The year's schedule (from the earnings already read) against its payments (one
    query), as missions.selectors.financing builds it."""
    year.contract = contract
    terms = year_terms(year, contract.taille, result)
    received = list(
        ReceivedPayment.objects.filter(year=year)
        .select_related("mission")
        .order_by("received_on", "pk")
    )
    return YearFinancing(
        year=year,
        terms=terms,
        expected=year_schedule(terms, today),
        received=received,
        today=today,
    )


def contract_block(today: date, *, with_finance: bool) -> ContractBlock | None:
    """None without a contract; else about ten queries whatever the number of lines,
    livrables and payments."""
    contract = current_contract()
    if contract is None:
        return None
    year = year_covering(list(contract.years.order_by("number")), today)
    result = year_result(year) if year is not None else None
    lines = (
        [
            LineRow(mission.envelope.mission.name, line, line_objective(line))
            for mission in result.missions
            for line in mission.lines
        ]
        if result is not None
        else []
    )
    financing = (
        year_financing(contract, year, result, today)
        if with_finance and year is not None and result is not None
        else None
    )
    return ContractBlock(
        contract=contract,
        missions=mission_states(contract, today),
        year=year,
        result=result,
        lines=lines,
        financing=financing,
    )
