"""Audited models of the ACI contract (django-auditlog, see cpts/audit.py): every change to the
contract, its envelopes, lines and their results, proofs, actions, events and payments."""

from auditlog.registry import auditlog

from missions.models import (
    Action,
    Contract,
    ContractMission,
    ContractYear,
    Event,
    EventDocument,
    IndicatorLine,
    LineBand,
    LineTier,
    Livrable,
    MissionEnvelope,
    ParticipantCount,
    Proof,
    ReceivedPayment,
)

_TIMESTAMPS = ["created_at", "updated_at"]

for model in (
    Contract,
    ContractYear,
    ContractMission,
    MissionEnvelope,
    IndicatorLine,
    Livrable,
    Proof,
    EventDocument,
    ReceivedPayment,
):
    auditlog.register(model, exclude_fields=_TIMESTAMPS)
# Linking missions, meetings and professionals is recorded too.
auditlog.register(Action, exclude_fields=_TIMESTAMPS, m2m_fields={"missions", "meetings"})
auditlog.register(Event, exclude_fields=_TIMESTAMPS, m2m_fields={"professionals"})
for child in (LineTier, LineBand, ParticipantCount):
    auditlog.register(child)
