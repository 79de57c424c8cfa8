"""Paying members for their time: tariffs set by the bureau, the yearly PASS ceiling, closed
periods, claims (indemnities, mileage, expenses) with their workflow, bank details and
payment batches.

A claim's activity source is one nullable foreign key per source (a meeting attended, an
event of a mission action, a crisis shift signed up for); a later source is one more nullable
FK and one more pre-fill path in ``claims.services.declare``."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cpts.models.base import TimeStampedModel


class ActivityKind(models.TextChoices):
    GROUP_MEETING = "group_meeting", _("Réunion de groupe de travail")
    BOARD_MEETING = "board_meeting", _("Réunion de bureau / CA")
    REFERENT = "referent", _("Mission de référent·e")
    MISSION_ACTION = "mission_action", _("Action de mission")
    ON_CALL = "on_call", _("Permanence / astreinte")
    TRAINING = "training", _("Formation")


class RateBasis(models.TextChoices):
    HOURLY = "hourly", _("Taux horaire")
    FLAT = "flat", _("Forfait par réunion")


class ClaimNature(models.TextChoices):
    INDEMNITY = "indemnity", _("Indemnité (temps)")
    MILEAGE = "mileage", _("Frais kilométriques")
    EXPENSE = "expense", _("Frais sur justificatif")


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Soumise")
    VALIDATED = "validated", _("Validée")
    APPROVED = "approved", _("Approuvée")
    PAID = "paid", _("Payée")
    REFUSED = "refused", _("Refusée")


class Tariff(TimeStampedModel):
    """The rate of an activity kind from ``valid_from`` (until the next tariff of that kind).
    Same for every profession unless a profession-specific tariff is recorded."""

    activity_kind = models.CharField(_("activité"), max_length=20, choices=ActivityKind.choices)
    basis = models.CharField(_("base"), max_length=8, choices=RateBasis.choices)
    amount = models.DecimalField(
        _("montant"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    valid_from = models.DateField(_("applicable à partir du"))
    profession = models.ForeignKey(
        "members.Profession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("profession (si tarif spécifique)"),
    )

    class Meta:
        verbose_name = _("tarif")
        verbose_name_plural = _("tarifs")
        ordering = ("activity_kind", "-valid_from")
        constraints = [
            models.UniqueConstraint(
                fields=["activity_kind", "valid_from", "profession"], name="tariff_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_activity_kind_display()} — {self.amount} €"


class MileageRate(TimeStampedModel):
    """The mileage scale: euros per kilometre from ``valid_from``."""

    per_km = models.DecimalField(
        _("montant par km"),
        max_digits=5,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    valid_from = models.DateField(_("applicable à partir du"), unique=True)

    class Meta:
        verbose_name = _("barème kilométrique")
        verbose_name_plural = _("barèmes kilométriques")
        ordering = ("-valid_from",)

    def __str__(self) -> str:
        return f"{self.per_km} €/km"


class PassCeiling(TimeStampedModel):
    """The plafond annuel de la sécurité sociale of a calendar year (décret 2022-375 caps a
    member's indemnities at one PASS a year)."""

    year = models.PositiveSmallIntegerField(_("année"), unique=True)
    amount = models.DecimalField(_("montant du PASS"), max_digits=9, decimal_places=2)

    class Meta:
        verbose_name = _("plafond annuel (PASS)")
        verbose_name_plural = _("plafonds annuels (PASS)")
        ordering = ("-year",)

    def __str__(self) -> str:
        return f"{self.year} — {self.amount} €"


class ClosedPeriod(TimeStampedModel):
    """A month (or a whole year when ``month`` is empty) the treasurer closed."""

    year = models.PositiveSmallIntegerField(_("année"))
    month = models.PositiveSmallIntegerField(_("mois"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("période close")
        verbose_name_plural = _("périodes closes")
        ordering = ("-year", "-month")
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="closed_period_unique"),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="closed_period_month_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:02d}/{self.year}" if self.month else str(self.year)


class BankAccount(TimeStampedModel):
    """A member's IBAN for transfers (validated with schwifty)."""

    member = models.OneToOneField(
        "members.Member",
        on_delete=models.CASCADE,
        related_name="bank_account",
        verbose_name=_("membre"),
    )
    holder = models.CharField(_("titulaire"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)

    class Meta:
        verbose_name = _("coordonnées bancaires")
        verbose_name_plural = _("coordonnées bancaires")

    def __str__(self) -> str:
        return f"{self.holder} — …{self.iban[-4:]}"

    @property
    def masked_iban(self) -> str:
        return f"{self.iban[:4]} •••• {self.iban[-4:]}"


class PaymentBatch(TimeStampedModel):
    paid_on = models.DateField(_("date de paiement"))
    label = models.CharField(_("libellé"), max_length=140)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("lot de paiement")
        verbose_name_plural = _("lots de paiement")
        ordering = ("-paid_on", "-pk")

    def __str__(self) -> str:
        return self.label


def receipt_path(instance: Claim, filename: str) -> str:
    return f"claims/receipts/{instance.member_id}/{filename}"


class Claim(TimeStampedModel):
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="claims", verbose_name=_("membre")
    )
    nature = models.CharField(_("nature"), max_length=10, choices=ClaimNature.choices)
    activity_kind = models.CharField(
        _("activité"), max_length=20, choices=ActivityKind.choices, blank=True
    )
    # Activity sources (at most one). A later source is one more nullable FK here.
    meeting = models.ForeignKey(
        "governance.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("réunion"),
    )
    event = models.ForeignKey(
        "missions.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("événement d'action"),
    )
    shift = models.ForeignKey(
        "crisis.Shift",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créneau de crise"),
    )
    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mission"),
    )
    date = models.DateField(_("date"), db_index=True)
    hours = models.DecimalField(_("heures"), max_digits=5, decimal_places=2, null=True, blank=True)
    km = models.DecimalField(_("kilomètres"), max_digits=6, decimal_places=1, null=True, blank=True)
    unit_rate = models.DecimalField(
        _("taux appliqué"), max_digits=8, decimal_places=3, null=True, blank=True
    )
    amount = models.DecimalField(_("montant"), max_digits=9, decimal_places=2)
    justification = models.TextField(_("justification"), blank=True)
    receipt = models.FileField(_("justificatif"), upload_to=receipt_path, blank=True)
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=ClaimStatus.choices,
        default=ClaimStatus.SUBMITTED,
        db_index=True,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(_("validée le"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approuvée le"), null=True, blank=True)
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    refused_at = models.DateTimeField(_("refusée le"), null=True, blank=True)
    refusal_reason = models.TextField(_("motif du refus"), blank=True)
    batch = models.ForeignKey(
        PaymentBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        verbose_name=_("lot de paiement"),
    )

    class Meta:
        verbose_name = _("demande d'indemnisation")
        verbose_name_plural = _("demandes d'indemnisation")
        ordering = ("-date", "-pk")
        indexes = [models.Index(fields=["member", "date"], name="claim_member_date")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="claim_amount_positive"),
            models.CheckConstraint(
                condition=(
                    Q(meeting__isnull=True, event__isnull=True)
                    | Q(meeting__isnull=True, shift__isnull=True)
                    | Q(event__isnull=True, shift__isnull=True)
                ),
                name="claim_one_source",
            ),
            models.UniqueConstraint(
                fields=["member", "meeting", "nature"],
                condition=Q(meeting__isnull=False) & ~Q(status="refused"),
                name="claim_once_per_meeting",
            ),
            models.UniqueConstraint(
                fields=["member", "event", "nature"],
                condition=Q(event__isnull=False) & ~Q(status="refused"),
                name="claim_once_per_event",
            ),
            models.UniqueConstraint(
                fields=["member", "shift", "nature"],
                condition=Q(shift__isnull=False) & ~Q(status="refused"),
                name="claim_once_per_shift",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.get_nature_display()} {self.date:%d/%m/%Y}"
