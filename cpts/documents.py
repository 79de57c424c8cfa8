"""Document kinds of the core (registered with cpts.jobs.document_kind)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpts.jobs import ProgressCallback, document_kind
from cpts.models import Association, GeneratedDocument
from cpts.selectors.territory import territory_communes, territory_summary
from cpts.services.documents import DocumentError

IDENTITY_SHEET_TITLE = gettext_lazy("Fiche d'identité de la CPTS")
# Above this many communes the territory table is set in two compact columns (CSS multi-column,
# which still paginates), which keeps a territory of up to about 75 communes on one A4 page.
ONE_COLUMN_MAX = 14


def _format_siret(siret: str) -> str:
    """Group a SIRET for reading: SIREN in threes, then the NIC ("123 456 789 00012")."""
    if len(siret) != 14:
        return siret
    return f"{siret[:3]}\u00a0{siret[3:6]}\u00a0{siret[6:9]}\u00a0{siret[9:]}"


def _logo_url(association: Association) -> str | None:
    """The logo's media URL when its file is really there (a missing file is skipped, not an
    error: the sheet is still useful without it)."""
    if association.logo and default_storage.exists(association.logo.name):
        return str(association.logo.url)
    return None


@document_kind("identity_sheet", label=IDENTITY_SHEET_TITLE, permission="reports.generate")
def build_identity_sheet(
    document: GeneratedDocument, report: ProgressCallback
) -> tuple[str, bytes]:
    """One A4 page: who the CPTS is (legal identity, contact) and its territory."""
    from cpts.pdf import render_pdf  # WeasyPrint loads Pango: only when a PDF is built.

    report(10, _("Lecture de l'identité"))
    association = Association.objects.get_solo()
    address_lines = [line.strip() for line in association.address.splitlines() if line.strip()]
    town = " ".join(part for part in (association.postal_code, association.city) if part)
    if town:
        address_lines.append(town)

    report(50, _("Territoire"))
    summary = territory_summary(association)
    if not summary.commune_count:
        raise DocumentError(
            _(
                "Le territoire ne contient aucune commune : ajoutez-en avant de générer la "
                "fiche d'identité."
            )
        )
    communes = list(
        territory_communes(association)
        .order_by("search_name", "insee_code")  # accent-free: "Bélarga" before "Brignac"
        .values("name", "insee_code", "postal_codes", "population")
    )

    report(80, _("Mise en page"))
    generated_at = timezone.localtime()
    content = render_pdf(
        "pdf/identity_sheet.html",
        {
            "document_title": IDENTITY_SHEET_TITLE,
            "association": association,
            "siret": _format_siret(association.siret),
            "address_lines": address_lines,
            "logo_url": _logo_url(association),
            "summary": summary,
            "departements": summary.named_departements,
            "communes": communes,
            "compact": len(communes) > ONE_COLUMN_MAX,
            "generated_at": generated_at,
        },
    )
    return f"fiche-identite-cpts-{generated_at:%Y-%m-%d}.pdf", content
