"""Indicator lines of the variable part, their thresholds or bands, and their livrables with
the proofs uploaded for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cpts.models import TimeStampedModel
from missions.models.contract import MissionEnvelope


class LineKind(models.TextChoices):
    BINARY = "binary", _("Action réalisée ou non")
    TARGET = "target", _("Cible à atteindre")
    TIERS = "tiers", _("Paliers")
    BANDS = "bands", _("Tranches")
    CRISIS = "crisis", _("Crise sanitaire (si reconnue)")


class Direction(models.TextChoices):
    INCREASING = "increasing", _("À la hausse")
    DECREASING = "decreasing", _("À la baisse")


class AchievedSource(models.TextChoices):
    MANUAL = "manual", _("Saisie manuelle")
    CPAM = "cpam", _("Données CPAM")
    COMPUTED = "computed", _("Calculé par Maillage")
    IMPORT = "import", _("Annexe importée")


class IndicatorLine(TimeStampedModel):
    envelope = models.ForeignKey(
        MissionEnvelope,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("enveloppe de mission"),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    label = models.CharField(_("intitulé"), max_length=300)
    kind = models.CharField(_("type"), max_length=16, choices=LineKind.choices)
    direction = models.CharField(
        _("sens"), max_length=16, choices=Direction.choices, default=Direction.INCREASING
    )
    amount = models.DecimalField(
        _("montant"),
        max_digits=12,
        decimal_places=2,
        default=0,
        help_text=_("Pour les paliers et tranches : le montant le plus élevé."),
    )
    baseline = models.DecimalField(
        _("valeur de départ"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    target = models.DecimalField(_("cible"), max_digits=14, decimal_places=4, null=True, blank=True)
    # The assessed result
    done = models.BooleanField(_("réalisée"), default=False)
    achieved = models.DecimalField(
        _("valeur atteinte"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    achieved_source = models.CharField(
        _("source de la valeur"), max_length=16, choices=AchievedSource.choices, blank=True
    )
    achieved_note = models.CharField(_("précision sur la valeur"), max_length=255, blank=True)
    achieved_proof = models.FileField(
        _("justificatif de la valeur"), upload_to="missions/values/", blank=True
    )
    indicator = models.ForeignKey(
        "indicators.IndicatorDefinition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lines",
        verbose_name=_("indicateur suivi"),
        help_text=_(
            "La valeur atteinte suit alors la dernière mesure de l'indicateur pour l'année de "
            "contrat."
        ),
    )
    assessed_at = models.DateTimeField(_("évaluée le"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_into",
        verbose_name=_("reportée de la ligne"),
    )

    class Meta:
        verbose_name = _("ligne d'indicateur")
        verbose_name_plural = _("lignes d'indicateurs")
        ordering = ("envelope", "position", "pk")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="line_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.label


class LineTier(models.Model):
    """A threshold of a ``tiers`` line, from the easiest (position 0) to the best."""

    line = models.ForeignKey(
        IndicatorLine, on_delete=models.CASCADE, related_name="tiers", verbose_name=_("ligne")
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    label = models.CharField(_("nom du palier"), max_length=100, blank=True)
    threshold = models.DecimalField(_("seuil"), max_digits=14, decimal_places=4)
    amount = models.DecimalField(_("montant"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("palier")
        verbose_name_plural = _("paliers")
        ordering = ("line", "position", "pk")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="tier_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.label or str(self.threshold)


class LineBand(models.Model):
    """A range of the achieved value of a ``bands`` line (bounds included; open when empty)."""

    line = models.ForeignKey(
        IndicatorLine, on_delete=models.CASCADE, related_name="bands", verbose_name=_("ligne")
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    minimum = models.DecimalField(_("de"), max_digits=14, decimal_places=4, null=True, blank=True)
    maximum = models.DecimalField(_("à"), max_digits=14, decimal_places=4, null=True, blank=True)
    amount = models.DecimalField(_("montant"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ("line", "position", "pk")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="band_amount_positive"),
            models.CheckConstraint(
                condition=Q(minimum__isnull=True)
                | Q(maximum__isnull=True)
                | Q(maximum__gte=models.F("minimum")),
                name="band_bounds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.minimum} - {self.maximum}"


class LivrableStatus(models.TextChoices):
    MISSING = "missing", _("Manquant")
    PROVIDED = "provided", _("Fourni")
    ACCEPTED = "accepted", _("Accepté")


class Livrable(TimeStampedModel):
    line = models.ForeignKey(
        IndicatorLine, on_delete=models.CASCADE, related_name="livrables", verbose_name=_("ligne")
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    label = models.CharField(_("livrable attendu"), max_length=300)
    status = models.CharField(
        _("statut"), max_length=16, choices=LivrableStatus.choices, default=LivrableStatus.MISSING
    )

    class Meta:
        verbose_name = _("livrable")
        verbose_name_plural = _("livrables")
        ordering = ("line", "position", "pk")

    def __str__(self) -> str:
        return self.label


def proof_path(instance: Proof, filename: str) -> str:
    return f"missions/proofs/{instance.livrable.line_id}/{filename}"


class Proof(TimeStampedModel):
    livrable = models.ForeignKey(
        Livrable, on_delete=models.CASCADE, related_name="proofs", verbose_name=_("livrable")
    )
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(_("fichier"), upload_to=proof_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("justificatif")
        verbose_name_plural = _("justificatifs")
        ordering = ("livrable", "created_at", "pk")

    def __str__(self) -> str:
        return self.title
