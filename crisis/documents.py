"""Document kinds of the crisis mission (registered with cpts.jobs.document_kind): the crisis
plan of one version, as the national template lays it out."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpts.documents import _logo_url
from cpts.jobs import ProgressCallback, document_kind
from cpts.models import Association, GeneratedDocument
from cpts.services.documents import DocumentError
from crisis.models import PlanVersion
from crisis.selectors.plan import part_updates
from crisis.services.plan import PLAN_KIND

PLAN_TITLE = gettext_lazy("Plan de crise sanitaire de la CPTS")


def _describe_plan(parameters: dict[str, Any]) -> str:
    return _("Version %(number)s") % {"number": parameters.get("number", "?")}


@document_kind(PLAN_KIND, label=PLAN_TITLE, permission="crisis.view", describe=_describe_plan)
def build_crisis_plan(document: GeneratedDocument, report: ProgressCallback) -> tuple[str, bytes]:
    from cpts.pdf import render_pdf  # WeasyPrint loads Pango: only when a PDF is built.

    report(10, _("Lecture du plan"))
    version_id = (document.parameters or {}).get("version")
    if isinstance(version_id, bool) or not isinstance(version_id, int):
        raise DocumentError(_("Les paramètres de ce document sont incomplets."))
    plan = (
        PlanVersion.objects.select_related(
            "referent_sse__profession", "referent_sse_deputy__profession", "created_by"
        )
        .filter(pk=version_id)
        .first()
    )
    if plan is None:
        raise DocumentError(_("Cette version du plan n'existe plus."))
    updates = part_updates(plan)
    history = (
        PlanVersion.objects.filter(number__lte=plan.number)
        .select_related("created_by")
        .only("number", "created_at", "summary", "created_by")
        .order_by("-number")
    )
    report(50, _("Mise en page"))
    association = Association.objects.get_solo()
    content = render_pdf(
        "pdf/crisis/plan.html",
        {
            "document_title": PLAN_TITLE,
            "association": association,
            "logo_url": _logo_url(association),
            "plan": plan,
            "updates": updates,
            "sections": [(label, text, updates.get(key)) for key, label, text in plan.sections()],
            "history": history,
            "generated_at": timezone.localtime(),
        },
    )
    report(90, _("Enregistrement"))
    return f"plan-de-crise-v{plan.number}.pdf", content
