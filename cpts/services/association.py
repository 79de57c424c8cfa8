"""Writes of the association's identity (name, identifiers, contact details, logo).

The audit trail is written by django-auditlog on save (the actor comes from the request)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from cpts.models import Association

IDENTITY_FIELDS = (
    "name",
    "short_name",
    "siret",
    "finess_juridique",
    "finess_geographique",
    "address",
    "postal_code",
    "city",
    "email",
    "phone",
    "website",
    "payment_iban",
    "payment_bic",
    "payment_cheque_order",
    "payment_url",
    "payment_instructions",
)
LOGO_EXTENSIONS = {"PNG": "png", "JPEG": "jpg"}


def _logo_extension(logo: File) -> str:
    try:
        logo.seek(0)
        with Image.open(logo) as image:
            detected = image.format or ""
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ValidationError(
            {"logo": _("Le logo doit être une image PNG ou JPEG valide.")}, code="logo_format"
        ) from exc
    finally:
        logo.seek(0)
    if detected not in LOGO_EXTENSIONS:
        raise ValidationError(
            {"logo": _("Le logo doit être une image PNG ou JPEG.")}, code="logo_format"
        )
    return LOGO_EXTENSIONS[detected]


@transaction.atomic
def update_identity(
    association: Association,
    values: Mapping[str, Any],
    *,
    logo: File | None = None,
    remove_logo: bool = False,
) -> Association:
    """Update the identity fields present in ``values``; replace the logo with ``logo`` or
    remove it. Validated before anything is written; the replaced logo file is deleted once
    the transaction commits."""
    association = Association.objects.select_for_update().get(pk=association.pk)
    previous_logo = association.logo.name
    for name in IDENTITY_FIELDS:
        if name in values:
            setattr(association, name, values[name])
    association.full_clean(exclude=["logo"])
    if logo is not None:
        extension = _logo_extension(logo)
        association.logo.save(f"logo.{extension}", logo, save=False)
    elif remove_logo:
        association.logo = ""
    association.save()
    if previous_logo and previous_logo != association.logo.name:
        storage = association.logo.storage
        transaction.on_commit(lambda: storage.delete(previous_logo))
    return association
