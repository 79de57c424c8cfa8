"""Document kinds of governance (registered with cpts.jobs.document_kind): the feuille
d'émargement of a meeting, to print and sign at the door."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpts.documents import _logo_url
from cpts.jobs import ProgressCallback, document_kind
from cpts.models import Association, GeneratedDocument
from cpts.services.documents import DocumentError
from governance.models import Meeting
from governance.selectors.attendance import attendance_rows
from governance.selectors.decisions import titled_with_date

ATTENDANCE_SHEET_TITLE = gettext_lazy("Feuille d'émargement")


def _describe_attendance_sheet(parameters: dict[str, Any]) -> str:
    title = parameters.get("title") or _("Réunion n° %(id)s") % {
        "id": parameters.get("meeting_id", "?")
    }
    date = parameters.get("date")
    try:
        day = datetime.datetime.strptime(str(date), "%d/%m/%Y").date()
    except ValueError:
        return str(title)
    return titled_with_date(str(title), day)


@document_kind(
    "attendance_sheet",
    label=ATTENDANCE_SHEET_TITLE,
    permission="governance.view",
    describe=_describe_attendance_sheet,
)
def build_attendance_sheet(
    document: GeneratedDocument, report: ProgressCallback
) -> tuple[str, bytes]:
    """The members expected at a meeting, sorted by name, with profession, collège, voting
    right on the meeting date, proxies, and an empty column to sign."""
    from cpts.pdf import render_pdf  # WeasyPrint loads Pango: only when a PDF is built.

    report(10, _("Lecture de la réunion"))
    meeting_id = (document.parameters or {}).get("meeting_id")
    if isinstance(meeting_id, bool) or not isinstance(meeting_id, int):
        raise DocumentError(_("Les paramètres de ce document sont incomplets."))
    meeting = Meeting.objects.select_related("body").filter(pk=meeting_id).first()
    if meeting is None:
        raise DocumentError(_("Cette réunion n'existe plus."))
    rows = attendance_rows(meeting)
    report(50, _("Mise en page"))
    association = Association.objects.get_solo()
    content = render_pdf(
        "pdf/governance/attendance_sheet.html",
        {
            "association": association,
            "logo_url": _logo_url(association),
            "document_title": ATTENDANCE_SHEET_TITLE,
            "meeting": meeting,
            "starts_at": timezone.localtime(meeting.starts_at),
            "rows": rows,
            "invited": len(rows),
            "voting": sum(1 for row in rows if row.can_vote),
            "proxies": sum(1 for row in rows if row.proxy_given_to),
            "generated_at": timezone.localtime(),
        },
    )
    day = timezone.localtime(meeting.starts_at)
    return f"emargement-{day:%Y-%m-%d}-{meeting.pk}.pdf", content
