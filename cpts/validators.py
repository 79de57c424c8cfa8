"""Validators of French identifiers shared by every app (French messages naming the field)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siret as stdnum_siret

_FINESS_RE = re.compile(r"^(?:[0-9]{2}|2A|2B)[0-9]{7}$")


def validate_siret(value: str) -> None:
    compact = re.sub(r"\s", "", value or "")
    if not compact.isdigit() or len(compact) != 14:
        raise ValidationError(
            _("Le SIRET doit comporter exactement 14 chiffres."), code="siret_format"
        )
    if not stdnum_siret.is_valid(compact):
        raise ValidationError(
            _("Ce SIRET n'est pas valide : sa clé de contrôle (Luhn) ne correspond pas."),
            code="siret_checksum",
        )


def validate_finess(value: str) -> None:
    if not _FINESS_RE.match((value or "").upper()):
        raise ValidationError(
            _(
                "Le numéro FINESS doit comporter 9 caractères : le code du département "
                "(2A ou 2B pour la Corse) suivi de chiffres."
            ),
            code="finess_format",
        )


def validate_iban(value: str) -> None:
    """An IBAN written compact (spaces removed by the form), with a valid check digit."""
    from stdnum import iban as stdnum_iban

    if not stdnum_iban.is_valid(value or ""):
        raise ValidationError(
            _(
                "Cet IBAN n'est pas valide : vérifiez les 27 caractères d'un IBAN français "
                "(FR76…) et sa clé de contrôle."
            ),
            code="iban",
        )


def validate_bic(value: str) -> None:
    from stdnum import bic as stdnum_bic

    if not stdnum_bic.is_valid(value or ""):
        raise ValidationError(
            _("Ce BIC n'est pas valide : 8 ou 11 caractères, par exemple AGRIFRPP834."),
            code="bic",
        )
