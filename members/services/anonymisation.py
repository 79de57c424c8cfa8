"""Anonymisation of a departed member (RGPD): identity removed everywhere, including the old
values of the audit trail; counts, adhesions and payments kept."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpts.models import User
from members.models import (
    Member,
    MembershipRequest,
    PracticeSite,
)
from members.models.members import MemberStatus
from members.models.reference import MemberKind
from members.services.members import NULLABLE_FIELDS

ANONYMISED_FIELDS = (
    "civility",
    "last_name",
    "first_name",
    "organisation_name",
    "rpps",
    "adeli",
    "finess",
    "siret",
    "representative",
    "email",
    "phone",
    "address",
    "postal_code",
    "commune",
    "notes",
    "departure_reason",
    "user",
)
_REQUEST_IDENTITY_FIELDS = (
    "last_name",
    "first_name",
    "rpps",
    "adeli",
    "organisation_name",
    "finess",
    "siret",
    "email",
    "phone",
    "message",
)
_SITE_IDENTITY_FIELDS = ("address", "postal_code", "structure_name")
_REDACTED = "***"


def anonymised_name(member: Member) -> str:
    return _("Membre anonymisé n° %(pk)s") % {"pk": member.pk}


def _redact_history(
    model: type[Any], pks: Iterable[int], fields: Iterable[str], label: str
) -> None:
    """Blank the identity values recorded in the audit trail of the ``model`` rows ``pks``
    (who changed what and when is kept; the former values are not)."""
    names = set(fields)
    object_pks = [str(pk) for pk in pks]
    if not object_pks:
        return
    content_type = ContentType.objects.get_for_model(model)
    for entry in LogEntry.objects.filter(content_type=content_type, object_pk__in=object_pks):
        changes = entry.changes_dict
        for name in names & set(changes):
            # Foreign keys lose their value (the display resolves them); text is masked.
            masked = None if name in NULLABLE_FIELDS or name == "user" else _REDACTED
            changes[name] = [masked if v not in (None, "", "None") else v for v in changes[name]]
        entry.changes = changes
        entry.changes_text = ""
        entry.serialized_data = None
        entry.object_repr = label
        entry.save(update_fields=["changes", "changes_text", "serialized_data", "object_repr"])


@transaction.atomic
def anonymise_member(member: Member, by: User | None = None) -> Member:
    """Remove the identity of a departed member. Kind, profession, collège and dates stay
    for the counts; adhesions and payments are kept (financial records)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status != MemberStatus.DEPARTED:
        raise ValidationError(
            _("Seul un membre parti peut être anonymisé : enregistrez d'abord son départ.")
        )
    if member.anonymised_at is not None:
        raise ValidationError(_("Ce membre est déjà anonymisé."))
    label = anonymised_name(member)
    sites = list(member.sites.all())
    site_ids = [site.pk for site in sites]
    requests = list(MembershipRequest.objects.filter(member=member))
    user = member.user
    for site in sites:
        site.delete()
    for request in requests:
        for name in _REQUEST_IDENTITY_FIELDS:
            setattr(request, name, "")
        request.last_name = label
        request.save()
    for organisation in Member.objects.filter(representative=member):
        organisation.representative = None
        organisation.save(update_fields=["representative", "updated_at"])
    for name in ANONYMISED_FIELDS:
        setattr(member, name, None if name in {"representative", "commune", "user"} else "")
    if member.kind == MemberKind.ORGANISATION:
        member.organisation_name = label
    else:
        member.last_name = label
    member.directory_listed = False
    member.directory_show_email = False
    member.directory_show_phone = False
    member.directory_show_address = False
    member.anonymised_at = timezone.now()
    member.save()
    if user is not None:
        user.is_active = False
        user.save(update_fields=["is_active"])
    _redact_history(Member, [member.pk], ANONYMISED_FIELDS, label)
    _redact_history(PracticeSite, site_ids, _SITE_IDENTITY_FIELDS, label)
    _redact_history(MembershipRequest, [r.pk for r in requests], _REQUEST_IDENTITY_FIELDS, label)
    return member
