"""The coordinator's dashboard (the first page after login for the coordination, bureau and
CA): one block per area, each only for a reader allowed to read its data, each linking to
the page where the work is done. The number of queries does not grow with the data."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from cpts.permissions import user_can
from cpts.selectors.territory import TerritorySummary, territory_summary
from indicators.selectors.dashboard.claims import ClaimsBlock, claims_block
from indicators.selectors.dashboard.contract import ContractBlock, contract_block
from indicators.selectors.dashboard.governance import GovernanceBlock, governance_block
from indicators.selectors.dashboard.jobs import JobsBlock, jobs_block
from indicators.selectors.dashboard.members import MembersBlock, members_block

__all__ = ["Dashboard", "dashboard_for"]


@dataclass(frozen=True)
class Dashboard:
    today: datetime.date
    territory: TerritorySummary
    members: MembersBlock | None  # None: hidden from this reader
    governance: GovernanceBlock | None
    show_contract: bool  # the contract block (with or without a contract)
    contract: ContractBlock | None  # None: no contract yet (or hidden)
    jobs: JobsBlock | None
    claims: ClaimsBlock | None


def dashboard_for(user: Any, now: datetime.datetime | None = None) -> Dashboard:
    """The blocks ``user`` may read, computed for ``now``."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    finance = user_can(user, "finance.view")
    show_contract = user_can(user, "missions.view")
    return Dashboard(
        today=today,
        territory=territory_summary(),
        members=(
            members_block(today, with_fees=finance) if user_can(user, "members.view") else None
        ),
        governance=governance_block(now) if user_can(user, "governance.view") else None,
        show_contract=show_contract,
        contract=contract_block(today, with_finance=finance) if show_contract else None,
        jobs=jobs_block(now) if user_can(user, "reports.view") else None,
        claims=_claims_block(user),
    )


def _claims_block(user: Any) -> ClaimsBlock | None:
    """For the readers who see every claim (the finance team, the coordination that
    validates them): a référent validating their group's claims does not get the CPTS's
    totals. Links follow what each queue checks."""
    finance = user_can(user, "finance.view")
    validates = user_can(user, "claims.validate")
    if not (finance or validates):
        return None
    return claims_block(
        can_validate=validates or user_can(user, "groups.lead"),
        can_approve=user_can(user, "finance.approve"),
        can_see_batches=finance,
        user=user,
    )
