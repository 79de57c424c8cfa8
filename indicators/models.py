"""Indicator definitions (the catalogue) and their measurements (values per period, history
kept: the latest measurement of an indicator for a period is its current value)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpts.models import GeneratedDocument, TimeStampedModel
from indicators.periods import PeriodKind


class Unit(models.TextChoices):
    COUNT = "count", _("Nombre")
    PERCENT = "percent", _("Pourcentage")
    EUROS = "euros", _("Euros")
    HOURS = "hours", _("Heures")


class IndicatorDirection(models.TextChoices):
    INCREASING = "increasing", _("À la hausse")
    DECREASING = "decreasing", _("À la baisse")


class IndicatorSource(models.TextChoices):
    COMPUTED = "computed", _("Calculé par Maillage")
    IMPORTED = "imported", _("Importé (CPAM, ARS)")
    MANUAL = "manual", _("Saisi à la main")


class IndicatorDefinition(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    label = models.CharField(_("intitulé"), max_length=255)
    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("mission"),
    )
    unit = models.CharField(_("unité"), max_length=16, choices=Unit.choices, default=Unit.COUNT)
    direction = models.CharField(
        _("sens souhaité"),
        max_length=16,
        choices=IndicatorDirection.choices,
        default=IndicatorDirection.INCREASING,
    )
    source = models.CharField(_("source"), max_length=16, choices=IndicatorSource.choices)
    description = models.TextField(_("mode de calcul ou d'obtention"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(
        _("actif"),
        default=True,
        help_text=_("Un indicateur calculé dont le calcul n'existe plus est désactivé."),
    )

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ("mission__position", "position", "code")

    def __str__(self) -> str:
        return self.label


class MeasurementSource(models.TextChoices):
    COMPUTED = "computed", _("Calcul")
    IMPORTED = "imported", _("Fichier importé")
    MANUAL = "manual", _("Saisie manuelle")


class Measurement(models.Model):
    """One value of an indicator for a period (and a breakdown: ``""`` is the total, otherwise
    e.g. a profession or a collège). Never updated: a new value is a new row."""

    indicator = models.ForeignKey(
        IndicatorDefinition,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("indicateur"),
    )
    period_kind = models.CharField(_("type de période"), max_length=16, choices=PeriodKind.choices)
    period_key = models.CharField(_("période"), max_length=16)
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    contract_year = models.ForeignKey(
        "missions.ContractYear",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="measurements",
        verbose_name=_("année de contrat"),
    )
    breakdown = models.CharField(_("ventilation"), max_length=120, blank=True, default="")
    value = models.DecimalField(_("valeur"), max_digits=16, decimal_places=4)
    source = models.CharField(_("source"), max_length=16, choices=MeasurementSource.choices)
    source_name = models.CharField(
        _("origine"), max_length=255, blank=True, help_text=_("Nom du fichier importé, etc.")
    )
    note = models.CharField(_("commentaire"), max_length=500, blank=True)
    proof = models.FileField(_("justificatif"), upload_to="indicators/proofs/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enregistrée par"),
    )
    recorded_at = models.DateTimeField(_("enregistrée le"), default=timezone.now)
    job = models.ForeignKey(
        GeneratedDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traitement"),
    )

    class Meta:
        verbose_name = _("mesure")
        verbose_name_plural = _("mesures")
        ordering = ("-recorded_at", "-pk")
        indexes = [
            models.Index(
                fields=["indicator", "period_kind", "period_start", "breakdown", "-recorded_at"],
                name="measurement_current",
            ),
            models.Index(fields=["contract_year", "indicator"], name="measurement_contract_year"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="measurement_period"
            ),
            models.CheckConstraint(
                condition=~Q(period_kind=PeriodKind.CONTRACT_YEAR) | Q(contract_year__isnull=False),
                name="measurement_contract_year_set",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period_key} {self.breakdown} = {self.value}"
