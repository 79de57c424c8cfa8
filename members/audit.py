"""Audited models of the member base (django-auditlog, see cpts/audit.py)."""

from auditlog.registry import auditlog

from members.models import (
    Adhesion,
    College,
    EmailOptOut,
    FeeRule,
    Member,
    MembershipRequest,
    Payment,
    PracticeSite,
)

_TIMESTAMPS = ["created_at", "updated_at"]

auditlog.register(Member, exclude_fields=_TIMESTAMPS)
auditlog.register(PracticeSite, exclude_fields=_TIMESTAMPS)
auditlog.register(Adhesion, exclude_fields=_TIMESTAMPS)
auditlog.register(Payment, exclude_fields=_TIMESTAMPS)
auditlog.register(FeeRule, exclude_fields=_TIMESTAMPS)
auditlog.register(College, exclude_fields=_TIMESTAMPS)
auditlog.register(MembershipRequest, exclude_fields=_TIMESTAMPS)
auditlog.register(EmailOptOut, exclude_fields=_TIMESTAMPS)
