"""Audited models of the claims (django-auditlog, see cpts/audit.py): every edit of a claim
after its submission, tariffs, ceilings, closed periods, bank details and batches."""

from auditlog.registry import auditlog

from claims.models import (
    BankAccount,
    Claim,
    ClosedPeriod,
    MileageRate,
    PassCeiling,
    PaymentBatch,
    Tariff,
)

_TIMESTAMPS = ["created_at", "updated_at"]

auditlog.register(Claim, exclude_fields=_TIMESTAMPS)
auditlog.register(Tariff, exclude_fields=_TIMESTAMPS)
auditlog.register(MileageRate, exclude_fields=_TIMESTAMPS)
auditlog.register(PassCeiling, exclude_fields=_TIMESTAMPS)
auditlog.register(ClosedPeriod, exclude_fields=_TIMESTAMPS)
auditlog.register(BankAccount, exclude_fields=_TIMESTAMPS, mask_fields=["iban"])
auditlog.register(PaymentBatch, exclude_fields=_TIMESTAMPS)
