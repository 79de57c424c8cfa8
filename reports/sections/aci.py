"""The sections of the annual ACI activity report (one contract year), in order. The missions,
their lines and what they earned come from ``missions.selectors.earnings.year_result`` and the
financing from the dashboard's ``year_financing``, the members' indemnities from the claims'
``period_totals`` of the contract year: the report, the dashboard and the treasurer's pages
agree."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from indicators.selectors.dashboard.contract import (
    LineRow,
    MissionState,
    mission_states,
    year_financing,
)
from missions.aci import fonctionnement_for
from missions.models import Action, Proof
from missions.selectors.actions import ActivityTotals, activity_totals_by_mission, period_actions
from missions.selectors.contract import line_objective
from missions.selectors.earnings import MissionResult, YearResult, year_result
from reports.sections import ReportScope, Section
from reports.sections.common import (
    DECISIONS,
    GOVERNANCE,
    IDENTITY,
    MEMBERS,
    cap_years,
    indemnities,
)


def earnings(scope: ReportScope) -> YearResult:
    assert scope.year is not None
    year = scope.year
    return scope.once("earnings", lambda: year_result(year))


@dataclass
class MissionPart:
    result: MissionResult
    state: MissionState | None
    totals: ActivityTotals | None
    lines: list[LineRow]
    actions: list[Action] = field(default_factory=list)

    @property
    def events(self) -> list[Any]:
        # ``period_events``: the events of the period, prefetched by ``period_actions``.
        return [
            event
            for action in self.actions
            for event in action.period_events  # type: ignore[attr-defined]
        ]

    @property
    def livrables(self) -> int:
        return sum(len(row.result.livrables) for row in self.lines)

    @property
    def livrables_missing(self) -> int:
        return sum(row.result.livrables_missing for row in self.lines)


def build_missions(scope: ReportScope) -> dict[str, Any]:
    assert scope.contract is not None
    result = earnings(scope)
    states = {
        state.contract_mission.mission_id: state
        for state in mission_states(scope.contract, scope.on)
    }
    totals = activity_totals_by_mission(scope.start, scope.end)
    by_mission: dict[int, list[Action]] = defaultdict(list)
    for action in period_actions(scope.start, scope.end):
        for action_mission in action.missions.all():
            by_mission[action_mission.pk].append(action)
    parts = []
    for mission in result.missions:
        mission_id = mission.envelope.mission_id
        parts.append(
            MissionPart(
                result=mission,
                state=states.get(mission_id),
                totals=totals.get(mission_id),
                lines=[
                    LineRow(mission.envelope.mission.name, line, line_objective(line))
                    for line in mission.lines
                ],
                actions=by_mission.get(mission_id, []),
            )
        )
    return {"parts": parts, "result": result}


def build_financing(scope: ReportScope) -> dict[str, Any]:
    assert scope.contract is not None and scope.year is not None
    result = earnings(scope)
    financing = year_financing(scope.contract, scope.year, result, scope.on)
    fonctionnement = fonctionnement_for(scope.year)
    return {
        "financing": financing,
        "result": result,
        "fonctionnement": fonctionnement,
        "total": fonctionnement + result.fixed + result.variable,
        "chart": financing.nature_chart(),
    }


def build_indemnities(scope: ReportScope) -> dict[str, Any]:
    """What the CPTS paid its members for their time and their expenses during the contract
    year, in aggregate (no member is named), and the PASS cap of each calendar year."""
    return {"totals": indemnities(scope), "caps": cap_years(scope)}


@dataclass
class AnnexLine:
    line_id: int
    mission: str
    line: str
    proofs: list[Proof]


def build_annex(scope: ReportScope) -> dict[str, Any]:
    """Every proof attached to the year's livrables, by mission and line (one query)."""
    proofs = (
        Proof.objects.filter(livrable__line__envelope__year=scope.year)
        .select_related("livrable__line__envelope__mission", "uploaded_by")
        .order_by(
            "livrable__line__envelope__mission__position",
            "livrable__line__position",
            "livrable__line__pk",
            "livrable__position",
            "livrable__pk",
            "created_at",
            "pk",
        )
    )
    groups: list[AnnexLine] = []
    for proof in proofs:
        line = proof.livrable.line
        if not groups or groups[-1].line_id != line.pk:
            groups.append(AnnexLine(line.pk, line.envelope.mission.name, line.label, []))
        groups[-1].proofs.append(proof)
    return {"groups": groups, "count": sum(len(group.proofs) for group in groups)}


MISSIONS = Section("missions", _("Missions du contrat"), "missions.html", build_missions)
FINANCING = Section("financement", _("Financement"), "financing.html", build_financing)
INDEMNITIES = Section(
    "indemnites", _("Indemnités versées aux membres"), "indemnities.html", build_indemnities
)
ANNEX = Section("annexe", _("Annexe : justificatifs"), "annex.html", build_annex)

ACI_SECTIONS: list[Section] = [
    IDENTITY,
    GOVERNANCE,
    DECISIONS,
    MEMBERS,
    MISSIONS,
    FINANCING,
    INDEMNITIES,
    ANNEX,
]
