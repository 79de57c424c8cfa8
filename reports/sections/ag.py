"""The sections of the activity report presented to the AG (one calendar year), written for
the members: the life of the association, its governance, the working groups and what they
did, the members, the decisions and a summary of the finances (with the members'
indemnities of the year, from the claims' totals)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from governance.models import Body, BodyKind
from governance.selectors.bodies import GroupCard, governance_overview
from governance.selectors.indicators import BodyActivity
from missions.aci import fonctionnement_for
from missions.models import Action, Contract
from missions.selectors.actions import activity_totals, period_actions
from missions.selectors.contract import current_contract
from missions.selectors.earnings import YearResult, year_result
from missions.selectors.financing import received_during
from reports.sections import ReportScope, Section
from reports.sections.common import (
    DECISIONS,
    GOVERNANCE,
    MEMBERS,
    activity,
    decisions,
    indemnities,
    members_figures,
)

ZERO = Decimal("0")


def actions(scope: ReportScope) -> list[Action]:
    return scope.once("actions", lambda: list(period_actions(scope.start, scope.end)))


def build_life(scope: ReportScope) -> dict[str, Any]:
    rows = activity(scope)
    totals = activity_totals(scope.start, scope.end)
    return {
        "members": members_figures(scope).counts,
        "held": sum(row.held for row in rows),
        "by_kind": {
            kind: sum(row.held for row in rows if row.body.kind == kind) for kind in BodyKind.values
        },
        "groups_active": sum(1 for row in rows if row.body.kind == BodyKind.GROUP and row.held),
        "totals": totals,
        "actions": len(actions(scope)),
        "decisions": len(decisions(scope)),
    }


@dataclass
class GroupPart:
    body: Body
    card: GroupCard | None
    activity: BodyActivity | None
    actions: list[Action] = field(default_factory=list)

    @property
    def events(self) -> list[Any]:
        # ``period_events``: the events of the period, prefetched by ``period_actions``.
        return [
            event
            for action in self.actions
            for event in action.period_events  # type: ignore[attr-defined]
        ]


def build_groups(scope: ReportScope) -> dict[str, Any]:
    overview = governance_overview(None, on=scope.on)
    cards = {card.body.pk: card for card in overview.groups}
    rows = {row.body.pk: row for row in activity(scope) if row.body.kind == BodyKind.GROUP}
    by_group: dict[int, list[Action]] = defaultdict(list)
    for action in actions(scope):
        if action.working_group_id:
            by_group[action.working_group_id].append(action)
    parts = [
        GroupPart(row.body, cards.get(row.body.pk), row, by_group.get(row.body.pk, []))
        for row in rows.values()
        if row.body.pk in cards or row.held or by_group.get(row.body.pk)
    ]
    return {"parts": parts}


@dataclass(frozen=True)
class ContractYearSummary:
    number: int
    result: YearResult
    fonctionnement: Decimal

    @property
    def total(self) -> Decimal:
        return self.fonctionnement + self.result.fixed + self.result.variable


def build_finances(scope: ReportScope) -> dict[str, Any]:
    fees = members_figures(scope).fees
    received = received_during(scope.start, scope.end)
    years = []
    contract: Contract | None = current_contract()
    if contract is not None:
        overlapping = contract.years.filter(start__lte=scope.end, end__gte=scope.start)
        for year in overlapping.order_by("number"):
            year.contract = contract
            years.append(
                ContractYearSummary(year.number, year_result(year), fonctionnement_for(year))
            )
    return {
        "fees": fees,
        "received": received,
        "received_total": sum((row.received for row in received), ZERO),
        "years": years,
        "contract": contract,
        "indemnities": indemnities(scope),
    }


LIFE = Section("vie", _("La vie de l'association"), "life.html", build_life)
GROUPS = Section("groupes", _("Les groupes de travail"), "groups.html", build_groups)
FINANCES = Section("finances", _("Les finances en bref"), "finances.html", build_finances)

AG_SECTIONS: list[Section] = [LIFE, GOVERNANCE, GROUPS, MEMBERS, DECISIONS, FINANCES]
