"""The ACI contract: mission catalogue, contract and years, envelopes, indicator lines with
their livrables and proofs, actions and events, payments received."""

from missions.models.actions import (
    Action,
    ActionStatus,
    AgeBand,
    Event,
    EventDocument,
    EventKind,
    ParticipantCount,
)
from missions.models.catalogue import Mission, MissionKind
from missions.models.contract import (
    CONTRACT_YEARS,
    Contract,
    ContractMission,
    ContractStatus,
    ContractYear,
    MissionEnvelope,
    PaymentNature,
    ReceivedPayment,
    Taille,
)
from missions.models.lines import (
    AchievedSource,
    Direction,
    IndicatorLine,
    LineBand,
    LineKind,
    LineTier,
    Livrable,
    LivrableStatus,
    Proof,
)

__all__ = [
    "CONTRACT_YEARS",
    "AchievedSource",
    "Action",
    "ActionStatus",
    "AgeBand",
    "Contract",
    "ContractMission",
    "ContractStatus",
    "ContractYear",
    "Direction",
    "Event",
    "EventDocument",
    "EventKind",
    "IndicatorLine",
    "LineBand",
    "LineKind",
    "LineTier",
    "Livrable",
    "LivrableStatus",
    "Mission",
    "MissionEnvelope",
    "MissionKind",
    "ParticipantCount",
    "PaymentNature",
    "Proof",
    "ReceivedPayment",
    "Taille",
]
