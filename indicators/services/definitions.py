"""Writes of the indicator catalogue: definitions whose values are imported (CPAM, ARS) or
typed by hand. Computed definitions come from the code (``indicators.catalogue``) and are
never created nor edited here. Saved through the model, so audited (indicators/audit.py)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indicators.models import IndicatorDefinition, IndicatorSource

EDITABLE_SOURCES = (IndicatorSource.IMPORTED, IndicatorSource.MANUAL)
FIELDS = (
    "code",
    "label",
    "mission",
    "unit",
    "direction",
    "source",
    "description",
    "position",
    "is_active",
)


def editable(definition: IndicatorDefinition) -> bool:
    """Whether the coordination may edit ``definition`` and type its values."""
    return definition.source in EDITABLE_SOURCES


def _check(definition: IndicatorDefinition) -> None:
    errors: dict[str, str] = {}
    if definition.source not in EDITABLE_SOURCES:
        errors["source"] = _(
            "Seuls les indicateurs importés ou saisis à la main peuvent être créés ou modifiés "
            "ici : les indicateurs calculés viennent de Maillage."
        )
    if not definition.code:
        errors["code"] = _("Indiquez un code.")
    elif (
        IndicatorDefinition.objects.filter(code=definition.code).exclude(pk=definition.pk).exists()
    ):
        errors["code"] = _("Le code « %(code)s » est déjà utilisé par un autre indicateur.") % {
            "code": definition.code
        }
    if not definition.label.strip():
        errors["label"] = _("Indiquez l'intitulé de l'indicateur.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_definition(data: dict[str, Any]) -> IndicatorDefinition:
    """A new imported or manual indicator. Raises ValidationError (French, by field)."""
    definition = IndicatorDefinition(**{name: data[name] for name in FIELDS if name in data})
    _check(definition)
    definition.save()
    return definition


@transaction.atomic
def update_definition(definition: IndicatorDefinition, data: dict[str, Any]) -> IndicatorDefinition:
    """Edit an imported or manual indicator (a computed one is refused, and none may become
    computed). Raises ValidationError (French, by field)."""
    if not editable(definition):
        raise ValidationError(
            {
                "source": _(
                    "Un indicateur calculé par Maillage ne se modifie pas : sa définition vient "
                    "du code de l'application."
                )
            }
        )
    locked = IndicatorDefinition.objects.select_for_update().get(pk=definition.pk)
    for name in FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    _check(locked)
    locked.save()
    return locked
