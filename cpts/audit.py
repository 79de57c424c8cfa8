"""The audit trail: django-auditlog records who changed what and when (one LogEntry table,
the acting user taken from the request by AuditlogMiddleware). Every app registers its
audited models here-style in its own ``audit.py``, imported from ``AppConfig.ready``."""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db.models import Model, QuerySet

from cpts.models import Association, Invitation, RoleAssignment, TerritoryCommune, User

auditlog.register(Association, exclude_fields=["created_at", "updated_at"])
auditlog.register(TerritoryCommune, exclude_fields=["created_at", "updated_at"])
auditlog.register(RoleAssignment, exclude_fields=["created_at", "updated_at"])
auditlog.register(Invitation, exclude_fields=["created_at", "updated_at", "token"])
auditlog.register(
    User, include_fields=["email", "first_name", "last_name", "is_active", "is_staff"]
)


def history_for(*models_or_objects: type[Model] | Model, limit: int = 50) -> QuerySet[Any]:
    """Latest audit entries for the given model classes or instances, actor preloaded."""
    entries = LogEntry.objects.none()
    for item in models_or_objects:
        if isinstance(item, Model):
            entries |= LogEntry.objects.get_for_object(item)
        else:
            entries |= LogEntry.objects.get_for_model(item)
    return entries.select_related("actor", "content_type").order_by("-timestamp")[:limit]
