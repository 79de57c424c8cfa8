"""Reads of the claims, re-exported at package level."""

from claims.selectors.access import can_approve, can_validate
from claims.selectors.activities import ClaimableActivity, claimable_activities
from claims.selectors.queues import (
    approval_queue,
    batch_claims,
    batches,
    cap_status,
    member_claims,
    members_near_cap,
    payable_claims,
    pending_counts,
    validation_queue,
    validation_scope,
)
from claims.selectors.totals import (
    CapSummary,
    PeriodTotals,
    Statement,
    YearTotals,
    cap_summary,
    member_year_statement,
    period_totals,
    year_totals,
)

__all__ = [
    "CapSummary",
    "ClaimableActivity",
    "PeriodTotals",
    "Statement",
    "YearTotals",
    "approval_queue",
    "batch_claims",
    "batches",
    "can_approve",
    "can_validate",
    "cap_status",
    "cap_summary",
    "claimable_activities",
    "member_claims",
    "member_year_statement",
    "members_near_cap",
    "payable_claims",
    "pending_counts",
    "period_totals",
    "validation_queue",
    "validation_scope",
    "year_totals",
]
