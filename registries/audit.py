"""Audited models of the mission registries (django-auditlog, see cpts/audit.py): every change
to a request, a profile, a SAS participation or month, a slot offer, a trainee, an
installation or a parrainage."""

from auditlog.registry import auditlog

from registries.models import (
    GpRequest,
    Installation,
    Mentorship,
    ProfessionalProfile,
    SasMonthlyActivity,
    SasParticipation,
    Trainee,
    UnplannedSlotOffer,
)

_TIMESTAMPS = ["created_at", "updated_at"]

for model in (
    GpRequest,
    ProfessionalProfile,
    SasParticipation,
    SasMonthlyActivity,
    UnplannedSlotOffer,
    Trainee,
    Installation,
    Mentorship,
):
    auditlog.register(model, exclude_fields=_TIMESTAMPS)
