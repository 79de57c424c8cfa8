"""Document kind of the claims (registered with cpts.jobs.document_kind): the member's
relevé annuel des indemnités et remboursements, parameters {"member": id, "year": YYYY}."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.selectors import member_year_statement
from cpts.documents import _logo_url
from cpts.jobs import ProgressCallback, document_kind
from cpts.models import Association, GeneratedDocument
from cpts.services.documents import DocumentError

STATEMENT_KIND = "claims_statement"
STATEMENT_TITLE = gettext_lazy("Relevé annuel des indemnités et remboursements")


def _parameters(parameters: dict[str, Any] | None) -> tuple[int, int] | None:
    member_id = (parameters or {}).get("member")
    year = (parameters or {}).get("year")
    for value in (member_id, year):
        if isinstance(value, bool) or not isinstance(value, int):
            return None
    assert isinstance(member_id, int) and isinstance(year, int)
    return member_id, year


def describe_statement(parameters: dict[str, Any]) -> str:
    from members.models import Member

    values = _parameters(parameters)
    if values is None:
        return ""
    member = Member.objects.filter(pk=values[0]).first()
    name = member.display_name if member else "?"
    return _("%(name)s — année %(year)s") % {"name": name, "year": values[1]}


def statement_pdf(member: Any, year: int) -> bytes:
    from cpts.pdf import render_pdf  # WeasyPrint loads Pango: only when a PDF is built.

    association = Association.objects.get_solo()
    return render_pdf(
        "pdf/claims_statement.html",
        {
            "document_title": STATEMENT_TITLE,
            "association": association,
            "logo_url": _logo_url(association),
            "statement": member_year_statement(member, year),
            "generated_at": timezone.localtime(),
        },
    )


def statement_filename(member: Any, year: int) -> str:
    return f"releve-indemnites-{year}-{member.pk}.pdf"


@document_kind(
    STATEMENT_KIND, label=STATEMENT_TITLE, permission="portal.view", describe=describe_statement
)
def build_statement(document: GeneratedDocument, report: ProgressCallback) -> tuple[str, bytes]:
    from members.models import Member

    report(10, _("Lecture des demandes"))
    values = _parameters(document.parameters)
    if values is None:
        raise DocumentError(_("Les paramètres de ce document sont incomplets."))
    member = Member.objects.select_related("profession").filter(pk=values[0]).first()
    if member is None:
        raise DocumentError(_("Ce membre n'existe plus."))
    report(50, _("Mise en page"))
    content = statement_pdf(member, values[1])
    report(90, _("Enregistrement"))
    return statement_filename(member, values[1]), content
