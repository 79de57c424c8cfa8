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
    """Save the validated profile form and practice-site formset together (all or nothing).
    The primary site is unique: at most one is kept primary, the first one when none is."""
    member: Member = form.save()
    sites.instance = member
    # Clear the current primary first so that moving it never trips the unique constraint.
    PracticeSite.objects.filter(member=member, is_primary=True).update(is_primary=False)
    saved = sites.save(commit=False)
    for site in sites.deleted_objects:
        site.delete()
    for site in saved:
        site.member = member
        site.save()
    for form_ in sites.forms:
        # Unchanged existing rows keep their primary flag as submitted.
        instance = form_.instance
        if (
            instance.pk
            and instance not in saved
            and instance not in sites.deleted_objects
            and form_.cleaned_data.get("is_primary")
        ):
            PracticeSite.objects.filter(pk=instance.pk).update(is_primary=True)
    remaining = PracticeSite.objects.filter(member=member)
    if remaining.exists() and not remaining.filter(is_primary=True).exists():
        first = remaining.order_by("pk").first()
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
