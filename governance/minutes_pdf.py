"""The procès-verbal PDF (document kind ``meeting_minutes``): the minutes' text, the
attendance summary, the resolutions with their counts, and the signatures block. A draft is
marked "Brouillon" on every page."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpts.jobs import ProgressCallback, document_kind
from cpts.models import Association, GeneratedDocument
from cpts.services.documents import DocumentError
from governance.models import Minutes, MinutesStatus
from governance.selectors.decisions import meeting_title, title_names_body
from governance.selectors.minutes import attendance_figures, text_blocks
from governance.selectors.voting import quorum_for
from members.documents import _association_context

MINUTES_TITLE = gettext_lazy("Procès-verbal")


def _describe(parameters: dict[str, Any]) -> str:
    pk = parameters.get("minutes")
    minutes = (
        Minutes.objects.select_related("meeting").filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )
    if minutes is None:
        return _("Procès-verbal n° %(id)s") % {"id": parameters.get("minutes", "?")}
    return meeting_title(minutes.meeting)


@document_kind(
    "meeting_minutes", label=MINUTES_TITLE, permission="governance.view", describe=_describe
)
def build_meeting_minutes(
    document: GeneratedDocument, report: ProgressCallback
) -> tuple[str, bytes]:
    from cpts.pdf import render_pdf  # WeasyPrint loads Pango: only when a PDF is built.

    report(10, _("Lecture du procès-verbal"))
    pk = (document.parameters or {}).get("minutes")
    if isinstance(pk, bool) or not isinstance(pk, int):
        raise DocumentError(_("Les paramètres de ce document sont incomplets."))
    minutes = (
        Minutes.objects.select_related("meeting", "meeting__body", "approved_at")
        .filter(pk=pk)
        .first()
    )
    if minutes is None:
        raise DocumentError(_("Ce procès-verbal n'existe plus."))
    meeting = minutes.meeting
    resolutions = list(meeting.resolutions.order_by("position", "pk"))
    report(50, _("Mise en page"))
    start = timezone.localtime(meeting.starts_at)
    title = _("Procès-verbal — %(meeting)s") % {"meeting": meeting_title(meeting)}
    content = render_pdf(
        "pdf/governance/minutes.html",
        {
            **_association_context(Association.objects.get_solo()),
            "document_title": MINUTES_TITLE,
            "title": title,
            "minutes": minutes,
            "meeting": meeting,
            "starts_at": start,
            "show_body": not title_names_body(meeting.title, meeting.body.name),
            "is_draft": minutes.status != MinutesStatus.APPROVED,
            "blocks": text_blocks(minutes.text),
            "figures": attendance_figures(meeting),
            "quorum": quorum_for(meeting),
            "resolutions": resolutions,
            "generated_at": timezone.localtime(),
        },
    )
    return f"proces-verbal-{start:%Y-%m-%d}-{meeting.pk}.pdf", content
