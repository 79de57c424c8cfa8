"""Writes of the claims: declaring, the workflow, payment batches, bank details, tariffs."""

from claims.services.bank import set_bank_account
from claims.services.batches import close_period, create_batch
from claims.services.declare import declare_expense, declare_time, update_claim, withdraw_claim
from claims.services.tariffs import set_mileage_rate, set_pass, set_tariff
from claims.services.workflow import (
    BulkOutcome,
    approve_claim,
    approve_claims,
    refuse_claim,
    validate_claim,
)

__all__ = [
    "BulkOutcome",
    "approve_claim",
    "approve_claims",
    "close_period",
    "create_batch",
    "declare_expense",
    "declare_time",
    "refuse_claim",
    "set_bank_account",
    "set_mileage_rate",
    "set_pass",
    "set_tariff",
    "update_claim",
    "validate_claim",
    "withdraw_claim",
]
