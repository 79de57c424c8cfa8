"""Writes of the adherent's portal: the profile (contact data, consents, practice sites)
and the request of their own membership documents. Changes are audited (django-auditlog)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import BaseInlineFormSet
from django.utils.translation import gettext as _

from cpts.jobs import known_kinds, request_document
from cpts.models import GeneratedDocument
from members.forms.portal import PortalProfileForm
from members.models import Member, PracticeSite
from members.selectors.portal import ATTESTATION_KIND, RECEIPT_KIND, adhesion_row


@transaction.atomic
def save_portal_profile(
    form: PortalProfileForm, sites: BaseInlineFormSet[PracticeSite, Member, Any]
) -> Member:
    """Save the validated profile form and practice-site formset together (all or nothing),
    every row through ``save()`` so that each change is audited. One primary site at most:
    the former primary is cleared before the new one is saved, and the first remaining site
    becomes primary when none is."""
    member: Member = form.save()
    sites.instance = member
    changed = sites.save(commit=False)
    for site in sites.deleted_objects:
        site.delete()
    primary = next((site for site in changed if site.is_primary), None)
    if primary is not None:
        for former in PracticeSite.objects.filter(member=member, is_primary=True).exclude(
            pk=primary.pk
        ):
            former.is_primary = False
            former.save(update_fields=["is_primary", "updated_at"])
    for site in sorted(changed, key=lambda site: site.is_primary):
        site.member = member
        site.save()
    remaining = PracticeSite.objects.filter(member=member).order_by("pk")
    if not remaining.filter(is_primary=True).exists():
        first = remaining.first()
        if first is not None:
            first.is_primary = True
            first.save(update_fields=["is_primary", "updated_at"])
    return member


def _require_kind(kind: str) -> None:
    if kind not in known_kinds():
        raise ValidationError(
            _("Ce document n'est pas disponible pour le moment : réessayez plus tard."),
            code="unknown_kind",
        )


def request_own_document(member: Member, user: Any, kind: str, year: int) -> GeneratedDocument:
    """Ask for the attestation or the receipt of the member's adhesion of ``year``, built in
    the background. Refused with a French reason when the adhesion does not allow it."""
    row = adhesion_row(member, year)
    if row is None:
        raise ValidationError(
            _("Vous n'avez pas d'adhésion pour l'année %(year)s.") % {"year": year},
            code="no_adhesion",
        )
    _require_kind(kind)
    if kind == ATTESTATION_KIND:
        if not row.can_get_attestation:
            raise ValidationError(
                _(
                    "L'attestation d'adhésion %(year)s sera disponible une fois votre "
                    "cotisation réglée."
                )
                % {"year": year},
                code="not_settled",
            )
        parameters: dict[str, Any] = {"member_id": member.pk, "year": year}
    elif kind == RECEIPT_KIND:
        if not row.can_get_receipt:
            raise ValidationError(
                _("Aucun paiement n'est enregistré pour %(year)s : pas de reçu à établir.")
                % {"year": year},
                code="nothing_paid",
            )
        parameters = {"adhesion_id": row.adhesion.pk}
    else:
        raise ValidationError(_("Ce type de document n'existe pas."), code="unknown_kind")
    return request_document(kind, requested_by=user, parameters=parameters)
