"""Audited models of governance (django-auditlog, see cpts/audit.py): every change to the
statutes, bodies, mandates, meetings, attendance, votes and minutes leaves a record."""

from auditlog.registry import auditlog

from governance.models import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    Body,
    Candidate,
    Convocation,
    Election,
    Mandate,
    Meeting,
    Minutes,
    Proxy,
    Resolution,
    SharedDocument,
    Statutes,
)

_TIMESTAMPS = ["created_at", "updated_at"]

auditlog.register(Statutes, exclude_fields=_TIMESTAMPS)
auditlog.register(Body, exclude_fields=_TIMESTAMPS)
auditlog.register(Mandate, exclude_fields=_TIMESTAMPS)
auditlog.register(Meeting, exclude_fields=_TIMESTAMPS)
auditlog.register(AgendaItem, exclude_fields=_TIMESTAMPS)
auditlog.register(AgendaDocument, exclude_fields=_TIMESTAMPS)
auditlog.register(Convocation, exclude_fields=[*_TIMESTAMPS, "token"])
auditlog.register(Attendance, exclude_fields=_TIMESTAMPS)
auditlog.register(Proxy, exclude_fields=_TIMESTAMPS)
auditlog.register(Resolution, exclude_fields=_TIMESTAMPS)
auditlog.register(Election, exclude_fields=_TIMESTAMPS)
auditlog.register(Candidate, exclude_fields=_TIMESTAMPS)
auditlog.register(Minutes, exclude_fields=_TIMESTAMPS)
auditlog.register(SharedDocument, exclude_fields=_TIMESTAMPS)
