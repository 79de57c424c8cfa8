"""Reads behind the minutes: the officers of a meeting, its attendance figures, the text of a
draft built from the meeting's data, and the light markup of that text split into blocks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance.models import (
    Attendance,
    AttendanceStatus,
    BodyKind,
    Election,
    Mandate,
    MandateRole,
    Meeting,
    Minutes,
    MinutesStatus,
    Resolution,
)
from governance.rules import Quorum
from governance.selectors.voting import meeting_date, quorum_for
from members.models import Member


@dataclass(frozen=True)
class AttendanceFigures:
    present: int
    represented: int
    excused: int
    absent: int


def attendance_figures(meeting: Meeting) -> AttendanceFigures:
    figures = Attendance.objects.filter(meeting=meeting).aggregate(
        **{status.value: Count("pk", filter=Q(status=status.value)) for status in AttendanceStatus}
    )
    return AttendanceFigures(
        present=figures[AttendanceStatus.PRESENT],
        represented=figures[AttendanceStatus.REPRESENTED],
        excused=figures[AttendanceStatus.EXCUSED],
        absent=figures[AttendanceStatus.ABSENT],
    )


def officers(meeting: Meeting) -> tuple[str, str]:
    """(président·e, secrétaire) of the Bureau on the meeting's date, or empty names."""
    on = meeting_date(meeting)
    names = {MandateRole.PRESIDENT: "", MandateRole.SECRETAIRE: ""}
    for mandate in (
        Mandate.objects.active_on(on)
        .filter(body__kind=BodyKind.BUREAU, role__in=list(names))
        .select_related("member")
        .order_by("start_date", "pk")
    ):
        names[MandateRole(mandate.role)] = mandate.member.display_name
    return names[MandateRole.PRESIDENT], names[MandateRole.SECRETAIRE]


def quorum_line(quorum: Quorum | None) -> str:
    if quorum is None:
        return ""
    if quorum.waived:
        return _(
            "Seconde convocation : l'assemblée délibère sans condition de quorum "
            "(%(counted)s votants présents ou représentés)."
        ) % {"counted": quorum.counted}
    values = {
        "counted": quorum.counted,
        "total": quorum.voting_members,
        "required": quorum.required,
    }
    if quorum.reached:
        return (
            _(
                "Quorum atteint : %(counted)s votants présents ou représentés sur %(total)s "
                "(%(required)s requis)."
            )
            % values
        )
    return (
        _(
            "Quorum non atteint : %(counted)s votants présents ou représentés sur %(total)s "
            "(%(required)s requis)."
        )
        % values
    )


def vote_line(resolution: Resolution) -> str:
    if resolution.adopted is None:
        return _("Non soumise au vote.")
    result = _("adoptée") if resolution.adopted else _("rejetée")
    return _(
        "Vote : %(for)s pour, %(against)s contre, %(abstentions)s abstention(s), sur %(voters)s "
        "votants présents ou représentés (%(rule)s) — résolution %(result)s."
    ) % {
        "for": resolution.votes_for,
        "against": resolution.votes_against,
        "abstentions": resolution.abstentions,
        "voters": resolution.voters,
        "rule": resolution.get_majority_display().lower(),
        "result": result,
    }


def _names(rows: list[Attendance], status: str) -> list[str]:
    return [row.member.display_name for row in rows if row.status == status]


def draft_text(meeting: Meeting, chair: str, secretary: str) -> str:
    """The procès-verbal built from the meeting: lines starting with "## " and "### " are
    headings, "- " list items, the rest paragraphs."""
    start = timezone.localtime(meeting.starts_at)
    lines = [
        _("Instance : %(body)s") % {"body": meeting.body.name},
        _("Date : %(date)s à %(time)s")
        % {"date": date_format(start, "d/m/Y"), "time": date_format(start, "H\\hi")},
    ]
    if meeting.place:
        lines.append(_("Lieu : %(place)s") % {"place": meeting.place})
    if meeting.video_url:
        lines.append(_("Visioconférence : %(url)s") % {"url": meeting.video_url})
    lines.append(_("Président·e de séance : %(name)s") % {"name": chair or "—"})
    lines.append(_("Secrétaire de séance : %(name)s") % {"name": secretary or "—"})

    rows = list(
        Attendance.objects.filter(meeting=meeting).select_related("member", "represented_by")
    )
    figures = attendance_figures(meeting)
    lines += ["", "## " + _("Présences")]
    lines.append(
        _(
            "Présents : %(present)s — représentés : %(represented)s — excusés : %(excused)s — "
            "absents : %(absent)s."
        )
        % figures.__dict__
    )
    present = _names(rows, AttendanceStatus.PRESENT)
    if present:
        lines.append(_("Présent·e·s : %(names)s.") % {"names": ", ".join(present)})
    represented = [
        _("%(giver)s (par %(holder)s)")
        % {"giver": row.member.display_name, "holder": row.represented_by.display_name}
        for row in rows
        if row.status == AttendanceStatus.REPRESENTED and row.represented_by is not None
    ]
    if represented:
        lines.append(_("Représenté·e·s : %(names)s.") % {"names": ", ".join(represented)})
    excused = _names(rows, AttendanceStatus.EXCUSED)
    if excused:
        lines.append(_("Excusé·e·s : %(names)s.") % {"names": ", ".join(excused)})
    quorum = quorum_line(quorum_for(meeting))
    if quorum:
        lines.append(quorum)

    items = list(meeting.agenda_items.order_by("position", "pk"))
    if items:
        lines += ["", "## " + _("Ordre du jour")]
        for number, item in enumerate(items, start=1):
            lines.append(f"- {number}. {item.title}")
    for number, item in enumerate(items, start=1):
        if item.description.strip():
            lines += ["", f"### {number}. {item.title}", item.description.strip()]

    resolutions = list(meeting.resolutions.order_by("position", "pk"))
    if resolutions:
        lines += ["", "## " + _("Résolutions")]
        for resolution in resolutions:
            lines += [
                "",
                "### "
                + _("Résolution n° %(number)s : %(title)s")
                % {"number": resolution.position, "title": resolution.title},
                resolution.text,
                vote_line(resolution),
            ]

    elections = list(Election.objects.filter(meeting=meeting).select_related("college", "body"))
    if elections:
        lines += ["", "## " + _("Élections")]
        for election in elections:
            lines += ["", "### " + election_heading(election)]
            candidates = sorted(
                election.candidates.select_related("member"),
                key=lambda c: (-(c.votes or 0), c.member.last_name),
            )
            for candidate in candidates:
                line = candidate_line(candidate.member, candidate.votes, candidate.elected)
                lines.append("- " + line)
            if election.closed_at is None:
                lines.append(_("Dépouillement non clos."))
    return "\n".join(lines).strip() + "\n"


def election_heading(election: Election) -> str:
    return ngettext(
        "%(body)s — collège « %(college)s » (%(seats)s siège à pourvoir)",
        "%(body)s — collège « %(college)s » (%(seats)s sièges à pourvoir)",
        election.seats,
    ) % {"body": election.body.name, "college": election.college.name, "seats": election.seats}


def candidate_line(member: Member, votes: int | None, elected: bool) -> str:
    text = _("%(name)s : %(votes)s voix") % {
        "name": member.display_name,
        "votes": "—" if votes is None else votes,
    }
    return f"{text} — {_('élu·e')}" if elected else text


def text_blocks(text: str) -> list[dict[str, Any]]:
    """The minutes' text as blocks for the page and the PDF: headings, paragraphs, lists."""
    blocks: list[dict[str, Any]] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append({"kind": "p", "lines": list(paragraph)})
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("### "):
            flush()
            blocks.append({"kind": "h3", "text": stripped[4:]})
        elif stripped.startswith("## ") or stripped.startswith("# "):
            flush()
            blocks.append({"kind": "h2", "text": stripped.split(" ", 1)[1]})
        elif stripped.startswith("- "):
            flush()
            if blocks and blocks[-1]["kind"] == "ul":
                blocks[-1]["items"].append(stripped[2:])
            else:
                blocks.append({"kind": "ul", "items": [stripped[2:]]})
        else:
            paragraph.append(stripped)
    flush()
    return blocks


def latest_pdf(minutes: Minutes) -> Any:
    """The newest finished PDF of ``minutes``, or None. Once the minutes are approved, only
    a PDF requested since the approval (the draft's PDFs say "Brouillon")."""
    from cpts.models import GeneratedDocument

    documents = GeneratedDocument.objects.filter(
        kind="meeting_minutes",
        parameters__minutes=minutes.pk,
        status=GeneratedDocument.Status.DONE,
    ).exclude(file="")
    if minutes.status == MinutesStatus.APPROVED:
        documents = documents.filter(created_at__gte=minutes.updated_at)
    return documents.order_by("-finished_at", "-pk").first()


def is_approved(minutes: Minutes) -> bool:
    return minutes.status == MinutesStatus.APPROVED
