"""Governance: statutes settings, bodies and mandates, meetings, decisions."""

from governance.models.bodies import (
    SINGLE_KINDS,
    UNIQUE_ROLES,
    Body,
    BodyKind,
    Mandate,
    MandateQuerySet,
    MandateRole,
)
from governance.models.decisions import Candidate, Election, Minutes, MinutesStatus, Resolution
from governance.models.library import (
    SharedDocument,
    SharedDocumentCategory,
    SharedDocumentVisibility,
)
from governance.models.meetings import (
    AgendaDocument,
    AgendaItem,
    AgKind,
    Attendance,
    AttendanceStatus,
    Convocation,
    ConvocationAnswer,
    Meeting,
    MeetingStatus,
    Proxy,
)
from governance.models.statutes import MajorityRule, Statutes

__all__ = [
    "SINGLE_KINDS",
    "UNIQUE_ROLES",
    "AgKind",
    "AgendaDocument",
    "AgendaItem",
    "Attendance",
    "AttendanceStatus",
    "Body",
    "BodyKind",
    "Candidate",
    "Convocation",
    "ConvocationAnswer",
    "Election",
    "MajorityRule",
    "Mandate",
    "MandateQuerySet",
    "MandateRole",
    "Meeting",
    "MeetingStatus",
    "Minutes",
    "MinutesStatus",
    "Proxy",
    "Resolution",
    "SharedDocument",
    "SharedDocumentCategory",
    "SharedDocumentVisibility",
    "Statutes",
]
