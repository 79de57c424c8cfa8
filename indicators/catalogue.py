"""The indicator catalogue shipped with the app: the national access-to-care indicators of the
ACI (DESIGN.md §2, values imported from the CPAM) and every computation registered with
``cpts.indicator_registry.computed_indicator``. ``ensure_catalogue`` brings the table in line
with the code; it runs after each migrate and before each recomputation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cpts.indicator_registry import registered_indicators
from indicators.models import IndicatorDefinition, IndicatorSource
from missions.catalogue import ensure_catalogue as ensure_missions
from missions.models import Mission

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Imported:
    code: str
    label: StrOrPromise
    unit: str
    direction: str
    mission: str
    description: StrOrPromise


NATIONAL = (
    Imported(
        "national_mt_share",
        _("Part des patients ayant un médecin traitant"),
        "percent",
        "increasing",
        "acces_soins",
        _("Part des patients du territoire ayant déclaré un médecin traitant (données CPAM)."),
    ),
    Imported(
        "national_no_mt_ald",
        _("Patients en ALD sans médecin traitant"),
        "count",
        "decreasing",
        "acces_soins",
        _("Nombre de patients en affection de longue durée sans médecin traitant (CPAM)."),
    ),
    Imported(
        "national_no_mt_70",
        _("Patients de 70 ans et plus sans médecin traitant"),
        "count",
        "decreasing",
        "acces_soins",
        _("Nombre de patients de 70 ans et plus sans médecin traitant (CPAM)."),
    ),
    Imported(
        "national_no_mt_c2s",
        _("Patients bénéficiaires de la C2S sans médecin traitant"),
        "count",
        "decreasing",
        "acces_soins",
        _(
            "Nombre de patients bénéficiaires de la complémentaire santé solidaire sans médecin "
            "traitant (CPAM)."
        ),
    ),
    Imported(
        "national_er_not_admitted",
        _("Passages aux urgences non suivis d'hospitalisation"),
        "percent",
        "decreasing",
        "acces_soins",
        _(
            "Taux de passages aux urgences des patients du territoire non suivis "
            "d'hospitalisation (CPAM, ARS)."
        ),
    ),
    Imported(
        "national_direct_admissions",
        _("Hospitalisations directes adressées par un professionnel de ville"),
        "percent",
        "increasing",
        "acces_soins",
        _(
            "Part des hospitalisations directes (sans passage aux urgences) adressées par un "
            "professionnel de ville (CPAM, ARS)."
        ),
    ),
    Imported(
        "national_sas_doctors",
        _("Médecins participant au SAS"),
        "count",
        "increasing",
        "acces_soins",
        _("Nombre de médecins du territoire participant au service d'accès aux soins (CPAM)."),
    ),
    Imported(
        "national_sas_appointments",
        _("Demandes SAS ayant abouti à un rendez-vous via la CPTS"),
        "count",
        "increasing",
        "acces_soins",
        _(
            "Nombre de demandes de soins non programmés régulées par le SAS ayant abouti à un "
            "rendez-vous chez un professionnel de la CPTS (CPAM)."
        ),
    ),
    Imported(
        "screening_cervical_rate",
        _("Taux de dépistage du cancer du col de l'utérus"),
        "percent",
        "increasing",
        "prevention",
        _(
            "Taux de couverture du dépistage du cancer du col de l'utérus des assurées de 25 à 65 "
            "ans du territoire (CPAM)."
        ),
    ),
    Imported(
        "screening_colorectal_rate",
        _("Taux de participation au dépistage du cancer colorectal"),
        "percent",
        "increasing",
        "prevention",
        _(
            "Taux de participation au dépistage organisé du cancer colorectal des assurés du "
            "territoire (CPAM)."
        ),
    ),
)


@transaction.atomic
def ensure_catalogue() -> None:
    """Create the shipped indicators that are missing; keep computed ones in line with their
    code (label, unit, mission…) and deactivate those whose computation is gone. Imported
    definitions already present are left as the coordination edited them."""
    ensure_missions()
    missions = {mission.key: mission for mission in Mission.objects.all()}
    existing = {definition.code: definition for definition in IndicatorDefinition.objects.all()}
    for position, item in enumerate(NATIONAL, start=1):
        if item.code not in existing:
            IndicatorDefinition.objects.create(
                code=item.code,
                label=str(item.label),
                unit=item.unit,
                direction=item.direction,
                mission=missions.get(item.mission),
                source=IndicatorSource.IMPORTED,
                description=str(item.description),
                position=position,
            )
    registry = registered_indicators()
    for code, computed in registry.items():
        wanted = {
            "label": str(computed.label),
            "unit": computed.unit,
            "direction": computed.direction,
            "mission": missions.get(computed.mission),
            "source": IndicatorSource.COMPUTED,
            "description": str(computed.description),
            "position": 100 + computed.position,
            "is_active": True,
        }
        definition = existing.get(code)
        if definition is None:
            IndicatorDefinition.objects.create(code=code, **wanted)
        elif any(getattr(definition, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(definition, field, value)
            definition.save()
    for code, definition in existing.items():
        if (
            definition.source == IndicatorSource.COMPUTED
            and code not in registry
            and definition.is_active
        ):
            definition.is_active = False
            definition.save(update_fields=["is_active", "updated_at"])
