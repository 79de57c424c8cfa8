"""Writing the crisis plan: each update is a new version (the earlier ones are kept as they
were), and the PDF export goes through the document pipeline."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cpts.jobs import request_document
from cpts.models import GeneratedDocument
from crisis.models import SECTION_FIELDS, PlanVersion
from members.models import Member
from members.models.members import MemberStatus

PLAN_KIND = "crisis_plan"
CONTENT_FIELDS = (
    "referent_sse",
    "referent_sse_deputy",
    "cell_place",
    "cell_fallback_place",
    "cell_activation",
    "contact_tree",
    *SECTION_FIELDS.values(),
)
PHONE_DIGITS = re.compile(r"\d")
PHONE_CHARS = re.compile(r"^[0-9 +.()\-]+$")


def parse_contact_tree(text: str) -> list[dict[str, str]]:
    """The contact tree typed one person a line, « Rôle ; Nom ; Téléphone », in calling
    order. A wrong line raises a ValidationError naming it."""
    rows: list[dict[str, str]] = []
    errors: list[str] = []
    for number, raw in enumerate(str(text).splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [part.strip() for part in line.split(";")]
        if len(parts) != 3 or not all(parts):
            errors.append(
                _("Ligne %(line)s : écrivez « Rôle ; Nom ; Téléphone » (trois parties).")
                % {"line": number}
            )
            continue
        role, name, phone = parts
        if not PHONE_CHARS.match(phone) or len(PHONE_DIGITS.findall(phone)) < 10:
            errors.append(
                _("Ligne %(line)s : le téléphone « %(phone)s » n'est pas un numéro valide.")
                % {"line": number, "phone": phone}
            )
            continue
        rows.append({"role": role[:100], "name": name[:150], "phone": phone[:30]})
    if errors:
        raise ValidationError({"contact_tree": errors})
    if not rows:
        raise ValidationError(
            {"contact_tree": _("L'arbre d'appel doit nommer au moins une personne.")}
        )
    return rows


def contact_tree_text(rows: list[dict[str, str]]) -> str:
    return "\n".join(f"{row['role']} ; {row['name']} ; {row['phone']}" for row in rows)


def current_version() -> PlanVersion | None:
    return PlanVersion.objects.select_related(
        "referent_sse", "referent_sse_deputy", "created_by"
    ).first()


def _content(values: dict[str, Any]) -> dict[str, Any]:
    return {name: values.get(name) for name in CONTENT_FIELDS}


def _same_content(version: PlanVersion, values: dict[str, Any]) -> bool:
    current = {name: getattr(version, name) for name in CONTENT_FIELDS}
    return current == _content(values)


@transaction.atomic
def publish_version(*, values: dict[str, Any], summary: str, by: Any) -> PlanVersion:
    """Write the next version of the plan from ``values`` (the content fields, the contact
    tree already parsed). Refused when nothing changed since the current version."""
    summary = " ".join(str(summary).split())
    errors: dict[str, str] = {}
    if not summary:
        errors["summary"] = _("Dites en une ligne ce que cette mise à jour change.")
    referent = values.get("referent_sse")
    if not isinstance(referent, Member) or referent.status != MemberStatus.ACTIVE:
        errors["referent_sse"] = _("Le référent SSE doit être un membre actif.")
    deputy = values.get("referent_sse_deputy")
    if deputy is not None and deputy == referent:
        errors["referent_sse_deputy"] = _("Le suppléant doit être une autre personne.")
    for name in ("cell_place", *SECTION_FIELDS.values()):
        if not str(values.get(name) or "").strip():
            errors[name] = _("Ce champ du plan est obligatoire.")
    if not values.get("contact_tree"):
        errors["contact_tree"] = _("L'arbre d'appel doit nommer au moins une personne.")
    if errors:
        raise ValidationError(errors)
    latest = PlanVersion.objects.select_for_update().order_by("-number").first()
    if latest is not None and _same_content(latest, values):
        raise ValidationError(
            _("Rien n'a changé depuis la version %(number)s : aucune version n'a été créée.")
            % {"number": latest.number}
        )
    number = (PlanVersion.objects.aggregate(top=Max("number"))["top"] or 0) + 1
    try:
        with transaction.atomic():
            return PlanVersion.objects.create(
                number=number, summary=summary[:255], created_by=by, **_content(values)
            )
    except IntegrityError as error:
        raise ValidationError(
            _("Une autre mise à jour du plan vient d'être enregistrée : rechargez la page.")
        ) from error


def request_plan_pdf(version: PlanVersion, *, by: Any) -> GeneratedDocument:
    return request_document(
        PLAN_KIND,
        requested_by=by,
        parameters={"version": version.pk, "number": version.number},
    )
