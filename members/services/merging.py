"""Merge of duplicate members: one record kept, the other's history moved onto it and the
other marked departed (merged_into). Refusals are French ``ValidationError``s."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from cpts.models import User
from members.models import (
    Member,
    MemberEmail,
    MembershipRequest,
    Payment,
)
from members.models.members import MemberStatus
from members.selectors.joining import proposed_college
from members.services.members import save_checked_member

MERGE_FILL_FIELDS = (
    "civility",
    "first_name",
    "profession",
    "rpps",
    "adeli",
    "practice_mode",
    "finess",
    "siret",
    "representative",
    "email",
    "phone",
    "address",
    "postal_code",
    "commune",
    "college",
)
_UNIQUE_FIELDS = ("email", "rpps", "siret")
_ADDRESS_FIELDS = ("address", "postal_code", "commune")


def merge_refusal(keep: Member, remove: Member) -> str | None:
    """Why these two members cannot be merged (French), or None."""
    if keep.pk == remove.pk:
        return _("Un membre ne peut pas être fusionné avec lui-même.")
    if keep.kind != remove.kind:
        return _("Une personne et une structure ne peuvent pas être fusionnées.")
    if keep.anonymised_at is not None or remove.anonymised_at is not None:
        return _("Un membre anonymisé ne peut pas être fusionné.")
    if keep.merged_into_id is not None or remove.merged_into_id is not None:
        return _("Un des deux membres a déjà été fusionné avec un autre.")
    return None


@transaction.atomic
def merge_members(keep: Member, remove: Member, by: User | None = None) -> Member:
    """Merge ``remove`` into ``keep``: adhesions (with their payments), practice sites,
    emails sent, join requests and the account move to ``keep``; ``remove`` stays as a
    departed member pointing to ``keep``, so its history is kept."""
    members = {
        m.pk: m for m in Member.objects.select_for_update().filter(pk__in=[keep.pk, remove.pk])
    }
    keep, remove = members[keep.pk], members[remove.pk]
    refusal = merge_refusal(keep, remove)
    if refusal:
        raise ValidationError(refusal)
    has_payments = Exists(Payment.objects.filter(adhesion=OuterRef("pk")))
    kept: dict[int, Any] = {a.year: a for a in keep.adhesions.annotate(has_payments=has_payments)}
    for adhesion in remove.adhesions.annotate(has_payments=has_payments).order_by("year"):
        twin = kept.get(adhesion.year)
        if twin is None:
            adhesion.member = keep
            adhesion.save(update_fields=["member", "updated_at"])
        elif twin.has_payments and adhesion.has_payments:
            raise ValidationError(
                _(
                    "Les deux membres ont des paiements pour l'adhésion %(year)s : "
                    "remboursez ou déplacez l'un d'eux avant de fusionner."
                )
                % {"year": adhesion.year}
            )
        elif adhesion.has_payments:
            twin.delete()
            adhesion.member = keep
            adhesion.save(update_fields=["member", "updated_at"])
        else:
            adhesion.delete()
    keep_has_primary = keep.sites.filter(is_primary=True).exists()
    for site in remove.sites.order_by("-is_primary", "pk"):
        site.member = keep
        if site.is_primary and keep_has_primary:
            site.is_primary = False
        keep_has_primary = keep_has_primary or site.is_primary
        site.save(update_fields=["member", "is_primary", "updated_at"])
    MemberEmail.objects.filter(member=remove).update(member=keep)
    for request in MembershipRequest.objects.filter(member=remove):
        request.member = keep
        request.save(update_fields=["member", "updated_at"])
    for organisation in Member.objects.filter(representative=remove).exclude(pk=keep.pk):
        organisation.representative = keep if keep.is_person else None
        organisation.save(update_fields=["representative", "updated_at"])
    for earlier in Member.objects.filter(merged_into=remove):
        earlier.merged_into = keep
        earlier.save(update_fields=["merged_into", "updated_at"])

    # What ``keep`` lacks is taken from ``remove``; unique identifiers leave ``remove`` first.
    filled = [
        name
        for name in MERGE_FILL_FIELDS
        if not getattr(keep, name)
        and getattr(remove, name)
        and not (name == "representative" and remove.representative_id == keep.pk)
    ]
    # The postal address is taken as a whole, or not at all.
    if any(getattr(keep, name) for name in _ADDRESS_FIELDS):
        filled = [name for name in filled if name not in _ADDRESS_FIELDS]
    moved_user = remove.user if keep.user_id is None and remove.user_id is not None else None
    today = timezone.localdate()
    remove_fields = ["status", "departed_on", "departure_reason", "merged_into", "updated_at"]
    for name in _UNIQUE_FIELDS:
        if name in filled:
            remove_fields.append(name)
    values = {name: getattr(remove, name) for name in filled}
    for name in _UNIQUE_FIELDS:
        if name in filled:
            setattr(remove, name, "")
    if moved_user is not None:
        remove.user = None
        remove_fields.append("user")
    if remove.status != MemberStatus.DEPARTED:
        remove.departed_on = today
    remove.status = MemberStatus.DEPARTED
    remove.departure_reason = (
        _("Fusionné avec %(name)s (n° %(pk)s)")
        % {
            "name": keep.display_name,
            "pk": keep.pk,
        }
    )[:255]
    remove.merged_into = keep
    remove.save(update_fields=remove_fields)

    for name, value in values.items():
        setattr(keep, name, value)
    if remove.joined_on and (keep.joined_on is None or remove.joined_on < keep.joined_on):
        keep.joined_on = remove.joined_on
    if moved_user is not None:
        keep.user = moved_user
    if keep.college is not None and not keep.college.admits(keep.kind, keep.profession):
        keep.college = proposed_college(keep.kind, keep.profession)
    save_checked_member(keep)
    return keep
