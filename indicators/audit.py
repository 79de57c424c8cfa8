"""Audited models of the indicators (django-auditlog, see cpts/audit.py): the catalogue and
every measurement recorded."""

from auditlog.registry import auditlog

from indicators.models import IndicatorDefinition, Measurement

auditlog.register(IndicatorDefinition, exclude_fields=["created_at", "updated_at"])
auditlog.register(Measurement)
