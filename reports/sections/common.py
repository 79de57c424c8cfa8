"""Sections both activity reports share: identity and territory, governance, members,
decisions; and the reads both reports make (members, meetings, decisions, the members'
indemnities). Every figure comes from the selectors the dashboard and the pages read."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from claims.selectors import CapSummary, PeriodTotals, cap_summary, period_totals
from cpts.models import Association
from cpts.selectors.territory import territory_communes, territory_summary
from governance.models import BodyKind
from governance.selectors.bodies import governance_overview
from governance.selectors.decisions import decisions_during
from governance.selectors.indicators import BodyActivity, body_activity
from indicators.selectors.dashboard.members import MembersBlock, members_block
from reports.sections import ReportScope, Section


def logo_url(association: Association) -> str | None:
    """The logo's media URL when its file is really there (a missing file is skipped)."""
    if association.logo and default_storage.exists(association.logo.name):
        return str(association.logo.url)
    return None


def members_figures(scope: ReportScope) -> MembersBlock:
    """The dashboard's members block, read at the day of the report (12 month ends)."""
    return scope.once(
        "members",
        lambda: members_block(scope.on, with_fees=True, months=12, fees_year=scope.on.year),
    )


def activity(scope: ReportScope) -> list[BodyActivity]:
    return scope.once("activity", lambda: body_activity(scope.start, scope.end))


def decisions(scope: ReportScope) -> list[Any]:
    return scope.once("decisions", lambda: list(decisions_during(scope.start, scope.end)))


def indemnities(scope: ReportScope) -> PeriodTotals:
    """Indemnities and expenses approved or paid for claims dated in the period (the
    treasurer's totals page reads the same selector)."""
    return scope.once("indemnities", lambda: period_totals(scope.start, scope.end))


def cap_years(scope: ReportScope) -> list[CapSummary]:
    """The PASS cap of every calendar year the period touches (the cap is per calendar year)."""
    return scope.once(
        "cap_years",
        lambda: [cap_summary(year) for year in range(scope.start.year, scope.end.year + 1)],
    )


def build_identity(scope: ReportScope) -> dict[str, Any]:
    association = scope.association
    summary = territory_summary(association)
    communes = list(
        territory_communes(association)
        .order_by("search_name", "insee_code")
        .values("name", "insee_code", "population")
    )
    return {"summary": summary, "communes": communes, "compact": len(communes) > 14}


def build_governance(scope: ReportScope) -> dict[str, Any]:
    overview = governance_overview(None, on=scope.on)
    rows = activity(scope)
    held = sum(row.held for row in rows)
    return {
        "overview": overview,
        "activity": rows,
        "held": held,
        "attended": sum(row.attended for row in rows),
        "recorded": sum(row.recorded for row in rows),
        "ca_mandates": sum(len(seats.mandates) for seats in overview.ca_by_college),
    }


def build_members(scope: ReportScope) -> dict[str, Any]:
    block = members_figures(scope)
    start_count = next(iter(block.over_time), None)
    return {
        "block": block,
        "profession": block.profession_figure(),
        "college": block.college_figure(),
        "commune": block.commune_figure(),
        "over_time": block.over_time_figure(),
        "first_month": start_count,
        # No member at any month end of the period: one sentence instead of empty charts.
        "has_members": any(count for _day, count in block.over_time) or block.counts.active,
    }


def build_decisions(scope: ReportScope) -> dict[str, Any]:
    return {"decisions": decisions(scope)}


IDENTITY = Section("identite", _("Identité et territoire"), "identity.html", build_identity)
GOVERNANCE = Section("gouvernance", _("Gouvernance"), "governance.html", build_governance)
MEMBERS = Section("adherents", _("Adhérents"), "members.html", build_members)
DECISIONS = Section("decisions", _("Décisions de l'année"), "decisions.html", build_decisions)
GROUP_KIND = BodyKind.GROUP
