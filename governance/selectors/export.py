"""What governance stores about a member, for their RGPD export (registered with
``members.selectors.portal.register_data_export_section``): mandates (working groups
included), convocations with their answers, attendance and proxies. Four queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from governance.models import Attendance, Convocation, Mandate, Proxy
from members.models import Member


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def mandates_export(member: Member) -> list[dict[str, Any]]:
    return [
        {
            "instance": mandate.body.name,
            "fonction": mandate.get_role_display(),
            "debut": _date(mandate.start_date),
            "fin": _date(mandate.end_date),
            "college": str(mandate.college) if mandate.college else "",
        }
        for mandate in Mandate.objects.filter(member=member)
        .select_related("body", "college")
        .order_by("start_date", "pk")
    ]


def meetings_export(member: Member) -> dict[str, Any]:
    convocations = (
        Convocation.objects.filter(member=member)
        .select_related("meeting")
        .order_by("meeting__starts_at", "pk")
    )
    attendances = (
        Attendance.objects.filter(member=member)
        .select_related("meeting", "represented_by")
        .order_by("meeting__starts_at", "pk")
    )
    proxies = (
        Proxy.objects.filter(Q(giver=member) | Q(holder=member))
        .select_related("meeting", "giver", "holder")
        .order_by("meeting__starts_at", "pk")
    )
    return {
        "convocations": [
            {
                "reunion": c.meeting.title,
                "date": _date(c.meeting.starts_at),
                "reponse": c.get_answer_display(),
                "repondu_le": _date(c.answered_at),
                "droit_de_vote": c.can_vote,
            }
            for c in convocations
        ],
        "presences": [
            {
                "reunion": a.meeting.title,
                "date": _date(a.meeting.starts_at),
                "presence": a.get_status_display(),
                "represente_par": a.represented_by.display_name if a.represented_by else "",
            }
            for a in attendances
        ],
        "procurations": [
            {
                "reunion": p.meeting.title,
                "date": _date(p.meeting.starts_at),
                "mandant": p.giver.display_name,
                "mandataire": p.holder.display_name,
            }
            for p in proxies
        ],
    }
