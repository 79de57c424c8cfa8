"""Members' bank details for transfers (IBAN and BIC checked with schwifty)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from claims.common import acting
from claims.models import BankAccount
from cpts.permissions import user_can


def normalise_iban(value: str) -> str:
    try:
        return str(IBAN("".join((value or "").split()).upper()).compact)
    except (SchwiftyException, ValueError):
        raise ValidationError(
            {"iban": _("IBAN invalide : vérifiez les caractères et la clé de contrôle.")}
        ) from None


def normalise_bic(value: str) -> str:
    compact = "".join((value or "").split()).upper()
    if not compact:
        return ""
    try:
        return str(BIC(compact).compact)
    except (SchwiftyException, ValueError):
        raise ValidationError({"bic": _("BIC invalide (8 ou 11 caractères).")}) from None


def set_bank_account(member: Any, *, by: Any, holder: str, iban: str, bic: str = "") -> BankAccount:
    own = member.user_id is not None and getattr(by, "pk", None) == member.user_id
    if not own and not user_can(by, "finance.approve"):
        raise PermissionDenied(_("Vous ne pouvez modifier que vos propres coordonnées bancaires."))
    holder = " ".join((holder or "").split())
    errors: dict[str, str] = {}
    if not holder:
        errors["holder"] = _("Indiquez le titulaire du compte.")
    elif len(holder) > 70:
        errors["holder"] = _("Le nom du titulaire tient en 70 caractères au plus.")
    try:
        iban = normalise_iban(iban)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    try:
        bic = normalise_bic(bic)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting(by):
        account, _created = BankAccount.objects.update_or_create(
            member=member, defaults={"holder": holder, "iban": iban, "bic": bic}
        )
    return account
