"""Audited models of the crisis mission (django-auditlog, see cpts/audit.py): plan versions,
activations (their ARS recognition changes what the contract pays), sites, shifts, their
needs and sign-ups, alerts. Delivery rows are a log themselves and are not audited."""

from auditlog.registry import auditlog

from crisis.models import Activation, Alert, PlanVersion, Shift, ShiftNeed, SignUp, Site

_TIMESTAMPS = ["created_at", "updated_at"]

for model in (Activation, Site, Shift, SignUp):
    auditlog.register(model, exclude_fields=_TIMESTAMPS)
for whole in (PlanVersion, ShiftNeed, Alert):
    auditlog.register(whole)
