"""The audit trail: django-auditlog records who changed what and when (one LogEntry table,
the acting user taken from the request by AuditlogMiddleware). Every app registers its
audited models in its own ``audit.py``, imported from ``AppConfig.ready``; pages read the
trail through ``cpts.selectors.audit``."""

from __future__ import annotations

from auditlog.registry import auditlog

from cpts.models import Association, Invitation, TerritoryCommune, User

auditlog.register(Association, exclude_fields=["created_at", "updated_at"])
auditlog.register(TerritoryCommune, exclude_fields=["created_at", "updated_at"])
auditlog.register(Invitation, exclude_fields=["created_at", "updated_at", "token"])
auditlog.register(
    User, include_fields=["email", "first_name", "last_name", "is_active", "is_staff"]
)
